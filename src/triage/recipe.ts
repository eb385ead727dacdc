/**
 * The recipe of the shipped default model: which shippable data trains which head, with which
 * weights and hyperparameters. Used by `npm run train:triage` and by the evaluation script (which
 * also compares alternative recipes).
 *
 * Shippable training data only: XLM-T tweets (Apache-2.0), banking77 (CC BY 4.0), and the seed
 * examples and lexicons written for Passeur. The airline tweets are never used here.
 */

import { loadBanking77, loadXlmt, XLMT_LANGS } from './data.ts';
import { Analyzer, DEFAULT_FEATURES, type FeatureConfig } from './features.ts';
import type { LanguageDetector } from './lang.ts';
import { compileLexicon } from './lexicon/compile.ts';
import { CUE_TABLES, topicTable } from './lexicon/index.ts';
import type { LinearHead } from './model.ts';
import { DEFAULT_BITS, intentPrior, sentimentPrior, topicPrior } from './priors.ts';
import { AIRLINE_SEEDS, parseSeeds } from './seeds/airline.ts';
import type { Taxonomy } from './taxonomy.ts';
import { type Featurized, featurize, trainSigmoid, trainSoftmax } from './train.ts';
import { INTENTS, SENTIMENTS } from './types.ts';

/** banking77 categories that report a problem (weakly negative) or ask for information (weakly neutral). */
export const BANKING_PROBLEM = new Set(
  'Refund_not_showing_up balance_not_updated_after_bank_transfer balance_not_updated_after_cheque_or_cash_deposit beneficiary_not_allowed card_arrival card_not_working card_payment_not_recognised card_payment_wrong_exchange_rate card_swallowed cash_withdrawal_charge cash_withdrawal_not_recognised compromised_card contactless_not_working declined_card_payment declined_cash_withdrawal declined_transfer direct_debit_payment_not_recognised extra_charge_on_statement failed_transfer lost_or_stolen_card lost_or_stolen_phone pending_card_payment pending_cash_withdrawal pending_top_up pending_transfer pin_blocked reverted_card_payment? top_up_failed top_up_reverted transaction_charged_twice transfer_not_received_by_recipient virtual_card_not_working wrong_amount_of_cash_received wrong_exchange_rate_for_cash_withdrawal'.split(
    ' ',
  ),
);
export const BANKING_INFO = new Set(
  'activate_my_card age_limit apple_pay_or_google_pay atm_support automatic_top_up card_about_to_expire card_acceptance card_delivery_estimate card_linking change_pin country_support disposable_card_limits edit_personal_details exchange_charge exchange_rate exchange_via_app fiat_currency_support get_disposable_virtual_card get_physical_card getting_spare_card getting_virtual_card order_physical_card receiving_money request_refund supported_cards_and_currencies terminate_account top_up_by_bank_transfer_charge top_up_by_card_charge top_up_by_cash_or_cheque top_up_limits topping_up_by_card transfer_into_account transfer_timing verify_my_identity verify_source_of_funds verify_top_up visa_or_mastercard why_verify_identity cancel_transfer'.split(
    ' ',
  ),
);

export interface Recipe {
  features: FeatureConfig;
  bits: typeof DEFAULT_BITS;
  sentiment: {
    xlmt: number;
    banking: number;
    seeds: number;
    epochs: number;
    lr: number;
    l2: number;
    bags: number;
    averageEpochs: number;
    /** Added to the logits (negative, neutral, positive) after training. */
    offsets: [number, number, number];
    /** Softmax temperature of the reported probabilities (set by calibration on the dev sets). */
    temperature: number;
  };
  intent: { epochs: number; lr: number; l2: number };
  topics: { epochs: number; lr: number; l2: number };
  /** Weights smaller than this are set to zero after training. */
  prune: { sentiment: number; intent: number };
  seed: number;
}

export const DEFAULT_RECIPE: Recipe = {
  features: DEFAULT_FEATURES,
  bits: DEFAULT_BITS,
  sentiment: {
    xlmt: 1,
    banking: 0.3,
    seeds: 2,
    epochs: 8,
    lr: 0.3,
    l2: 1e-5,
    bags: 5,
    averageEpochs: 4,
    offsets: [0, 0, 0],
    temperature: 1.5,
  },
  intent: { epochs: 12, lr: 0.3, l2: 3e-3 },
  // the seed-trained topic head measured worse on airline tweets than the keyword prior (docs/triage.md)
  topics: { epochs: 0, lr: 0.3, l2: 3e-3 },
  prune: { sentiment: 0.003, intent: 0.01 },
  seed: 20_260_101,
};

export function pipelineLexicon(taxonomy: Taxonomy) {
  return compileLexicon([...CUE_TABLES, { prefix: 't:', table: topicTable(taxonomy) }]);
}

function sentimentIndex(s: string): number {
  return SENTIMENTS.indexOf(s as (typeof SENTIMENTS)[number]);
}

export interface TrainedHeads {
  sentiment: LinearHead;
  intent: LinearHead;
  topics: LinearHead;
  stats: Record<string, number>;
}

/** Trains the three heads of the default model (needs ../shared/data for XLM-T and banking77). */
export function trainDefault(
  detector: LanguageDetector,
  taxonomy: Taxonomy,
  recipe: Recipe = DEFAULT_RECIPE,
  log: (msg: string) => void = () => {},
): TrainedHeads {
  const an = new Analyzer(pipelineLexicon(taxonomy), recipe.features);
  const seeds = parseSeeds(AIRLINE_SEEDS);

  // ---- sentiment
  const texts: string[] = [];
  const langs: string[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  let nx = 0;
  for (const l of XLMT_LANGS) {
    for (const e of loadXlmt(l, 'train')) {
      texts.push(e.text);
      langs.push(e.lang);
      ys.push(sentimentIndex(e.sentiment));
      ws.push(recipe.sentiment.xlmt);
      nx++;
    }
  }
  let nb = 0;
  if (recipe.sentiment.banking > 0) {
    for (const e of loadBanking77()) {
      const problem = BANKING_PROBLEM.has(e.category);
      if (!problem && !BANKING_INFO.has(e.category)) continue;
      texts.push(e.text);
      langs.push('en');
      ys.push(problem ? 0 : 1);
      ws.push(recipe.sentiment.banking);
      nb++;
    }
  }
  for (const s of seeds) {
    texts.push(s.text);
    langs.push(s.lang);
    ys.push(sentimentIndex(s.sentiment));
    ws.push(recipe.sentiment.seeds);
  }
  log(`sentiment: ${nx} XLM-T, ${nb} banking77, ${seeds.length} seeds`);
  const X = featurize(an, detector, texts, langs);
  const sentiment = sentimentPrior(an, recipe.bits.sentiment);
  const prior = { W: Float32Array.from(sentiment.W), b: Float32Array.from(sentiment.b) };
  const bags = Math.max(1, recipe.sentiment.bags);
  const acc = new Float64Array(sentiment.W.length);
  const accB = new Float64Array(3);
  for (let bag = 0; bag < bags; bag++) {
    const h = sentiment.clone();
    trainSoftmax(h, X, ys, {
      epochs: recipe.sentiment.epochs,
      lr: recipe.sentiment.lr,
      l2: recipe.sentiment.l2,
      prior,
      weights: ws,
      seed: recipe.seed + bag,
      averageEpochs: recipe.sentiment.averageEpochs,
    });
    for (let i = 0; i < acc.length; i++) acc[i]! += h.W[i]!;
    for (let k = 0; k < 3; k++) accB[k]! += h.b[k]!;
  }
  for (let i = 0; i < acc.length; i++) sentiment.W[i] = acc[i]! / bags;
  for (let k = 0; k < 3; k++) sentiment.b[k] = accB[k]! / bags;
  sentiment.invalidate();
  sentiment.offsets = Float32Array.from(recipe.sentiment.offsets);
  sentiment.temperature = recipe.sentiment.temperature;

  // ---- intent and topics: seeds only, pulled toward the lexicon priors
  const SX: Featurized[] = featurize(
    an,
    detector,
    seeds.map((s) => s.text),
    seeds.map((s) => s.lang),
  );
  const intent = intentPrior(an, recipe.bits.intent);
  const iPrior = { W: Float32Array.from(intent.W), b: Float32Array.from(intent.b) };
  trainSoftmax(
    intent,
    SX,
    seeds.map((s) => INTENTS.indexOf(s.intent as (typeof INTENTS)[number])),
    { ...recipe.intent, prior: iPrior, seed: recipe.seed, freezeBias: true },
  );
  const topics = topicPrior(an, taxonomy, recipe.bits.topics);
  const tPrior = { W: Float32Array.from(topics.W), b: Float32Array.from(topics.b) };
  const labels = topics.labels;
  const ty = seeds.map((s) => {
    const y = new Uint8Array(labels.length);
    for (const t of s.topics) {
      const k = labels.indexOf(t);
      if (k >= 0) y[k] = 1;
    }
    return y;
  });
  if (recipe.topics.epochs > 0) {
    trainSigmoid(topics, SX, ty, { ...recipe.topics, prior: tPrior, seed: recipe.seed, freezeBias: true });
  }
  // negligible weights cost time at prediction (rows of zeros are skipped): drop them
  sentiment.prune(recipe.prune.sentiment);
  intent.prune(recipe.prune.intent);
  log(`intent and topics: ${seeds.length} seeds`);
  return { sentiment, intent, topics, stats: { xlmt: nx, banking77: nb, seeds: seeds.length } };
}

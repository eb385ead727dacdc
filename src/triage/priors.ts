/**
 * Hand-set starting weights of the linear heads, derived from the lexicons. A head made only of its
 * prior is the rule-based triager (used when no trained model is present, e.g. for a new taxonomy);
 * training starts from the prior and is pulled back toward it by L2, so lexicon knowledge that the
 * training data rarely shows (service-failure words, fr/de/it/es cue phrases) survives training.
 */
import { type Analyzer, emojiFeature } from './features.ts';
import { EMOJI_POLARITY } from './lexicon/sentiment.ts';
import { LinearHead } from './model.ts';
import type { Taxonomy } from './taxonomy.ts';
import { fmix } from './text.ts';
import { INTENTS, SENTIMENTS } from './types.ts';

export interface HeadBits {
  sentiment: number;
  intent: number;
  topics: number;
}

export const DEFAULT_BITS: HeadBits = { sentiment: 18, intent: 16, topics: 16 };

function add(head: LinearHead, feature: number, k: number, w: number): void {
  const r = (fmix(feature) & head.mask) * head.K;
  head.W[r + k]! += w;
  head.invalidate();
}

/** Sentiment prior: polarity bins and lexicon categories (negative, neutral, positive). */
export function sentimentPrior(an: Analyzer, bits = DEFAULT_BITS.sentiment): LinearHead {
  const h = new LinearHead({ name: 'sentiment', labels: [...SENTIMENTS], kind: 'softmax', bits });
  const bins: [number, number, number][] = [
    [3, 0, -1],
    [2, 0, -1],
    [1.2, 0, -0.5],
    [0.4, 0, 0],
    [0, 0.9, 0],
    [0, 0, 0.4],
    [-0.5, 0, 1.2],
    [-1, 0, 2],
    [-1, 0, 3],
  ];
  bins.forEach((w, i) => {
    for (let k = 0; k < 3; k++) add(h, an.fPol[i]!, k, w[k]!);
  });
  const lex = an.lex;
  const pol: Record<string, number> = { 's:pos': 0.3, 's:pos2': 0.6, 's:neg': -0.3, 's:neg2': -0.6, 's:negd': -0.4 };
  for (const [name, p] of Object.entries(pol)) {
    const c = lex.catIndex.get(name);
    if (c === undefined) continue;
    add(h, lex.catFeature[c]!, p > 0 ? 2 : 0, Math.abs(p));
    add(h, an.catNegFeature[c]!, p > 0 ? 0 : 1, Math.abs(p) * 0.6);
  }
  for (const [cp, p] of Object.entries(EMOJI_POLARITY)) {
    add(h, emojiFeature(Number(cp)), p > 0 ? 2 : 0, Math.min(Math.abs(p), 2) * 0.4);
  }
  h.b[1] = 0.2;
  return h;
}

function intentIndex(label: string): number {
  return INTENTS.indexOf(label as (typeof INTENTS)[number]);
}

/** Intent prior: cue categories, question marks and polarity. */
export function intentPrior(an: Analyzer, bits = DEFAULT_BITS.intent): LinearHead {
  const h = new LinearHead({ name: 'intent', labels: [...INTENTS], kind: 'softmax', bits });
  const lex = an.lex;
  const cue = (name: string, label: string, w: number) => {
    const c = lex.catIndex.get(name);
    if (c !== undefined) add(h, lex.catFeature[c]!, intentIndex(label), w);
  };
  cue('i:q:word', 'question', 1.0);
  cue('i:request', 'request', 1.3);
  cue('i:suggest', 'suggestion', 2.4);
  cue('i:praise', 'praise', 1.5);
  cue('i:complain', 'complaint', 0.9);
  cue('r:defect', 'complaint', 0.4);
  cue('r:legal', 'complaint', 0.8);
  cue('r:discrimination', 'complaint', 0.8);
  cue('s:negd', 'complaint', 0.5);
  cue('s:neg2', 'complaint', 0.6);
  add(h, an.fQ, intentIndex('question'), 1.8);
  add(h, an.fQEnd, intentIndex('question'), 0.4);
  const polComplaint = [1.8, 1.4, 0.9, 0.3, 0, 0, 0, 0, 0];
  const polPraise = [0, 0, 0, 0, 0, 0.2, 0.6, 1.0, 1.4];
  for (let i = 0; i < 9; i++) {
    if (polComplaint[i]) add(h, an.fPol[i]!, intentIndex('complaint'), polComplaint[i]!);
    if (polPraise[i]) add(h, an.fPol[i]!, intentIndex('praise'), polPraise[i]!);
  }
  add(h, an.fExcl2, intentIndex('complaint'), 0.2);
  h.b[intentIndex('other')] = 1.4;
  return h;
}

/** Topic prior: each topic's keyword category pushes its own column. */
export function topicPrior(an: Analyzer, taxonomy: Taxonomy, bits = DEFAULT_BITS.topics): LinearHead {
  const labels = taxonomy.topics.map((t) => t.id);
  const h = new LinearHead({ name: 'topics', labels, kind: 'sigmoid', bits });
  const lex = an.lex;
  taxonomy.topics.forEach((t, k) => {
    const c = lex.catIndex.get(`t:${t.id}`);
    if (c !== undefined) add(h, lex.catFeature[c]!, k, TOPIC_LEX_WEIGHT * (t.weight ?? 1));
    h.b[k] = TOPIC_BIAS + TOPIC_LEX_WEIGHT * (t.bias ?? 0);
  });
  return h;
}

export const TOPIC_LEX_WEIGHT = 2.2;
export const TOPIC_BIAS = -1.6;
/** Probability of a topic whose keyword score is 0.2 (one weak keyword and a half): the main-topic floor. */
export const MAIN_TOPIC_THRESHOLD = 1 / (1 + Math.exp(-(TOPIC_BIAS + TOPIC_LEX_WEIGHT * 0.2)));

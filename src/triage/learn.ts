/**
 * Learning from an organization's corrections. `learn(examples, { modelDir })` adapts the shipped
 * default model (or another base model) to the corrected examples and writes an organization model
 * directory that `loadTriager({ modelDir })` loads.
 *
 * How it adapts: each head that has corrections (sentiment, intent, topics, team) continues training
 * from the base weights with an L2 pull back toward them, so a few corrections nudge the model and
 * many corrections reshape it; heads without corrections are not copied but referenced, so they keep
 * the base model's behaviour exactly. A field missing from an example means "not corrected": that
 * example teaches nothing about that field.
 *
 * Held-back scoring: a deterministic slice of the corrections (default 20 %) is set aside; a model
 * trained on the rest is scored on it, next to the base model's score on the same slice. The saved
 * model is then trained on all the corrections.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModel, langDetector } from './assets.ts';
import { DEFAULT_FEATURES } from './features.ts';
import { LinearHead, type LoadedModel, loadModel, saveModel } from './model.ts';
import { TriagePipeline, teamFeature } from './pipeline.ts';
import { topicPrior } from './priors.ts';
import { AIRLINE_TAXONOMY, type Taxonomy } from './taxonomy.ts';
import { fmix } from './text.ts';
import { type Featurized, featurize, report, trainSigmoid, trainSoftmax } from './train.ts';
import { INTENTS, type Intent, SENTIMENTS, type Sentiment } from './types.ts';

export interface LearnExample {
  text: string;
  lang?: string;
  sentiment?: Sentiment;
  intent?: Intent;
  /** Corrected topics, main topic first (an empty array means "no topic"). */
  topics?: string[];
  team?: string;
}

export interface LearnOptions {
  /** Where to write the organization model. */
  modelDir: string;
  /** The organization's taxonomy (default: the airline taxonomy). Saved with the model. */
  taxonomy?: Taxonomy;
  /** Adapt this model directory instead of the shipped default. */
  baseModelDir?: string;
  /** Fraction of the corrections held back for scoring (default 0.2; none below 20 examples). */
  holdout?: number;
  /** Shuffle seed of the held-back slice (default 1). */
  seed?: number;
  /** Training passes over the corrections (default 10). */
  epochs?: number;
  /**
   * How corrections adapt the base: `ensemble` (default) adds a model trained on the corrections to the
   * base model; `finetune` continues training the base weights with an L2 pull toward them.
   */
  method?: 'ensemble' | 'finetune';
  /** Step size of the sentiment, intent and team heads (default 0.2). */
  lr?: number;
  /** L2 strength (default 1e-4; toward zero for `ensemble`, toward the base for `finetune`). */
  l2?: number;
  /** Step size and L2 of the topic head (defaults 0.1 and 1e-5). */
  topicLr?: number;
  topicL2?: number;
  /** Class balancing power for sentiment and intent (0 = none, 1 = inverse frequency; default 0.5). */
  balance?: number;
  /** Progress messages. */
  log?: (msg: string) => void;
}

export interface Score {
  n: number;
  accuracy: number;
  macroF1: number;
}

export interface TaskScore {
  /** The base model on the held-back slice. */
  before: Score;
  /** The learned model on the held-back slice. */
  after: Score;
}

export interface LearnResult {
  modelDir: string;
  modelId: string;
  baseModelId: string;
  trainedAt: string;
  examples: number;
  /** Examples that carried a correction for each field. */
  corrected: { sentiment: number; intent: number; topics: number; team: number };
  /** Heads adapted (the others keep the base behaviour). */
  adapted: string[];
  /** Held-back scores per corrected field (topics: accuracy of the main topic). */
  heldOut: { n: number; sentiment?: TaskScore; intent?: TaskScore; topics?: TaskScore; team?: TaskScore };
}

const HEADS = ['sentiment', 'intent', 'topics', 'team'] as const;

interface Prepared {
  ex: LearnExample;
  x: Featurized;
  ruleTeam: string;
}

function deterministicOrder(n: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

function validate(examples: readonly LearnExample[], taxonomy: Taxonomy): void {
  const topics = new Set(taxonomy.topics.map((t) => t.id));
  examples.forEach((e, i) => {
    if (typeof e.text !== 'string') throw new Error(`example ${i + 1}: "text" must be a string`);
    if (e.sentiment !== undefined && !SENTIMENTS.includes(e.sentiment)) {
      throw new Error(`example ${i + 1}: unknown sentiment "${String(e.sentiment)}"`);
    }
    if (e.intent !== undefined && !INTENTS.includes(e.intent)) {
      throw new Error(`example ${i + 1}: unknown intent "${String(e.intent)}"`);
    }
    if (e.topics !== undefined) {
      if (!Array.isArray(e.topics)) throw new Error(`example ${i + 1}: "topics" must be an array`);
      for (const t of e.topics) if (!topics.has(t)) throw new Error(`example ${i + 1}: unknown topic "${t}"`);
    }
    if (e.team !== undefined && typeof e.team !== 'string')
      throw new Error(`example ${i + 1}: "team" must be a string`);
  });
}

interface Heads {
  sentiment: LinearHead;
  intent: LinearHead;
  topics: LinearHead;
  team: LinearHead | undefined;
}

interface AdaptOptions {
  method: 'ensemble' | 'finetune';
  epochs: number;
  seed: number;
  /** Step size and L2 of the softmax heads (sentiment, intent, team). */
  lr: number;
  l2: number;
  /** Step size and L2 of the topic head. */
  topicLr: number;
  topicL2: number;
  balance: number;
}

/**
 * Trains `head` on the corrections. `ensemble`: a correction model is trained from zero and added to
 * the base (logits are summed, so the result is again one linear head); `finetune`: the base weights
 * are trained further with an L2 pull back toward them.
 */
function adaptHead(
  base: LinearHead,
  method: AdaptOptions['method'],
  train: (h: LinearHead, prior: { W: Float32Array; b: Float32Array } | undefined) => void,
): LinearHead {
  if (method === 'finetune') {
    const h = base.clone();
    train(h, { W: base.W, b: base.b });
    return h;
  }
  const fresh = new LinearHead(base.spec());
  fresh.W.fill(0);
  fresh.b.fill(0);
  fresh.offsets.fill(0);
  train(fresh, undefined);
  const h = base.clone();
  for (let i = 0; i < h.W.length; i++) h.W[i]! += fresh.W[i]!;
  for (let k = 0; k < h.K; k++) h.b[k]! += fresh.b[k]!;
  h.invalidate();
  return h;
}

/** Adapts copies of the base heads to the examples; returns the heads and which were adapted. */
function adapt(
  base: Heads,
  data: readonly Prepared[],
  teams: readonly string[],
  opts: AdaptOptions,
): { heads: Heads; adapted: Set<string> } {
  const adapted = new Set<string>();
  const heads: Heads = { ...base };
  const common = { epochs: opts.epochs, seed: opts.seed, adagrad: true, biasLr: 1 };
  const xs = data.map((d) => d.x);
  // sentiment / intent: softmax
  for (const name of ['sentiment', 'intent'] as const) {
    const labels = name === 'sentiment' ? SENTIMENTS : INTENTS;
    const ys = data.map((d) => {
      const v = d.ex[name];
      return v === undefined ? -1 : (labels as readonly string[]).indexOf(v);
    });
    if (!ys.some((y) => y >= 0)) continue;
    const classWeights = opts.balance ? balanced(ys, labels.length, opts.balance) : undefined;
    heads[name] = adaptHead(base[name], opts.method, (h, prior) =>
      trainSoftmax(h, xs, ys, { ...common, lr: opts.lr, l2: opts.l2, prior, classWeights }),
    );
    adapted.add(name);
  }
  // topics: one-vs-rest; an example with topics says which topics are present and which are not
  const tys = data.map((d) => {
    if (d.ex.topics === undefined) return null;
    const y = new Uint8Array(base.topics.K);
    for (const t of d.ex.topics) {
      const k = base.topics.labels.indexOf(t);
      if (k >= 0) y[k] = 1;
    }
    return y;
  });
  if (tys.some((y) => y !== null)) {
    heads.topics = adaptHead(base.topics, opts.method, (h, prior) =>
      trainSigmoid(h, xs, tys, { ...common, lr: opts.topicLr, l2: opts.topicL2, prior }),
    );
    adapted.add('topics');
  }
  // team: a head over the rule suggestion and the text, starting from "follow the rules"
  const teamYs = data.map((d) => (d.ex.team === undefined ? -1 : teams.indexOf(d.ex.team)));
  if (teamYs.some((y) => y >= 0)) {
    const h = base.team?.clone() ?? newTeamHead(teams);
    const withRule = data.map((d) => withFeature(d.x, teamFeature(d.ruleTeam), 1));
    const prior = base.team ? { W: base.team.W, b: base.team.b } : undefined;
    trainSoftmax(h, withRule, teamYs, { ...common, lr: opts.lr, l2: opts.l2, prior });
    heads.team = h;
    adapted.add('team');
  }
  // weights the corrections barely moved are dropped (rows of zeros are skipped at prediction)
  for (const name of adapted) {
    const h = heads[name as keyof Heads];
    if (!h) continue;
    h.prune(PRUNE);
    h.adapted = true;
  }
  return { heads, adapted };
}

const PRUNE = 0.002;

/** Class weights (n / (K · n_k))^power: rare corrected classes count more (power 0 = none, 1 = balanced). */
function balanced(ys: readonly number[], K: number, power: number): number[] {
  const counts = new Array<number>(K).fill(0);
  let n = 0;
  for (const y of ys) {
    if (y >= 0) {
      counts[y]!++;
      n++;
    }
  }
  return counts.map((c) => (c > 0 ? (n / (K * c)) ** power : 1));
}

function newTeamHead(teams: readonly string[]): LinearHead {
  const h = new LinearHead({ name: 'team', labels: [...teams], kind: 'softmax', bits: 14 });
  // start from "follow the rules": the rule's team feature votes for its team
  teams.forEach((t, k) => {
    h.W[(fmix(teamFeature(t)) & h.mask) * h.K + k]! += 3;
  });
  h.invalidate();
  return h;
}

function withFeature(x: Featurized, feature: number, value: number): Featurized {
  const feats = new Uint32Array(x.feats.length + 1);
  feats.set(x.feats);
  feats[x.feats.length] = fmix(feature);
  const vals = new Float32Array(x.vals.length + 1);
  vals.set(x.vals);
  vals[x.vals.length] = value;
  return { feats, vals, lang: x.lang };
}

function scoreTask(labels: readonly string[], gold: (string | undefined)[], pred: string[]): Score | undefined {
  const g: number[] = [];
  const p: number[] = [];
  gold.forEach((v, i) => {
    if (v === undefined) return;
    g.push(labels.indexOf(v));
    p.push(labels.indexOf(pred[i]!));
  });
  if (g.length === 0) return undefined;
  const r = report(labels, g, p);
  return { n: r.n, accuracy: round(r.accuracy), macroF1: round(r.macroF1) };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Scores a pipeline on examples (only the corrected fields). */
function evaluate(
  pipeline: TriagePipeline,
  examples: readonly LearnExample[],
  taxonomy: Taxonomy,
  teams: readonly string[],
): Partial<Record<(typeof HEADS)[number], Score>> {
  const results = pipeline.triage(examples.map((e) => (e.lang ? { text: e.text, lang: e.lang } : { text: e.text })));
  const topicLabels = [...taxonomy.topics.map((t) => t.id), '(none)'];
  const out: Partial<Record<(typeof HEADS)[number], Score>> = {};
  const s = scoreTask(
    SENTIMENTS,
    examples.map((e) => e.sentiment),
    results.map((r) => r.sentiment),
  );
  if (s) out.sentiment = s;
  const i = scoreTask(
    INTENTS,
    examples.map((e) => e.intent),
    results.map((r) => r.intent),
  );
  if (i) out.intent = i;
  const t = scoreTask(
    topicLabels,
    examples.map((e) => (e.topics === undefined ? undefined : (e.topics[0] ?? '(none)'))),
    results.map((r) => r.topics[0] ?? '(none)'),
  );
  if (t) out.topics = t;
  const tm = scoreTask(
    teams,
    examples.map((e) => e.team),
    results.map((r) => r.team),
  );
  if (tm) out.team = tm;
  return out;
}

/** Trains an organization model from corrected examples; see the module comment. */
export async function learn(examples: readonly LearnExample[], opts: LearnOptions): Promise<LearnResult> {
  const log = opts.log ?? (() => {});
  const shipped = defaultModel();
  let base: LoadedModel | undefined = shipped ?? undefined;
  if (opts.baseModelDir) base = loadModel(opts.baseModelDir, shipped ?? undefined);
  const taxonomy = opts.taxonomy ?? AIRLINE_TAXONOMY;
  validate(examples, taxonomy);
  const detector = langDetector();
  const parts: ConstructorParameters<typeof TriagePipeline>[0] = {
    taxonomy,
    detector,
    modelId: base?.manifest.id ?? 'passeur-lexicon',
  };
  if (base) parts.model = base;
  const basePipe = new TriagePipeline(parts);
  const teams = [...new Set([...taxonomy.teams, ...examples.flatMap((e) => (e.team ? [e.team] : []))])];
  const baseTopics =
    basePipe.topicHead.labels.join() === taxonomy.topics.map((t) => t.id).join()
      ? basePipe.topicHead
      : topicPrior(basePipe.analyzer, taxonomy);
  const baseHeads: Heads = {
    sentiment: basePipe.sentHead,
    intent: basePipe.intentHead,
    topics: baseTopics,
    team: base?.heads.get('team'),
  };

  // featurize once (the same analysis the pipeline does at prediction time)
  const xs = featurize(
    basePipe.analyzer,
    detector,
    examples.map((e) => e.text),
    examples.map((e) => e.lang),
  );
  const ruleTeams = examples.map((e) => {
    basePipe.one(e.lang ? { text: e.text, lang: e.lang } : { text: e.text });
    return basePipe.lastRuleTeam;
  });
  const data: Prepared[] = examples.map((ex, i) => ({ ex, x: xs[i]!, ruleTeam: ruleTeams[i]! }));
  const seed = opts.seed ?? 1;
  const hyper: AdaptOptions = {
    method: opts.method ?? 'ensemble',
    epochs: opts.epochs ?? 10,
    seed,
    lr: opts.lr ?? 0.2,
    l2: opts.l2 ?? 1e-4,
    topicLr: opts.topicLr ?? 0.1,
    topicL2: opts.topicL2 ?? 1e-5,
    balance: opts.balance ?? 0.5,
  };

  // held-back scoring
  const heldOut: LearnResult['heldOut'] = { n: 0 };
  const frac = opts.holdout ?? 0.2;
  if (examples.length >= 20 && frac > 0) {
    const order = deterministicOrder(examples.length, seed);
    const nHold = Math.max(1, Math.round(examples.length * frac));
    const hold = new Set(order.slice(0, nHold));
    const train = data.filter((_, i) => !hold.has(i));
    const test = examples.filter((_, i) => hold.has(i));
    const { heads } = adapt(baseHeads, train, teams, hyper);
    const tmp = makePipeline(parts, heads);
    const before = evaluate(basePipe, test, taxonomy, teams);
    const after = evaluate(tmp, test, taxonomy, teams);
    heldOut.n = test.length;
    for (const h of HEADS) {
      const b = before[h];
      const a = after[h];
      if (b && a) heldOut[h] = { before: b, after: a };
    }
    log(`held back ${test.length} of ${examples.length} examples for scoring`);
  }

  // the saved model learns from every correction
  const { heads, adapted } = adapt(baseHeads, data, teams, hyper);
  const trainedAt = new Date().toISOString();
  const hash = createHash('sha256');
  for (const h of HEADS) {
    const head = heads[h];
    if (head && adapted.has(h)) hash.update(Buffer.from(head.W.buffer));
  }
  hash.update(trainedAt);
  const modelId = `org-${hash.digest('hex').slice(0, 12)}`;
  const list: LinearHead[] = [heads.sentiment, heads.intent, heads.topics];
  if (heads.team) list.push(heads.team);
  const fromBase = new Set<string>(HEADS.filter((h) => !adapted.has(h)));
  // a topic head built from a custom taxonomy's keywords is not in the base model: store it
  if (baseTopics !== basePipe.topicHead || !base?.heads.has('topics')) fromBase.delete('topics');
  if (!base) for (const h of HEADS) fromBase.delete(h);
  const corrected = {
    sentiment: examples.filter((e) => e.sentiment !== undefined).length,
    intent: examples.filter((e) => e.intent !== undefined).length,
    topics: examples.filter((e) => e.topics !== undefined).length,
    team: examples.filter((e) => e.team !== undefined).length,
  };
  const result: LearnResult = {
    modelDir: opts.modelDir,
    modelId,
    baseModelId: base?.manifest.id ?? 'passeur-lexicon',
    trainedAt,
    examples: examples.length,
    corrected,
    adapted: HEADS.filter((h) => adapted.has(h)),
    heldOut,
  };
  mkdirSync(opts.modelDir, { recursive: true });
  saveModel(
    opts.modelDir,
    {
      id: modelId,
      createdAt: trainedAt,
      features: base?.manifest.features ?? DEFAULT_FEATURES,
      dtype: 'f16',
      base: result.baseModelId,
      training: { learned: result },
    },
    list,
    fromBase,
  );
  writeFileSync(join(opts.modelDir, 'taxonomy.json'), `${JSON.stringify(taxonomy, null, 2)}\n`);
  writeFileSync(join(opts.modelDir, 'learn.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(`model ${modelId} adapted: ${result.adapted.join(', ') || 'nothing (no corrections)'}`);
  return result;
}

function makePipeline(parts: ConstructorParameters<typeof TriagePipeline>[0], heads: Heads): TriagePipeline {
  const map = new Map<string, LinearHead>([
    ['sentiment', heads.sentiment],
    ['intent', heads.intent],
    ['topics', heads.topics],
  ]);
  if (heads.team) map.set('team', heads.team);
  const manifest = parts.model?.manifest ?? {
    format: 'passeur-triage/1' as const,
    id: 'tmp',
    createdAt: '',
    features: DEFAULT_FEATURES,
    dtype: 'f16' as const,
    heads: [],
  };
  return new TriagePipeline({ ...parts, model: { manifest, heads: map, dir: '' } });
}

/**
 * Training of the linear heads: featurization of texts with the pipeline's own analyzer, then sparse
 * SGD (softmax for single-label heads, one-vs-rest logistic for multi-label heads) with L2 pulling
 * the weights toward a prior — zero, hand-set lexicon priors, or the shipped model when an
 * organization's corrections adapt it. Deterministic for a given seed.
 */
import type { Analyzer } from './features.ts';
import type { LanguageDetector } from './lang.ts';
import { type LinearHead, mixFeatures } from './model.ts';

export interface Featurized {
  feats: Uint32Array;
  vals: Float32Array;
  lang: string;
}

/** Runs the analyzer over `texts`; `langs[i]` (when given) wins over detection. */
export function featurize(
  analyzer: Analyzer,
  detector: LanguageDetector,
  texts: readonly string[],
  langs?: readonly (string | undefined)[],
): Featurized[] {
  const a = analyzer.newAnalysis();
  const mixed = new Uint32Array(8192);
  const out: Featurized[] = [];
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    analyzer.tokenize(text, a);
    const lang = langs?.[i] ?? detector.detect(a.tokens.cleaned ?? text);
    analyzer.analyze(a, lang);
    mixFeatures(a.feats, a.nFeats, mixed);
    out.push({ feats: mixed.slice(0, a.nFeats), vals: a.vals.slice(0, a.nFeats), lang });
  }
  return out;
}

export interface TrainOptions {
  epochs?: number;
  /** Initial learning rate. */
  lr?: number;
  /** L2 strength toward the prior (per touched weight and step). */
  l2?: number;
  /** Prior weights (same shape); default zero. */
  prior?: { W: Float32Array; b: Float32Array };
  /** Per-example weights. */
  weights?: readonly number[];
  /** Per-class weights (softmax) or positive-class weights (sigmoid). */
  classWeights?: readonly number[];
  seed?: number;
  /** Don't train the bias (keep the prior's). */
  freezeBias?: boolean;
  /** Average the weights over the last `averageEpochs` epochs (snapshot averaging; 0 = off). */
  averageEpochs?: number;
  /** Learning-rate factor of the biases (default 0.1). */
  biasLr?: number;
  /** AdaGrad per-weight step sizes (default off: plain SGD with a linear decay). */
  adagrad?: boolean;
  /** Rows (hash buckets) that keep their weights (e.g. lexicon categories tuned by hand). */
  frozen?: Uint8Array;
}

class Averager {
  private readonly W: Float32Array;
  private readonly b: Float32Array;
  private readonly sumW: Float64Array;
  private readonly sumB: Float64Array;
  private count = 0;
  constructor(W: Float32Array, b: Float32Array) {
    this.W = W;
    this.b = b;
    this.sumW = new Float64Array(W.length);
    this.sumB = new Float64Array(b.length);
  }
  add(): void {
    const { W, b, sumW, sumB } = this;
    for (let i = 0; i < W.length; i++) sumW[i]! += W[i]!;
    for (let i = 0; i < b.length; i++) sumB[i]! += b[i]!;
    this.count++;
  }
  apply(): void {
    if (this.count === 0) return;
    const { W, b, sumW, sumB, count } = this;
    for (let i = 0; i < W.length; i++) W[i] = sumW[i]! / count;
    for (let i = 0; i < b.length; i++) b[i] = sumB[i]! / count;
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function order(n: number, rnd: () => number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

/** One sparse gradient step (plain SGD or AdaGrad), with L2 toward the prior on the touched weights. */
function update(
  W: Float32Array,
  G: Float32Array | null,
  x: Featurized,
  mask: number,
  K: number,
  grad: Float64Array,
  lr: number,
  l2: number,
  P: { W: Float32Array } | undefined,
  frozen: Uint8Array | undefined,
): void {
  const m = x.feats.length;
  for (let j = 0; j < m; j++) {
    if (frozen && frozen[x.feats[j]! & mask] === 1) continue;
    const r = (x.feats[j]! & mask) * K;
    const v = x.vals[j]!;
    for (let k = 0; k < K; k++) {
      const cur = W[r + k]!;
      const prior = P ? P.W[r + k]! : 0;
      const gk = grad[k]! * v + l2 * (cur - prior);
      if (G) {
        const acc = G[r + k]! + gk * gk;
        G[r + k] = acc;
        W[r + k] = cur - (lr * gk) / Math.sqrt(acc + 1e-8);
      } else {
        W[r + k] = cur - lr * gk;
      }
    }
  }
}

/**
 * Trains a softmax head on (x, y) pairs; y = label index. Initial weights are the head's current ones
 * (call with a fresh head or a copy of the prior).
 */
export function trainSoftmax(
  head: LinearHead,
  xs: readonly Featurized[],
  ys: readonly number[],
  opts: TrainOptions = {},
): void {
  const K = head.K;
  const { W, b, mask } = head;
  const epochs = opts.epochs ?? 10;
  const lr0 = opts.lr ?? 0.5;
  const l2 = opts.l2 ?? 1e-4;
  const P = opts.prior;
  const rnd = rng(opts.seed ?? 1);
  const p = new Float64Array(K);
  const n = xs.length;
  let step = 0;
  const total = epochs * n;
  head.invalidate();
  const avg = opts.averageEpochs ? new Averager(W, b) : null;
  const G = opts.adagrad ? new Float32Array(W.length) : null;
  const biasLr = opts.biasLr ?? 0.1;
  for (let ep = 0; ep < epochs; ep++) {
    const idx = order(n, rnd);
    for (let ii = 0; ii < n; ii++) {
      const i = idx[ii]!;
      const x = xs[i]!;
      const y = ys[i]!;
      if (y < 0) continue;
      const lr = lr0 * (1 - step / total) + lr0 * 0.02;
      step++;
      const m = x.feats.length;
      for (let k = 0; k < K; k++) p[k] = b[k]!;
      for (let j = 0; j < m; j++) {
        const r = (x.feats[j]! & mask) * K;
        const v = x.vals[j]!;
        for (let k = 0; k < K; k++) p[k]! += W[r + k]! * v;
      }
      let mx = -Infinity;
      for (let k = 0; k < K; k++) if (p[k]! > mx) mx = p[k]!;
      let z = 0;
      for (let k = 0; k < K; k++) {
        p[k] = Math.exp(p[k]! - mx);
        z += p[k]!;
      }
      const w = (opts.weights?.[i] ?? 1) * (opts.classWeights?.[y] ?? 1);
      for (let k = 0; k < K; k++) p[k] = ((p[k]! / z - (k === y ? 1 : 0)) * w) as number;
      update(W, G, x, mask, K, p, lr, l2, P, opts.frozen);
      if (!opts.freezeBias) for (let k = 0; k < K; k++) b[k]! -= lr * biasLr * p[k]!;
    }
    if (avg && ep >= epochs - (opts.averageEpochs ?? 0)) avg.add();
  }
  avg?.apply();
  head.invalidate();
}

/**
 * Trains a one-vs-rest logistic head; `ys[i]` is a 0/1 array per label, or null when the example says
 * nothing about this head. `known[i]` (optional) restricts the update to some labels.
 */
export function trainSigmoid(
  head: LinearHead,
  xs: readonly Featurized[],
  ys: readonly (Uint8Array | null)[],
  opts: TrainOptions = {},
): void {
  const K = head.K;
  const { W, b, mask } = head;
  const epochs = opts.epochs ?? 10;
  const lr0 = opts.lr ?? 0.5;
  const l2 = opts.l2 ?? 1e-4;
  const P = opts.prior;
  const rnd = rng(opts.seed ?? 1);
  const g = new Float64Array(K);
  const n = xs.length;
  let step = 0;
  const total = epochs * n;
  head.invalidate();
  const avg = opts.averageEpochs ? new Averager(W, b) : null;
  const G = opts.adagrad ? new Float32Array(W.length) : null;
  const biasLr = opts.biasLr ?? 0.1;
  for (let ep = 0; ep < epochs; ep++) {
    const idx = order(n, rnd);
    for (let ii = 0; ii < n; ii++) {
      const i = idx[ii]!;
      const y = ys[i];
      if (!y) continue;
      const x = xs[i]!;
      const lr = lr0 * (1 - step / total) + lr0 * 0.02;
      step++;
      const m = x.feats.length;
      for (let k = 0; k < K; k++) g[k] = b[k]!;
      for (let j = 0; j < m; j++) {
        const r = (x.feats[j]! & mask) * K;
        const v = x.vals[j]!;
        for (let k = 0; k < K; k++) g[k]! += W[r + k]! * v;
      }
      const w = opts.weights?.[i] ?? 1;
      for (let k = 0; k < K; k++) {
        const pk = 1 / (1 + Math.exp(-g[k]!));
        const t = y[k]!;
        const cw = t === 1 ? (opts.classWeights?.[k] ?? 1) : 1;
        g[k] = (pk - t) * w * cw;
      }
      update(W, G, x, mask, K, g, lr, l2, P, opts.frozen);
      if (!opts.freezeBias) for (let k = 0; k < K; k++) b[k]! -= lr * biasLr * g[k]!;
    }
    if (avg && ep >= epochs - (opts.averageEpochs ?? 0)) avg.add();
  }
  avg?.apply();
  head.invalidate();
}

/** Softmax prediction of a head for a featurized example. */
export function predictSoftmax(head: LinearHead, x: Featurized, out: Float64Array): number {
  head.logits(x.feats, x.vals, x.feats.length, out);
  let best = 0;
  for (let k = 1; k < head.K; k++) if (out[k]! > out[best]!) best = k;
  return best;
}

// ------------------------------------------------------------------ metrics

export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Report {
  accuracy: number;
  macroF1: number;
  perClass: ClassReport[];
  /** confusion[gold][pred] */
  confusion: number[][];
  n: number;
}

export function report(labels: readonly string[], gold: readonly number[], pred: readonly number[]): Report {
  const K = labels.length;
  const conf = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let correct = 0;
  let n = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = pred[i]!;
    if (g < 0) continue;
    n++;
    if (p >= 0 && p < K) conf[g]![p]!++;
    if (g === p) correct++;
  }
  const perClass: ClassReport[] = [];
  let f1sum = 0;
  let present = 0;
  for (let k = 0; k < K; k++) {
    const tp = conf[k]![k]!;
    let fp = 0;
    let fn = 0;
    for (let j = 0; j < K; j++) {
      if (j !== k) {
        fp += conf[j]![k]!;
        fn += conf[k]![j]!;
      }
    }
    const support = tp + fn;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ label: labels[k]!, precision, recall, f1, support });
    if (support > 0) {
      f1sum += f1;
      present++;
    }
  }
  return { accuracy: n ? correct / n : 0, macroF1: present ? f1sum / present : 0, perClass, confusion: conf, n };
}

export function formatReport(title: string, labels: readonly string[], r: Report): string {
  const lines = [`${title}  (n=${r.n}, accuracy ${r.accuracy.toFixed(3)}, macro-F1 ${r.macroF1.toFixed(3)})`];
  lines.push(
    `  ${'label'.padEnd(18)} ${'prec'.padStart(6)} ${'rec'.padStart(6)} ${'f1'.padStart(6)} ${'n'.padStart(6)}`,
  );
  for (const c of r.perClass) {
    lines.push(
      `  ${c.label.padEnd(18)} ${c.precision.toFixed(3).padStart(6)} ${c.recall.toFixed(3).padStart(6)} ${c.f1
        .toFixed(3)
        .padStart(6)} ${String(c.support).padStart(6)}`,
    );
  }
  const w = Math.max(6, ...labels.map((l) => Math.min(l.length, 10)));
  lines.push(`  confusion (rows = gold, columns = predicted)`);
  lines.push(`  ${''.padEnd(18)} ${labels.map((l) => l.slice(0, 10).padStart(w)).join(' ')}`);
  for (let k = 0; k < labels.length; k++) {
    lines.push(`  ${labels[k]!.padEnd(18)} ${r.confusion[k]!.map((v) => String(v).padStart(w)).join(' ')}`);
  }
  return lines.join('\n');
}

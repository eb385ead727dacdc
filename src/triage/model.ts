/**
 * Linear heads over hashed features, and their on-disk format: a `manifest.json` describing the heads
 * and a `weights.bin` of little-endian float16 (or float32) values, head after head (weights, then biases).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureConfig } from './features.ts';
import { fmix } from './text.ts';

export const MODEL_FORMAT = 'passeur-triage/1';

export interface HeadManifest {
  name: string;
  labels: string[];
  kind: 'softmax' | 'sigmoid';
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Added to the logits at prediction time (calibration / thresholds). */
  offsets?: number[];
  /** Where the head's weights come from: this model's file, or the base (default) model. */
  source?: 'self' | 'base';
  /** Adapted to an organization's corrections (its class frequencies are the organization's). */
  adapted?: boolean;
  /** Softmax temperature for reported probabilities (calibration; the decision does not change). */
  temperature?: number;
}

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  id: string;
  createdAt: string;
  features: FeatureConfig;
  dtype: 'f16' | 'f32';
  heads: HeadManifest[];
  /** Identifies the model this one adapts (learned organization models). */
  base?: string;
  /** Free-form training notes (data, sizes, scores). */
  training?: Record<string, unknown>;
}

export class LinearHead {
  readonly name: string;
  readonly labels: string[];
  readonly kind: 'softmax' | 'sigmoid';
  readonly bits: number;
  readonly mask: number;
  readonly K: number;
  readonly W: Float32Array;
  readonly b: Float32Array;
  offsets: Float32Array;
  adapted: boolean;
  temperature: number;
  /** 1 for buckets whose row has a non-zero weight (rows of zeros are skipped); null = to rebuild. */
  private nz: Uint8Array | null = null;

  constructor(spec: HeadManifest, W?: Float32Array, b?: Float32Array) {
    this.name = spec.name;
    this.labels = [...spec.labels];
    this.kind = spec.kind;
    this.bits = spec.bits;
    this.mask = (1 << spec.bits) - 1;
    this.K = spec.labels.length;
    this.W = W ?? new Float32Array((1 << spec.bits) * this.K);
    this.b = b ?? new Float32Array(this.K);
    this.offsets = Float32Array.from(spec.offsets ?? new Array<number>(this.K).fill(0));
    this.adapted = spec.adapted === true;
    this.temperature = spec.temperature ?? 1;
  }

  /** Call after changing W in place (training, priors). */
  invalidate(): void {
    this.nz = null;
  }

  private buildNz(): Uint8Array {
    const rows = 1 << this.bits;
    const nz = new Uint8Array(rows);
    const K = this.K;
    const W = this.W;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < K; k++) {
        if (W[r * K + k] !== 0) {
          nz[r] = 1;
          break;
        }
      }
    }
    this.nz = nz;
    return nz;
  }

  /** Raw logits (offsets included) into `out`. `mixed` holds fmix(feature) per feature. */
  logits(mixed: Uint32Array, vals: Float32Array, n: number, out: Float64Array): void {
    const K = this.K;
    const W = this.W;
    const mask = this.mask;
    const nz = this.nz ?? this.buildNz();
    for (let k = 0; k < K; k++) out[k] = this.b[k]! + this.offsets[k]!;
    if (K === 3) {
      let a0 = out[0]!;
      let a1 = out[1]!;
      let a2 = out[2]!;
      for (let j = 0; j < n; j++) {
        const bucket = mixed[j]! & mask;
        if (nz[bucket] === 0) continue;
        const r = bucket * 3;
        const v = vals[j]!;
        a0 += W[r]! * v;
        a1 += W[r + 1]! * v;
        a2 += W[r + 2]! * v;
      }
      out[0] = a0;
      out[1] = a1;
      out[2] = a2;
      return;
    }
    for (let j = 0; j < n; j++) {
      const bucket = mixed[j]! & mask;
      if (nz[bucket] === 0) continue;
      const r = bucket * K;
      const v = vals[j]!;
      for (let k = 0; k < K; k++) out[k]! += W[r + k]! * v;
    }
  }

  /** Zeroes weights smaller than `eps` in magnitude (negligible contributions; sparser rows are skipped). */
  prune(eps: number): void {
    const W = this.W;
    for (let i = 0; i < W.length; i++) if (Math.abs(W[i]!) < eps) W[i] = 0;
    this.invalidate();
  }

  /** Contribution of one (mixed) feature to label k. */
  weight(mixedFeature: number, k: number): number {
    return this.W[(mixedFeature & this.mask) * this.K + k]!;
  }

  clone(): LinearHead {
    return new LinearHead(this.spec(), Float32Array.from(this.W), Float32Array.from(this.b));
  }

  spec(): HeadManifest {
    const spec: HeadManifest = {
      name: this.name,
      labels: this.labels,
      kind: this.kind,
      bits: this.bits,
      offsets: Array.from(this.offsets),
    };
    if (this.adapted) spec.adapted = true;
    if (this.temperature !== 1) spec.temperature = this.temperature;
    return spec;
  }
}

export function softmaxInPlace(x: Float64Array, K: number): void {
  let m = -Infinity;
  for (let k = 0; k < K; k++) if (x[k]! > m) m = x[k]!;
  let s = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(x[k]! - m);
    x[k] = e;
    s += e;
  }
  for (let k = 0; k < K; k++) x[k]! /= s;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** fmix of every feature, shared by the heads. */
export function mixFeatures(feats: Uint32Array, n: number, out: Uint32Array): void {
  for (let j = 0; j < n; j++) out[j] = fmix(feats[j]!);
}

export interface LoadedModel {
  manifest: ModelManifest;
  heads: Map<string, LinearHead>;
  dir: string;
}

export function modelExists(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

/** Loads a model directory; heads marked `source: "base"` are taken from `base`. */
export function loadModel(dir: string, base?: LoadedModel): LoadedModel {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  if (manifest.format !== MODEL_FORMAT) throw new Error(`${dir}: unknown model format ${String(manifest.format)}`);
  const needsFile = manifest.heads.some((h) => h.source !== 'base');
  const buf = needsFile ? readFileSync(join(dir, 'weights.bin')) : Buffer.alloc(0);
  const bytes = manifest.dtype === 'f16' ? 2 : 4;
  let off = 0;
  const heads = new Map<string, LinearHead>();
  const read = (count: number): Float32Array => {
    const out = new Float32Array(count);
    const end = off + count * bytes;
    if (end > buf.length) throw new Error(`${dir}/weights.bin is truncated`);
    if (bytes === 2) {
      const src = new Float16Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + end));
      for (let i = 0; i < count; i++) out[i] = src[i]!;
    } else {
      out.set(new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + end)));
    }
    off = end;
    return out;
  };
  for (const spec of manifest.heads) {
    if (spec.source === 'base') {
      const from = base?.heads.get(spec.name);
      if (!from) throw new Error(`${dir}: head ${spec.name} refers to a base model that is not loaded`);
      const head = new LinearHead({ ...spec, bits: from.bits }, from.W, from.b);
      if (!spec.offsets) head.offsets = Float32Array.from(from.offsets);
      heads.set(spec.name, head);
      continue;
    }
    const K = spec.labels.length;
    const W = read((1 << spec.bits) * K);
    const b = read(K);
    heads.set(spec.name, new LinearHead(spec, W, b));
  }
  return { manifest, heads, dir };
}

/** Writes a model directory. Heads listed in `fromBase` are stored as references to the base model. */
export function saveModel(
  dir: string,
  manifest: Omit<ModelManifest, 'heads' | 'format'>,
  heads: LinearHead[],
  fromBase: ReadonlySet<string> = new Set(),
): void {
  mkdirSync(dir, { recursive: true });
  const specs: HeadManifest[] = [];
  const parts: Float32Array[] = [];
  for (const h of heads) {
    if (fromBase.has(h.name)) {
      specs.push({ ...h.spec(), source: 'base' });
      continue;
    }
    specs.push({ ...h.spec(), source: 'self' });
    parts.push(h.W, h.b);
  }
  const bytes = manifest.dtype === 'f16' ? 2 : 4;
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = Buffer.alloc(total * bytes);
  let off = 0;
  for (const p of parts) {
    if (bytes === 2) {
      const f16 = Float16Array.from(p);
      Buffer.from(f16.buffer).copy(out, off);
    } else {
      Buffer.from(p.buffer, p.byteOffset, p.byteLength).copy(out, off);
    }
    off += p.length * bytes;
  }
  const full: ModelManifest = { format: MODEL_FORMAT, ...manifest, heads: specs };
  if (total > 0) writeFileSync(join(dir, 'weights.bin'), out);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(full, null, 2)}\n`);
}

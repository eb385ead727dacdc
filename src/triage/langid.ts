/**
 * Compact language identification: the byte 4-gram scoring of ELD (Efficient Language Detector,
 * Nito T.M., Apache-2.0) re-implemented over typed arrays. `scripts/train-triage.ts` converts ELD's
 * n-gram database into `models/lang.bin` (hashed 4-grams → per-language scores); this detector then
 * needs ~3 MB instead of ~190 MB of JS objects and allocates almost nothing per text.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { LanguageDetector } from './lang.ts';
import { FNV_OFFSET, fnvStep, foldChar } from './text.ts';

const MAGIC = 0x4c444950; // 'PIDL'
const BASE_SCORE = 53;

export interface LangTable {
  langs: string[];
  /** Hash of each n-gram (sorted order irrelevant). */
  keys: Uint32Array;
  /** Number of (lang, score) pairs of each n-gram. */
  counts: Uint8Array;
  pairLang: Uint8Array;
  pairScore: Uint8Array;
}

/** Hash of an n-gram given as bytes (with its boundary spaces). */
export function ngramHash(bytes: ArrayLike<number>, from: number, to: number, lead: boolean, trail: boolean): number {
  let h = FNV_OFFSET;
  if (lead) h = fnvStep(h, 0x20);
  for (let i = from; i < to; i++) h = fnvStep(h, bytes[i]!);
  if (trail) h = fnvStep(h, 0x20);
  return h >>> 0;
}

export function writeLangTable(path: string, t: LangTable): void {
  const header = Buffer.from(JSON.stringify({ langs: t.langs, n: t.keys.length, pairs: t.pairLang.length }), 'utf8');
  const parts = [
    Buffer.from(Uint32Array.from([MAGIC, header.length]).buffer),
    header,
    Buffer.alloc((4 - (header.length % 4)) % 4),
    Buffer.from(t.keys.buffer, t.keys.byteOffset, t.keys.byteLength),
    Buffer.from(t.counts.buffer, t.counts.byteOffset, t.counts.byteLength),
    Buffer.from(t.pairLang.buffer, t.pairLang.byteOffset, t.pairLang.byteLength),
    Buffer.from(t.pairScore.buffer, t.pairScore.byteOffset, t.pairScore.byteLength),
  ];
  writeFileSync(path, Buffer.concat(parts));
}

export function readLangTable(path: string): LangTable {
  const buf = readFileSync(path);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const head = new Uint32Array(ab, 0, 2);
  if (head[0] !== MAGIC) throw new Error(`${path}: not a language table`);
  const hlen = head[1]!;
  const meta = JSON.parse(Buffer.from(ab, 8, hlen).toString('utf8')) as { langs: string[]; n: number; pairs: number };
  let off = 8 + hlen + ((4 - (hlen % 4)) % 4);
  const keys = new Uint32Array(ab, off, meta.n);
  off += meta.n * 4;
  const counts = new Uint8Array(ab, off, meta.n);
  off += meta.n;
  const pairLang = new Uint8Array(ab, off, meta.pairs);
  off += meta.pairs;
  const pairScore = new Uint8Array(ab, off, meta.pairs);
  return { langs: meta.langs, keys, counts, pairLang, pairScore };
}

function isLetterLower(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || c === 0x27 || c === 0x60;
  if (c === 0x2019) return true;
  if (c < 0x250) return c !== 0xd7 && c !== 0xf7 && c >= 0xc0;
  return foldChar(c) !== 0;
}

/** ELD-style detector over a LangTable. */
export class CompactLangDetector implements LanguageDetector {
  readonly name: string;
  confidence = 0;
  runnerUp = '';
  readonly langs: string[];
  private readonly slotKey: Uint32Array;
  private readonly slotStart: Int32Array;
  private readonly slotCount: Uint8Array;
  private readonly pairLang: Uint8Array;
  private readonly pairScore: Uint8Array;
  private readonly mask: number;
  private readonly scores: Float64Array;
  private readonly allowed: Uint8Array;
  private readonly bytes = new Uint8Array(1200);
  private readonly seen = new Uint32Array(512);
  private readonly seenGen = new Uint32Array(512);
  private gen = 1;

  /** Score multiplier per language (1 = preferred; < 1 = other languages when a preference is set). */
  private readonly prior: Float64Array;

  constructor(
    table: LangTable,
    opts: { name?: string; languages?: readonly string[]; preferred?: readonly string[]; otherWeight?: number } = {},
  ) {
    this.name = opts.name ?? 'passeur-langid';
    this.langs = table.langs;
    const n = table.keys.length;
    let size = 1;
    while (size < n * 2) size <<= 1;
    this.mask = size - 1;
    this.slotKey = new Uint32Array(size);
    this.slotStart = new Int32Array(size).fill(-1);
    this.slotCount = new Uint8Array(size);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const k = table.keys[i]!;
      let s = (k ^ (k >>> 16)) & this.mask;
      while (this.slotStart[s] !== -1) s = (s + 1) & this.mask;
      this.slotKey[s] = k;
      this.slotStart[s] = p;
      this.slotCount[s] = table.counts[i]!;
      p += table.counts[i]!;
    }
    this.pairLang = table.pairLang;
    this.pairScore = table.pairScore;
    this.scores = new Float64Array(this.langs.length);
    this.allowed = new Uint8Array(this.langs.length).fill(1);
    this.prior = new Float64Array(this.langs.length).fill(1);
    if (opts.preferred && opts.preferred.length > 0) {
      this.prior.fill(opts.otherWeight ?? 0.9);
      for (const l of opts.preferred) {
        const i = this.langs.indexOf(l);
        if (i >= 0) this.prior[i] = 1;
      }
    }
    if (opts.languages && opts.languages.length > 0) {
      this.allowed.fill(0);
      for (const l of opts.languages) {
        const i = this.langs.indexOf(l);
        if (i >= 0) this.allowed[i] = 1;
      }
    }
  }

  private add(h: number): void {
    // de-duplicate n-grams within a text, as ELD does
    const si = (h ^ (h >>> 13)) & 511;
    let s = si;
    while (this.seenGen[s] === this.gen) {
      if (this.seen[s] === h) return;
      s = (s + 1) & 511;
      if (s === si) return;
    }
    this.seenGen[s] = this.gen;
    this.seen[s] = h;
    let slot = (h ^ (h >>> 16)) & this.mask;
    for (;;) {
      const start = this.slotStart[slot]!;
      if (start === -1) return;
      if (this.slotKey[slot] === h) {
        const end = start + this.slotCount[slot]!;
        for (let p = start; p < end; p++) this.scores[this.pairLang[p]!]! += this.pairScore[p]! + BASE_SCORE;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private word(len: number): void {
    const b = this.bytes;
    const L = Math.min(len, 70);
    let j = 0;
    for (; j + 4 < L; j += 3) this.add(ngramHash(b, j, j + 4, j === 0, false));
    const from = L !== 3 ? Math.max(0, L - 4) : 0;
    this.add(ngramHash(b, from, L, j === 0, true));
  }

  /** Number of distinct n-grams of the last text (reliability). */
  ngrams = 0;

  detect(input: string): string {
    const text = (input.length > 1000 ? input.slice(0, 1000) : input).toLowerCase();
    this.scores.fill(0);
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.gen = 1;
      this.seenGen.fill(0);
    }
    const b = this.bytes;
    let len = 0;
    let total = 0;
    let words = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (!isLetterLower(c)) {
        if (len > 0) {
          this.word(len);
          words++;
          len = 0;
          if (total > 350) break;
        }
        continue;
      }
      if (c < 0x80) {
        b[len++] = c;
        total++;
      } else if (c < 0x800) {
        b[len++] = 0xc0 | (c >> 6);
        b[len++] = 0x80 | (c & 0x3f);
        total += 2;
      } else if (c < 0xd800 || c >= 0xe000) {
        b[len++] = 0xe0 | (c >> 12);
        b[len++] = 0x80 | ((c >> 6) & 0x3f);
        b[len++] = 0x80 | (c & 0x3f);
        total += 3;
      } else {
        i++;
        c = 0x10000 + (((c & 0x3ff) << 10) | (text.charCodeAt(i) & 0x3ff));
        b[len++] = 0xf0 | (c >> 18);
        b[len++] = 0x80 | ((c >> 12) & 0x3f);
        b[len++] = 0x80 | ((c >> 6) & 0x3f);
        b[len++] = 0x80 | (c & 0x3f);
        total += 4;
      }
      if (total > 380 || len > 1100) break;
    }
    if (len > 0) {
      this.word(len);
      words++;
    }
    let best = -1;
    let second = -1;
    const sc = this.scores;
    for (let l = 0; l < sc.length; l++) sc[l]! *= this.prior[l]!;
    for (let l = 0; l < sc.length; l++) {
      if (this.allowed[l] === 0 || sc[l]! <= 0) continue;
      if (best < 0 || sc[l]! > sc[best]!) {
        second = best;
        best = l;
      } else if (second < 0 || sc[l]! > sc[second]!) second = l;
    }
    let distinct = 0;
    for (let s = 0; s < 512; s++) if (this.seenGen[s] === this.gen) distinct++;
    this.ngrams = distinct;
    if (best < 0) {
      this.confidence = 0;
      this.runnerUp = '';
      return 'und';
    }
    // ELD's 0–1 scaling: (score / n-grams) / (score / n-grams + 25), then a margin-based confidence
    const top = sc[best]! / distinct / (sc[best]! / distinct + 25);
    const next = second >= 0 ? sc[second]! / distinct / (sc[second]! / distinct + 25) : 0;
    this.runnerUp = second >= 0 ? this.langs[second]! : '';
    this.confidence = Math.max(0, Math.min(1, 0.5 + (top - next) * 2.5)) * (distinct >= 3 ? 1 : 0.6);
    void words;
    return this.langs[best]!;
  }
}

/**
 * Converts ELD's n-gram database (the `ngramsData` export of `eld/src/ngrams/<size>.js` and its byte
 * `dictionary`) into a LangTable.
 */
export function convertEldDatabase(
  data: { languages: Record<string, string>; ngrams: Record<string, Record<string, number>> },
  dictionary: readonly string[],
): LangTable {
  const byteOf = new Map<string, number>();
  for (let i = 0x80; i < dictionary.length; i++) byteOf.set(dictionary[i]!, i);
  const langs = Object.keys(data.languages)
    .map(Number)
    .sort((a, b) => a - b)
    .map((k) => data.languages[String(k)]!);
  const keys: number[] = [];
  const counts: number[] = [];
  const pairLang: number[] = [];
  const pairScore: number[] = [];
  const seen = new Set<number>();
  for (const [key, entry] of Object.entries(data.ngrams)) {
    const bytes: number[] = [];
    for (const ch of key) {
      const c = ch.charCodeAt(0);
      if ((c >= 0x61 && c <= 0x7a) || c === 0x20 || c === 0x27 || c === 0x60) bytes.push(c);
      else {
        const b = byteOf.get(ch);
        if (b === undefined) throw new Error(`unknown n-gram char ${JSON.stringify(ch)}`);
        bytes.push(b);
      }
    }
    const h = ngramHash(bytes, 0, bytes.length, false, false);
    if (seen.has(h)) continue;
    seen.add(h);
    const langsOf = Object.entries(entry);
    keys.push(h);
    counts.push(langsOf.length);
    for (const [l, s] of langsOf) {
      pairLang.push(Number(l));
      pairScore.push(s);
    }
  }
  return {
    langs,
    keys: Uint32Array.from(keys),
    counts: Uint8Array.from(counts),
    pairLang: Uint8Array.from(pairLang),
    pairScore: Uint8Array.from(pairScore),
  };
}

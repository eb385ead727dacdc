/**
 * Readers for the public datasets used to train and measure triage (see docs/triage.md). They live
 * outside the repository, in `../shared/data` relative to the repository root, or in $PASSEUR_SHARED_DATA.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sentiment } from './types.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedDataDir(): string {
  return process.env.PASSEUR_SHARED_DATA ?? resolve(REPO_ROOT, '..', 'shared', 'data');
}

export function hasSharedData(): boolean {
  return existsSync(join(sharedDataDir(), 'sentiment-multilingual'));
}

function readJsonl<T>(path: string): T[] {
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const s = line.trim();
    if (s) out.push(JSON.parse(s) as T);
  }
  return out;
}

export interface SentimentExample {
  id: string;
  lang: string;
  text: string;
  sentiment: Sentiment;
}

export const XLMT_LANGS = ['en', 'fr', 'de', 'it', 'es'] as const;

/** XLM-T (UMSAB) tweets: `split` train or val. Apache-2.0; may ship models (with attribution). */
export function loadXlmt(lang: string, split: 'train' | 'val'): SentimentExample[] {
  return readJsonl<SentimentExample>(join(sharedDataDir(), 'sentiment-multilingual', `${lang}-${split}.jsonl`));
}

export interface AirlineExample {
  id: string;
  text: string;
  airline: string;
  sentiment: Sentiment;
  negativereason: string | null;
  created_at: string;
}

/** Twitter US Airline Sentiment (CC BY-NC-SA): for measuring and learning tests only, never for shipped models. */
export function loadAirline(): AirlineExample[] {
  return readJsonl<AirlineExample>(join(sharedDataDir(), 'airline-tweets-dev.jsonl'));
}

/** negativereason → airline topic (the mapping of the data README); `Can't Tell` and null → none. */
export const REASON_TOPIC: Record<string, string> = {
  'Late Flight': 'delay',
  'Cancelled Flight': 'cancellation',
  'Lost Luggage': 'baggage',
  'Damaged Luggage': 'baggage',
  'Flight Booking Problems': 'booking',
  'Customer Service Issue': 'customer_service',
  'Bad Flight': 'onboard',
  'Flight Attendant Complaints': 'onboard',
  longlines: 'airport',
};

export function airlineTopic(e: AirlineExample): string | undefined {
  return e.negativereason ? REASON_TOPIC[e.negativereason] : undefined;
}

/** Minimal CSV parser (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** banking77 (CC BY 4.0): customer-service queries to a bank, 77 categories. */
export function loadBanking77(): { text: string; category: string }[] {
  const rows = parseCsv(readFileSync(join(sharedDataDir(), 'banking77', 'train.csv'), 'utf8'));
  return rows.slice(1).map((r) => ({ text: r[0] ?? '', category: r[1] ?? '' }));
}

export interface CrisisTweet {
  event: string;
  text: string;
  informativeness: string;
  infoType: string;
}

/** CrisisLex T26 (MIT): tweets from 26 crises, labelled for relatedness and information type. */
export function loadCrisisLex(): CrisisTweet[] {
  const root = join(sharedDataDir(), 'crisislex-t26');
  const out: CrisisTweet[] = [];
  for (const event of readdirSync(root)) {
    const file = join(root, event, `${event}-tweets_labeled.csv`);
    if (!existsSync(file)) continue;
    const rows = parseCsv(readFileSync(file, 'utf8'));
    for (const r of rows.slice(1)) {
      out.push({ event, text: r[1] ?? '', infoType: (r[3] ?? '').trim(), informativeness: (r[4] ?? '').trim() });
    }
  }
  return out;
}

/** Deterministic shuffle (mulberry32). */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Demo content for the AirSocial organization: a deterministic stream of realistic inbound customer messages
 * (questions, complaints, requests, ideas, praise, threads, the odd hostile input) and a volcanic-ash-cloud surge,
 * shaped as the body of the ingest contract. All randomness comes from a seeded generator: the same seed and the
 * same calls give the same messages.
 */
import type { Intent, Sentiment } from '../triage/types.ts';
import { de } from './templates/de.ts';
import { en } from './templates/en.ts';
import { es } from './templates/es.ts';
import { fr } from './templates/fr.ts';
import { it } from './templates/it.ts';
import { nl } from './templates/nl.ts';
import { pt } from './templates/pt.ts';
import {
  DEMO_CITIES,
  DEMO_EMOJI,
  DEMO_URL_PATTERNS,
  type DemoCity,
  EMOJI_ONLY,
  HOSTILE_MARKUP,
  ODD_HANDLES,
  ROUTE_SEPARATORS,
  RTL_NAMES,
  RTL_PHRASES,
  ZERO_WIDTH_CHARS,
} from './templates/shared.ts';
import type { DemoTopic, FollowUpTemplate, LanguagePack, MessageTemplate, UrgentKind } from './templates/types.ts';

export type { CannedReply } from './templates/replies.ts';
export { DEMO_CANNED_REPLIES, DEMO_HOLDING_STATEMENTS } from './templates/replies.ts';
export type { DemoTopic, LanguagePack, UrgentKind } from './templates/types.ts';
export { URGENT_KINDS } from './templates/types.ts';

// ---------------------------------------------------------------------------------------------------------------
// Contract

/** The body of an ingest request on the built-in `sandbox` network. */
export interface DemoInbound {
  channel: 'sandbox';
  external_id: string;
  /** The brand handle the customer wrote to; absent for a plain mention found by monitoring. */
  account?: string;
  author: { handle: string; name?: string };
  text: string;
  /** ISO 8601, UTC. */
  created_at: string;
  /** external_id of the same customer's earlier message in this thread. */
  in_reply_to?: string;
}

export interface DemoStreamOptions {
  seed?: number;
  /**
   * Community key (`airsocial-fr`, `express-en`…) → support handle, merged over DEFAULT_DEMO_ACCOUNTS.
   * An empty handle makes every message of that desk a plain mention.
   */
  accounts?: Record<string, string>;
  /** Clock of the stream when `next()` is called without `now`. Default 2025-03-10T06:00:00Z. */
  start?: Date;
}

export interface CrisisSurgeOptions {
  seed?: number;
  accounts?: Record<string, string>;
  start: Date;
  minutes: number;
  perMinute: number;
  /** Languages of the surge (any of DEMO_LANGUAGES); default fr, de, it, en. */
  languages?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// The organization

export const DEMO_LANGUAGES = ['fr', 'de', 'it', 'en', 'es', 'nl', 'pt'] as const;
export type DemoLanguage = (typeof DEMO_LANGUAGES)[number];

export const DEMO_LANGUAGE_PACKS: Readonly<Record<DemoLanguage, LanguagePack>> = { fr, de, it, en, es, nl, pt };

export const DEMO_BRANDS = ['AirSocial', 'AirSocial Express'] as const;
export type DemoBrand = (typeof DEMO_BRANDS)[number];

export interface DemoCommunity {
  /** The community's slug (`<brand slug>-<language>`), also the key of the `accounts` option. */
  key: string;
  brand: DemoBrand;
  /** The desk's language; `en` is the international desk, which also takes es, nl and pt. */
  lang: 'fr' | 'de' | 'it' | 'en';
  handle: string;
}

export const DEMO_COMMUNITIES: readonly DemoCommunity[] = [
  { key: 'airsocial-fr', brand: 'AirSocial', lang: 'fr', handle: '@AirSocial' },
  { key: 'airsocial-de', brand: 'AirSocial', lang: 'de', handle: '@AirSocial_de' },
  { key: 'airsocial-it', brand: 'AirSocial', lang: 'it', handle: '@AirSocial_it' },
  { key: 'airsocial-en', brand: 'AirSocial', lang: 'en', handle: '@AirSocial_en' },
  { key: 'express-fr', brand: 'AirSocial Express', lang: 'fr', handle: '@AirSocialExpress_fr' },
  { key: 'express-de', brand: 'AirSocial Express', lang: 'de', handle: '@AirSocialExpress_de' },
  { key: 'express-it', brand: 'AirSocial Express', lang: 'it', handle: '@AirSocialExpress_it' },
  { key: 'express-en', brand: 'AirSocial Express', lang: 'en', handle: '@AirSocialExpress' },
];

export const DEFAULT_DEMO_ACCOUNTS: Readonly<Record<string, string>> = Object.fromEntries(
  DEMO_COMMUNITIES.map((c) => [c.key, c.handle]),
);

/** The desk that handles a language: fr/de/it have their own, everything else goes to the international desk. */
export function demoDeskLanguage(lang: string): DemoCommunity['lang'] {
  return lang === 'fr' || lang === 'de' || lang === 'it' ? lang : 'en';
}

export function demoCommunityKey(brand: DemoBrand, lang: string): string {
  return `${brand === 'AirSocial' ? 'airsocial' : 'express'}-${demoDeskLanguage(lang)}`;
}

/** Share of each language in the everyday stream. */
export const DEMO_LANGUAGE_WEIGHTS: Readonly<Record<DemoLanguage, number>> = {
  fr: 0.27,
  de: 0.27,
  it: 0.16,
  en: 0.21,
  es: 0.03,
  nl: 0.03,
  pt: 0.03,
};

const BRAND_WEIGHTS: readonly (readonly [DemoBrand, number])[] = [
  ['AirSocial', 0.65],
  ['AirSocial Express', 0.35],
];

const INTENT_WEIGHTS: readonly (readonly [Intent, number])[] = [
  ['complaint', 0.34],
  ['question', 0.3],
  ['request', 0.14],
  ['praise', 0.11],
  ['suggestion', 0.06],
  ['other', 0.05],
];

/** The words of the ash-cloud surge, per language (lower case). */
export const CRISIS_TERMS: Readonly<Record<DemoLanguage, readonly string[]>> = {
  fr: fr.crisisTerms,
  de: de.crisisTerms,
  it: it.crisisTerms,
  en: en.crisisTerms,
  es: es.crisisTerms,
  nl: nl.crisisTerms,
  pt: pt.crisisTerms,
};

// ---------------------------------------------------------------------------------------------------------------
// Labels: what the generator meant, kept apart from the contract (for tests, evaluation and demo scripts)

export const HOSTILE_KINDS = ['markup_name', 'markup_text', 'long_text', 'zero_width', 'rtl', 'emoji_only'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

export interface DemoLabel {
  lang: DemoLanguage;
  brand: DemoBrand;
  /** The desk the message belongs to, also when `account` is absent. */
  community: string;
  intent: Intent;
  topic: DemoTopic;
  sentiment: Sentiment;
  urgent: UrgentKind | null;
  /** `fr:t12` (template), `fr:f3` (follow-up), `fr:c2` (crisis), `fr:cf1` (crisis follow-up), `emoji:4`. */
  templateId: string;
  followUp: boolean;
  crisis: boolean;
  hostile: HostileKind | null;
}

export interface LabeledDemoInbound {
  message: DemoInbound;
  label: DemoLabel;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

interface Rng {
  /** In [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
}

function createRng(seed: number, stream: number): Rng {
  // splitmix32 to spread the seed, then mulberry32.
  let h = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  let state = (h ^ (h >>> 16)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(next() * items.length)] as T;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick,
    weighted<T>(entries: readonly (readonly [T, number])[]): T {
      let total = 0;
      for (const [, w] of entries) total += w;
      let r = next() * total;
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      const last = entries[entries.length - 1];
      if (!last) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Customers

interface Customer {
  handle: string;
  name?: string;
  firstName: string;
  lang: DemoLanguage;
}

const POOL_SIZES: Readonly<Record<DemoLanguage, number>> = {
  fr: 320,
  de: 320,
  it: 260,
  en: 300,
  es: 60,
  nl: 60,
  pt: 60,
};
const NAME_DECORATIONS = ['🌸', '✈️', '⛷️', '🌍', '☀️', '🏔️', '🇨🇭', '💙'];

function asciiFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[^A-Za-z0-9]/g, '');
}

function makeHandle(rng: Rng, first: string, last: string, words: readonly string[], taken: Set<string>): string {
  const f = asciiFold(first);
  const l = asciiFold(last);
  const fl = f.toLowerCase();
  const ll = l.toLowerCase();
  const patterns = [
    () => `${f}${l}`,
    () => `${fl}_${ll}`,
    () => `${fl}${ll.slice(0, 1)}${rng.int(60, 99)}`,
    () => `${fl.slice(0, 1)}${ll}`,
    () => `${fl}_${rng.pick(words)}`,
    () => `${f}${rng.int(1, 999)}`,
    () => `${rng.pick(words)}_${fl}`,
    () => `${ll}${fl.slice(0, 1)}`,
    () => `${f}_${l.slice(0, 1)}`,
  ];
  let base = rng.pick(patterns)().slice(0, 15);
  if (base.length < 3) base = `${base}${rng.int(100, 999)}`;
  let handle = base;
  while (taken.has(handle.toLowerCase())) handle = `${base.slice(0, 11)}${rng.int(10, 9999)}`;
  taken.add(handle.toLowerCase());
  return `@${handle}`;
}

function makeDisplayName(rng: Rng, first: string, last: string): string | undefined {
  const r = rng.next();
  if (r < 0.6) return `${first} ${last}`;
  if (r < 0.75) return `${first} ${last.slice(0, 1)}.`;
  if (r < 0.87) return first;
  if (r < 0.92) return `${first} ${rng.pick(NAME_DECORATIONS)}`;
  return undefined;
}

type Pools = Readonly<Record<DemoLanguage, readonly Customer[]>>;

function buildPools(seed: number): Pools {
  const rng = createRng(seed, 1);
  const taken = new Set<string>();
  const pools = {} as Record<DemoLanguage, Customer[]>;
  for (const lang of DEMO_LANGUAGES) {
    const pack = DEMO_LANGUAGE_PACKS[lang];
    const pool: Customer[] = [];
    for (let i = 0; i < POOL_SIZES[lang]; i++) {
      const first = rng.pick(pack.firstNames);
      const last = rng.pick(pack.lastNames);
      const handle = makeHandle(rng, first, last, pack.handleWords, taken);
      const name = makeDisplayName(rng, first, last);
      pool.push(name === undefined ? { handle, firstName: first, lang } : { handle, name, firstName: first, lang });
    }
    pools[lang] = pool;
  }
  return pools;
}

/** Some customers write often, most rarely. */
function pickCustomer(rng: Rng, pool: readonly Customer[]): Customer {
  const index = Math.floor(pool.length * rng.next() ** 1.6);
  return pool[Math.min(index, pool.length - 1)] as Customer;
}

// ---------------------------------------------------------------------------------------------------------------
// Slots

/** Slots naming things a customer keeps talking about; a thread remembers them so follow-ups stay consistent. */
const ENTITY_SLOTS = new Set([
  'flight',
  'flight2',
  'route',
  'from',
  'to',
  'city',
  'hub',
  'ref',
  'file',
  'member',
  'gate',
  'seat',
]);

const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ID_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const MINUTES = [15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 75, 90, 105, 120, 150, 180];
const AMOUNTS = [29, 35, 49, 60, 75, 89, 99, 120, 149, 180, 215, 240, 289, 310, 389, 450, 520, 620, 780, 1240];
const FEES = [6, 8, 9, 12, 15, 19];
const MILES = [500, 800, 1200, 2500, 3000, 4800, 6500, 7500, 12000];
const THOUSANDS: Readonly<Record<DemoLanguage, string>> = {
  fr: ' ',
  de: "'",
  it: '.',
  en: ',',
  es: '.',
  nl: '.',
  pt: ' ',
};

interface RenderContext {
  rng: Rng;
  pack: LanguagePack;
  lang: DemoLanguage;
  brand: DemoBrand;
  /** The handle written to, if any. */
  handle: string | undefined;
  customer: Customer;
  sentiment: Sentiment;
  crisis: boolean;
  pools: Pools;
  /** Entity slots already chosen in this thread. */
  values: Map<string, string>;
}

function randomString(rng: Rng, alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet.charAt(rng.int(0, alphabet.length - 1));
  return s;
}

function cityName(rng: Rng, city: DemoCity, lang: DemoLanguage): string {
  const names = city.names[lang] ?? city.names.en ?? [city.code];
  return rng.pick(names);
}

function flightNumber(rng: Rng, brand: DemoBrand): string {
  const digits =
    brand === 'AirSocial' ? (rng.chance(0.7) ? rng.int(1000, 2999) : rng.int(100, 999)) : rng.int(100, 999);
  const code = brand === 'AirSocial' ? 'AS' : 'ASX';
  const r = rng.next();
  if (r < 0.08) return `${code} ${digits}`;
  if (r < 0.12) return `${code.toLowerCase()}${digits}`;
  return `${code}${digits}`;
}

function formatTime(rng: Rng, pack: LanguagePack): string {
  const hour = rng.int(5, 22);
  const minute = rng.int(0, 11) * 5;
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return rng
    .pick(pack.timeFormats)
    .replace('{H}', String(hour))
    .replace('{h}', String(h12))
    .replace('{mm}', String(minute).padStart(2, '0'))
    .replace('{ampm}', hour < 12 ? 'am' : 'pm');
}

function ensureRoute(ctx: RenderContext): void {
  if (ctx.values.has('_from')) return;
  const { rng } = ctx;
  const eligible = ctx.brand === 'AirSocial' ? DEMO_CITIES : DEMO_CITIES.filter((c) => !c.longHaul);
  const from = rng.pick(eligible);
  let to = rng.pick(eligible);
  while (to.code === from.code) to = rng.pick(eligible);
  const hubs = DEMO_CITIES.filter((c) => c.hub && c.code !== from.code && c.code !== to.code);
  const hub = rng.pick(hubs);
  const fromName = cityName(rng, from, ctx.lang);
  const toName = cityName(rng, to, ctx.lang);
  ctx.values.set('_from', from.code);
  ctx.values.set('_to', to.code);
  ctx.values.set('from', fromName);
  ctx.values.set('to', toName);
  ctx.values.set('city', fromName);
  ctx.values.set('hub', cityName(rng, hub, ctx.lang));
  ctx.values.set('route', `${fromName}${rng.pick(ROUTE_SEPARATORS)}${toName}`);
}

function entityValue(ctx: RenderContext, slot: string): string {
  const known = ctx.values.get(slot);
  if (known !== undefined) return known;
  const { rng } = ctx;
  let value: string;
  switch (slot) {
    case 'route':
    case 'from':
    case 'to':
    case 'city':
    case 'hub':
      ensureRoute(ctx);
      return ctx.values.get(slot) ?? '';
    case 'flight':
      value = flightNumber(rng, ctx.brand);
      break;
    case 'flight2': {
      const first = entityValue(ctx, 'flight');
      value = flightNumber(rng, ctx.brand);
      while (value === first) value = flightNumber(rng, ctx.brand);
      break;
    }
    case 'ref':
      value = randomString(rng, REF_ALPHABET, 6);
      break;
    case 'file':
      ensureRoute(ctx);
      value = `${ctx.values.get('_to') ?? 'GVA'}AS${rng.int(10000, 99999)}`;
      break;
    case 'member':
      value = String(rng.int(100_000_000, 999_999_999));
      break;
    case 'gate':
      value = `${rng.pick(['A', 'B', 'C', 'D', 'E'])}${rng.int(1, 58)}`;
      break;
    case 'seat':
      value = `${rng.int(1, 32)}${rng.pick(['A', 'B', 'C', 'D', 'E', 'F'])}`;
      break;
    default:
      throw new RangeError(`unknown entity slot {${slot}}`);
  }
  ctx.values.set(slot, value);
  return value;
}

function withThousands(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function slotValue(ctx: RenderContext, slot: string): string {
  if (ENTITY_SLOTS.has(slot)) return entityValue(ctx, slot);
  const { rng, pack } = ctx;
  switch (slot) {
    case 'time':
      return formatTime(rng, pack);
    case 'day':
      return rng.pick(pack.days);
    case 'past':
      return rng.pick(pack.pastDays);
    case 'hours':
      return String(rng.int(2, 9));
    case 'minutes':
      return String(rng.pick(MINUTES));
    case 'n':
      return String(rng.int(2, 6));
    case 'amount':
      return rng.pick(pack.amountFormats).replace('{n}', withThousands(rng.pick(AMOUNTS), THOUSANDS[ctx.lang]));
    case 'fee':
      return rng.pick(pack.amountFormats).replace('{n}', String(rng.pick(FEES)));
    case 'miles':
      return withThousands(rng.pick(MILES), THOUSANDS[ctx.lang]);
    case 'brand':
      return ctx.brand;
    case 'at':
      return ctx.handle ?? ctx.brand;
    case 'friend': {
      const pool = ctx.pools[ctx.lang];
      let friend = rng.pick(pool);
      if (friend.handle === ctx.customer.handle) friend = rng.pick(pool);
      return friend.handle;
    }
    case 'name':
      return ctx.customer.firstName;
    case 'agent':
      return rng.pick(pack.agents);
    case 'media':
      return rng.pick(pack.media);
    case 'hashtag':
      return rng.pick(ctx.crisis && rng.chance(0.7) ? pack.crisisHashtags : pack.hashtags[ctx.sentiment]);
    case 'emoji': {
      const emoji = rng.pick(DEMO_EMOJI[ctx.sentiment]);
      return ctx.sentiment === 'negative' && rng.chance(0.3) ? emoji.repeat(rng.int(2, 3)) : emoji;
    }
    case 'url':
      return rng
        .pick(DEMO_URL_PATTERNS)
        .replace('{id}', randomString(rng, ID_ALPHABET, rng.int(6, 10)))
        .replace('{ref}', entityValue(ctx, 'ref'))
        .replace('{flight}', entityValue(ctx, 'flight').replace(' ', ''));
    default:
      throw new RangeError(`unknown slot {${slot}} in a ${ctx.lang} template`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering: how people actually type

interface Typing {
  stripAccents: boolean;
  lower: boolean;
  shout: boolean;
  typo: boolean;
}

function chooseTyping(rng: Rng, lang: DemoLanguage, sentiment: Sentiment, text: string, followUp: boolean): Typing {
  return {
    stripAccents: lang !== 'en' && lang !== 'nl' && rng.chance(lang === 'de' ? 0.06 : 0.1),
    lower: rng.chance(followUp ? 0.12 : 0.06),
    shout: sentiment === 'negative' && text.length < 170 && rng.chance(0.07),
    typo: rng.chance(0.06),
  };
}

function stripAccents(s: string, lang: DemoLanguage): string {
  if (lang === 'de') {
    return s
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/Ä/g, 'Ae')
      .replace(/Ö/g, 'Oe')
      .replace(/Ü/g, 'Ue')
      .replace(/ß/g, 'ss');
  }
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

function addTypo(rng: Rng, word: string): string {
  const i = rng.int(1, word.length - 3);
  switch (rng.int(0, 2)) {
    case 0:
      return word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    default:
      return word.slice(0, i) + word.charAt(i) + word.slice(i);
  }
}

/** Words a typo must not touch: the brand and the crisis vocabulary people search for. */
function isProtected(word: string, pack: LanguagePack): boolean {
  const lower = word.toLowerCase();
  if (lower.includes('airsocial')) return true;
  return pack.crisisTerms.some((term) => term.split(' ').some((w) => w.length >= 3 && lower.includes(w)));
}

function render(ctx: RenderContext, template: string, typing: Typing): string {
  const parts = template.split(/(\{[a-z0-9]+\})/);
  const candidates: { part: number; at: number; word: string }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    let part = parts[i] ?? '';
    if (typing.stripAccents) part = stripAccents(part, ctx.lang);
    if (typing.lower) part = part.toLowerCase();
    if (typing.shout) part = part.toUpperCase();
    parts[i] = part;
    if (!typing.typo) continue;
    for (const m of part.matchAll(/\p{L}{6,}/gu)) {
      if (!isProtected(m[0], ctx.pack)) candidates.push({ part: i, at: m.index ?? 0, word: m[0] });
    }
  }
  if (candidates.length > 0) {
    const { part, at, word } = ctx.rng.pick(candidates);
    const text = parts[part] ?? '';
    parts[part] = text.slice(0, at) + addTypo(ctx.rng, word) + text.slice(at + word.length);
  }
  for (let i = 1; i < parts.length; i += 2) parts[i] = slotValue(ctx, (parts[i] ?? '{}').slice(1, -1));
  return parts.join('');
}

/** Emphasis, a trailing emoji or hashtag, the handle written to, a brand tag on plain mentions. */
function decorate(ctx: RenderContext, text: string, template: string, followUp: boolean): string {
  const { rng } = ctx;
  let out = text;
  if (ctx.sentiment === 'negative' && rng.chance(0.1))
    out = out.replace(/([.!?])[.!?]*$/, (_, last: string) =>
      last === '?' ? rng.pick(['??', '?!', '???']) : rng.pick(['!!!', '!!', '!!1']),
    );
  if (!template.includes('{emoji}') && rng.chance(followUp ? 0.08 : 0.12)) {
    out = `${out} ${rng.pick(DEMO_EMOJI[ctx.sentiment])}`;
  }
  if (!template.includes('{hashtag}') && rng.chance(ctx.crisis ? 0.2 : 0.06)) {
    out = `${out} ${rng.pick(ctx.crisis ? ctx.pack.crisisHashtags : ctx.pack.hashtags[ctx.sentiment])}`;
  }
  if (ctx.handle) {
    const r = rng.next();
    if (r < (followUp ? 0.7 : 0.5)) out = `${ctx.handle} ${out}`;
    else if (r < (followUp ? 0.75 : 0.58)) out = `${out} ${ctx.handle}`;
  } else {
    out = withBrandTag(ctx, out);
  }
  return out;
}

/** A plain mention is only found if it names the brand; add the brand's hashtag when the text does not. */
function withBrandTag(ctx: RenderContext, text: string): string {
  if ((ctx.brand === 'AirSocial' ? /airsocial(?! ?express)/i : /airsocial ?express/i).test(text)) return text;
  const tag = ctx.brand === 'AirSocial' ? '#AirSocial' : '#AirSocialExpress';
  return `${text} ${ctx.rng.chance(0.2) ? tag.toLowerCase() : tag}`;
}

function defaultSentiment(intent: Intent): Sentiment {
  if (intent === 'complaint') return 'negative';
  if (intent === 'praise') return 'positive';
  return 'neutral';
}

// ---------------------------------------------------------------------------------------------------------------
// Generator core, shared by the stream and the surge

interface Thread {
  lastId: string;
  lastAt: number;
  customer: Customer;
  lang: DemoLanguage;
  brand: DemoBrand;
  handle: string | undefined;
  topic: DemoTopic;
  values: Map<string, string>;
  remaining: number;
  crisis: boolean;
}

interface IndexedTemplate {
  template: MessageTemplate;
  id: string;
}

/** At most this many threads are remembered; the oldest are forgotten first. */
const MAX_OPEN_THREADS = 300;
const FOLLOW_UP_SHARE = 0.25;
const HOSTILE_SHARE = 0.02;
const MENTION_SHARE = 0.1;
const DEFAULT_START = Date.UTC(2025, 2, 10, 6, 0, 0);

function indexTemplates(lang: DemoLanguage, templates: readonly MessageTemplate[], prefix: string) {
  const byIntent = new Map<Intent, (readonly [IndexedTemplate, number])[]>();
  templates.forEach((template, i) => {
    const list = byIntent.get(template.intent) ?? [];
    list.push([{ template, id: `${lang}:${prefix}${i}` }, template.urgent ? 0.5 : 1]);
    byIntent.set(template.intent, list);
  });
  return byIntent;
}

const TEMPLATE_INDEX = Object.fromEntries(
  DEMO_LANGUAGES.map((lang) => [lang, indexTemplates(lang, DEMO_LANGUAGE_PACKS[lang].templates, 't')]),
) as Record<DemoLanguage, Map<Intent, (readonly [IndexedTemplate, number])[]>>;

function resolveAccounts(accounts: Record<string, string> | undefined): Record<string, string> {
  return { ...DEFAULT_DEMO_ACCOUNTS, ...accounts };
}

class Generator {
  readonly rng: Rng;
  readonly pools: Pools;
  readonly accounts: Record<string, string>;
  readonly threads: Thread[] = [];

  constructor(seed: number, stream: number, accounts: Record<string, string> | undefined) {
    this.rng = createRng(seed, stream);
    this.pools = buildPools(seed);
    this.accounts = resolveAccounts(accounts);
  }

  context(
    lang: DemoLanguage,
    brand: DemoBrand,
    handle: string | undefined,
    customer: Customer,
    sentiment: Sentiment,
    crisis: boolean,
    values = new Map<string, string>(),
  ): RenderContext {
    const pack = DEMO_LANGUAGE_PACKS[lang];
    return { rng: this.rng, pack, lang, brand, handle, customer, sentiment, crisis, pools: this.pools, values };
  }

  /** The handle a new message is written to, or undefined for a plain mention. */
  chooseHandle(brand: DemoBrand, lang: DemoLanguage): string | undefined {
    if (this.rng.chance(MENTION_SHARE)) return undefined;
    return this.accounts[demoCommunityKey(brand, lang)] || undefined;
  }

  chooseTemplate(lang: DemoLanguage): IndexedTemplate {
    const index = TEMPLATE_INDEX[lang];
    const intents = INTENT_WEIGHTS.filter(([intent]) => index.has(intent));
    const intent = this.rng.weighted(intents);
    return this.rng.weighted(index.get(intent) ?? []);
  }

  /** A message opening a new conversation. */
  fresh(
    id: string,
    at: number,
    lang: DemoLanguage,
    picked: IndexedTemplate,
    crisis: boolean,
    openThread: boolean,
  ): LabeledDemoInbound {
    const { rng } = this;
    const brand = rng.weighted(BRAND_WEIGHTS);
    const handle = this.chooseHandle(brand, lang);
    const customer = pickCustomer(rng, this.pools[lang]);
    const { template } = picked;
    const sentiment = template.sentiment ?? defaultSentiment(template.intent);
    const ctx = this.context(lang, brand, handle, customer, sentiment, crisis);
    const typing = chooseTyping(rng, lang, sentiment, template.text, false);
    const text = decorate(ctx, render(ctx, template.text, typing), template.text, false);
    const message = inbound(id, handle, customer, text, at);
    if (openThread) {
      this.remember({
        lastId: id,
        lastAt: at,
        customer,
        lang,
        brand,
        handle,
        topic: template.topic,
        values: ctx.values,
        remaining: rng.int(1, 4),
        crisis,
      });
    }
    return {
      message,
      label: {
        lang,
        brand,
        community: demoCommunityKey(brand, lang),
        intent: template.intent,
        topic: template.topic,
        sentiment,
        urgent: template.urgent ?? null,
        templateId: picked.id,
        followUp: false,
        crisis,
        hostile: null,
      },
    };
  }

  remember(thread: Thread): void {
    this.threads.push(thread);
    if (this.threads.length > MAX_OPEN_THREADS) this.threads.shift();
  }

  /** An open thread whose last message is older than `at`, recent ones first; undefined if none. */
  takeThread(at: number, crisis: boolean): Thread | undefined {
    const n = this.threads.length;
    if (n === 0) return undefined;
    const index = n - 1 - Math.floor(n * this.rng.next() ** 1.5);
    const thread = this.threads[Math.max(0, index)];
    if (!thread || thread.lastAt >= at || thread.crisis !== crisis) return undefined;
    return thread;
  }

  /** The same customer writing again in a thread. */
  followUp(id: string, at: number, thread: Thread): LabeledDemoInbound {
    const { rng } = this;
    const pack = DEMO_LANGUAGE_PACKS[thread.lang];
    const list = thread.crisis ? pack.crisisFollowUps : pack.followUps;
    const index = rng.int(0, list.length - 1);
    const fu = list[index] as FollowUpTemplate;
    const sentiment = fu.sentiment ?? defaultSentiment(fu.intent);
    const topic = fu.topic ?? thread.topic;
    const ctx = this.context(
      thread.lang,
      thread.brand,
      thread.handle,
      thread.customer,
      sentiment,
      thread.crisis,
      thread.values,
    );
    const typing = chooseTyping(rng, thread.lang, sentiment, fu.text, true);
    const text = decorate(ctx, render(ctx, fu.text, typing), fu.text, true);
    const message = inbound(id, thread.handle, thread.customer, text, at, thread.lastId);
    thread.lastId = id;
    thread.lastAt = at;
    thread.topic = topic;
    thread.remaining -= 1;
    if (fu.closes || thread.remaining <= 0) this.threads.splice(this.threads.indexOf(thread), 1);
    return {
      message,
      label: {
        lang: thread.lang,
        brand: thread.brand,
        community: demoCommunityKey(thread.brand, thread.lang),
        intent: fu.intent,
        topic,
        sentiment,
        urgent: null,
        templateId: `${thread.lang}:${thread.crisis ? 'cf' : 'f'}${index}`,
        followUp: true,
        crisis: thread.crisis,
        hostile: null,
      },
    };
  }

  /** Input a safe interface must show as plain text. */
  hostile(id: string, at: number, lang: DemoLanguage): LabeledDemoInbound {
    const { rng } = this;
    const kind = rng.pick(HOSTILE_KINDS);
    const base = this.fresh(id, at, lang, this.chooseTemplate(lang), false, false);
    const { message, label } = base;
    label.hostile = kind;
    const markup = (): string =>
      rng.weighted([
        [HOSTILE_MARKUP[0] ?? '', 4],
        [HOSTILE_MARKUP[1] ?? '', 3.5],
        [rng.pick(HOSTILE_MARKUP.slice(2)), 2.5],
      ]);
    const oddHandle = (): string => `@${rng.pick(ODD_HANDLES)}${rng.int(1, 99)}`;
    switch (kind) {
      case 'markup_name': {
        const name = message.author.name;
        message.author = { handle: oddHandle(), name: rng.chance(0.5) || !name ? markup() : `${name}${markup()}` };
        break;
      }
      case 'markup_text':
        message.author = { handle: oddHandle() };
        message.text = rng.chance(0.5) ? `${message.text} ${markup()}` : `${markup()} ${message.text}`;
        break;
      case 'long_text': {
        const { text, first } = this.rant(lang, label.brand, message.account, message.author);
        message.text = text;
        Object.assign(label, {
          intent: 'complaint',
          topic: first.template.topic,
          sentiment: 'negative',
          urgent: first.template.urgent ?? null,
          templateId: first.id,
        } satisfies Partial<DemoLabel>);
        break;
      }
      case 'zero_width': {
        const chars = [...message.text];
        for (let k = rng.int(2, 5); k > 0; k--)
          chars.splice(rng.int(1, chars.length - 1), 0, rng.pick(ZERO_WIDTH_CHARS));
        message.text = chars.join('');
        if (message.author.name && rng.chance(0.4)) {
          const name = message.author.name;
          message.author = {
            ...message.author,
            name: `${name.slice(0, 2)}${rng.pick(ZERO_WIDTH_CHARS)}${name.slice(2)}`,
          };
        }
        break;
      }
      case 'rtl':
        if (rng.chance(0.5)) message.author = { handle: message.author.handle, name: rng.pick(RTL_NAMES) };
        message.text = `${message.text} ${rng.pick(RTL_PHRASES)}`;
        break;
      case 'emoji_only': {
        const index = rng.int(0, EMOJI_ONLY.length - 1);
        const only = EMOJI_ONLY[index] ?? { text: '😡', sentiment: 'negative' };
        message.text = only.text;
        Object.assign(label, {
          intent: 'other',
          topic: 'other',
          sentiment: only.sentiment,
          urgent: null,
          templateId: `emoji:${index}`,
        } satisfies Partial<DemoLabel>);
        break;
      }
    }
    return base;
  }

  /** A 3–4k character complaint made of several grievances. */
  rant(
    lang: DemoLanguage,
    brand: DemoBrand,
    handle: string | undefined,
    author: DemoInbound['author'],
  ): { text: string; first: IndexedTemplate } {
    const { rng } = this;
    const pack = DEMO_LANGUAGE_PACKS[lang];
    const complaints = (TEMPLATE_INDEX[lang].get('complaint') ?? []).map(([t]) => t);
    const customer: Customer = { ...author, firstName: author.name?.split(' ')[0] ?? '', lang };
    const ctx = this.context(lang, brand, handle, customer, 'negative', false);
    const plain: Typing = { stripAccents: false, lower: false, shout: false, typo: false };
    const target = rng.int(3000, 3800);
    const first = rng.pick(complaints);
    let text = handle ? `${handle} ` : '';
    text += render(ctx, first.template.text, plain);
    while (text.length < target) {
      ctx.values.clear();
      const next = render(ctx, rng.pick(complaints).template.text, { ...plain, typo: rng.chance(0.3) });
      text += `${rng.pick(pack.rantGlue)}${next}`;
    }
    if (!handle) text = withBrandTag(ctx, text);
    if (text.length > 4000) text = `${text.slice(0, text.lastIndexOf(' ', 3970))}…`;
    return { text, first };
  }
}

function inbound(
  id: string,
  handle: string | undefined,
  customer: Customer,
  text: string,
  at: number,
  inReplyTo?: string,
): DemoInbound {
  return {
    channel: 'sandbox',
    external_id: id,
    ...(handle ? { account: handle } : {}),
    author:
      customer.name === undefined ? { handle: customer.handle } : { handle: customer.handle, name: customer.name },
    text,
    created_at: new Date(at).toISOString(),
    ...(inReplyTo ? { in_reply_to: inReplyTo } : {}),
  };
}

function pickLanguage(rng: Rng, languages: readonly DemoLanguage[]): DemoLanguage {
  return rng.weighted(languages.map((lang) => [lang, DEMO_LANGUAGE_WEIGHTS[lang]] as const));
}

function seedOf(seed: number | undefined): number {
  if (seed === undefined) return 1;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  return Math.trunc(seed);
}

// ---------------------------------------------------------------------------------------------------------------
// Everyday stream

/** Like createDemoStream, with what each message was generated as. */
export function createLabeledDemoStream(opts: DemoStreamOptions = {}): { next(now?: Date): LabeledDemoInbound } {
  const seed = seedOf(opts.seed);
  const gen = new Generator(seed, 2, opts.accounts);
  let clock = opts.start ? opts.start.getTime() : DEFAULT_START;
  let count = 0;

  /** Quieter at night (UTC), busy during the European day. */
  const advance = (): void => {
    const hour = new Date(clock).getUTCHours();
    const mean = hour >= 21 || hour < 4 ? 240_000 : hour < 6 ? 90_000 : 35_000;
    clock += Math.max(1000, Math.round(-Math.log(1 - gen.rng.next()) * mean));
  };

  return {
    next(now?: Date): LabeledDemoInbound {
      if (now) clock = now.getTime();
      else if (count > 0) advance();
      count += 1;
      const id = `demo-${seed}-${count}`;
      const { rng } = gen;
      if (rng.chance(HOSTILE_SHARE)) return gen.hostile(id, clock, pickLanguage(rng, DEMO_LANGUAGES));
      if (rng.chance(FOLLOW_UP_SHARE / (1 - HOSTILE_SHARE))) {
        const thread = gen.takeThread(clock, false);
        if (thread) return gen.followUp(id, clock, thread);
      }
      const lang = pickLanguage(rng, DEMO_LANGUAGES);
      return gen.fresh(id, clock, lang, gen.chooseTemplate(lang), false, rng.chance(0.65));
    },
  };
}

/**
 * An endless, deterministic stream of inbound customer messages. Without `now`, `next()` moves the stream's own clock
 * (from `start`) by a realistic gap; with `now`, the message is dated `now`.
 */
export function createDemoStream(opts: DemoStreamOptions = {}): { next(now?: Date): DemoInbound } {
  const labeled = createLabeledDemoStream(opts);
  return { next: (now?: Date) => labeled.next(now).message };
}

// ---------------------------------------------------------------------------------------------------------------
// Volcanic-ash-cloud surge

const DEFAULT_CRISIS_LANGUAGES: readonly DemoLanguage[] = ['fr', 'de', 'it', 'en'];

function isDemoLanguage(lang: string): lang is DemoLanguage {
  return (DEMO_LANGUAGES as readonly string[]).includes(lang);
}

/** Like createCrisisSurge, with what each message was generated as. */
export function createLabeledCrisisSurge(opts: CrisisSurgeOptions): LabeledDemoInbound[] {
  const seed = seedOf(opts.seed);
  const start = opts.start.getTime();
  if (!Number.isFinite(start)) throw new RangeError('start must be a valid date');
  if (!(opts.minutes >= 0) || !(opts.perMinute >= 0)) throw new RangeError('minutes and perMinute must be ≥ 0');
  const requested = opts.languages ?? DEFAULT_CRISIS_LANGUAGES;
  if (requested.length === 0) throw new RangeError('languages must not be empty');
  const languages = requested.map((lang) => {
    if (!isDemoLanguage(lang))
      throw new RangeError(`unknown demo language "${lang}" (one of ${DEMO_LANGUAGES.join(', ')})`);
    return lang;
  });

  const gen = new Generator(seed, 3, opts.accounts);
  const { rng } = gen;
  const total = Math.round(opts.minutes * opts.perMinute);
  const windowMs = opts.minutes * 60_000;
  const times = Array.from({ length: total }, () => start + Math.floor(rng.next() * windowMs)).sort((a, b) => a - b);
  const prefix = `demo-${seed}-ash${start.toString(36)}`;
  const index = Object.fromEntries(
    languages.map((lang) => [lang, indexTemplates(lang, DEMO_LANGUAGE_PACKS[lang].crisis, 'c')]),
  ) as Record<DemoLanguage, Map<Intent, (readonly [IndexedTemplate, number])[]>>;
  const crisisIntents: readonly (readonly [Intent, number])[] = [
    ['complaint', 0.5],
    ['question', 0.44],
    ['request', 0.03],
    ['praise', 0.03],
  ];

  return times.map((at, i) => {
    const id = `${prefix}-${i + 1}`;
    if (rng.chance(0.15)) {
      const thread = gen.takeThread(at, true);
      if (thread) return gen.followUp(id, at, thread);
    }
    const lang = pickLanguage(rng, languages);
    const byIntent = index[lang];
    const intent = rng.weighted(crisisIntents.filter(([k]) => byIntent.has(k)));
    const picked = rng.weighted(byIntent.get(intent) ?? []);
    return gen.fresh(id, at, lang, picked, true, rng.chance(0.5));
  });
}

/**
 * A burst of `minutes × perMinute` messages about a volcanic ash cloud (cancellations, rebooking, refunds, hotel
 * vouchers), mostly negative, dated across [start, start + minutes) in chronological order.
 */
export function createCrisisSurge(opts: CrisisSurgeOptions): DemoInbound[] {
  return createLabeledCrisisSurge(opts).map((m) => m.message);
}

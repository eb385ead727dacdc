import { createCrisisSurge, createDemoStream } from '../../demo/corpus.ts';

/**
 * Synthetic but realistic traffic to measure the detector: several communities of very different sizes, a
 * daily cycle (quiet nights, busy mornings and evenings), weekend dips, smooth hour-to-hour noise, Poisson arrivals;
 * optionally a surge (a volcanic ash cloud) injected into one community. Seeded: the same options give the
 * same stream.
 */
export interface ReplayCommunity {
  name: string;
  /** Messages per hour at the busiest hour of a weekday. */
  peakPerHour: number;
  language: 'fr' | 'de' | 'it' | 'en';
}

export interface ReplayOptions {
  seed: number;
  start: Date;
  days: number;
  communities: ReplayCommunity[];
  surge?: { community: string; at: Date; minutes: number; factor: number };
  /** Texts of normal traffic; default the demo corpus. */
  texts?: (i: number) => string;
}

export interface ReplayMessage {
  id: string;
  text: string;
  at: number;
  community: string;
  surge: boolean;
}

/** Share of the peak rate by hour of day (local = UTC here): night, morning peak, afternoon, evening. */
const DAILY = [
  0.12, 0.08, 0.06, 0.05, 0.07, 0.15, 0.35, 0.7, 0.95, 1, 0.9, 0.85, 0.8, 0.75, 0.75, 0.8, 0.85, 0.9, 0.95, 0.85, 0.7,
  0.5, 0.3, 0.2,
];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function replay(opts: ReplayOptions): ReplayMessage[] {
  const rand = prng(opts.seed);
  const out: ReplayMessage[] = [];
  const streams = new Map(opts.communities.map((c, i) => [c.name, createDemoStream({ seed: opts.seed * 31 + i })]));
  const startMs = opts.start.getTime();
  const hours = opts.days * 24;
  let n = 0;
  for (const c of opts.communities) {
    const stream = streams.get(c.name)!;
    // Hour-to-hour noise of ±25 %, varying smoothly between hourly knots (traffic does not jump on the hour).
    const noise = Array.from({ length: hours + 1 }, () => 0.75 + rand() * 0.5);
    const rateAt = (ms: number) => {
      const h = (ms - startMs) / 3_600_000;
      const i = Math.floor(h);
      const f = h - i;
      const at = new Date(ms);
      const hour = at.getUTCHours() + at.getUTCMinutes() / 60;
      const d0 = DAILY[Math.floor(hour) % 24]!;
      const d1 = DAILY[(Math.floor(hour) + 1) % 24]!;
      const daily = d0 + (d1 - d0) * (hour - Math.floor(hour));
      const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 0.7 : 1;
      const n = noise[i]! + (noise[Math.min(hours, i + 1)]! - noise[i]!) * f;
      return c.peakPerHour * daily * weekend * n;
    };
    // Poisson arrivals with a varying rate, by thinning a faster constant-rate process.
    const max = c.peakPerHour * 1.3;
    let t = startMs;
    const end = startMs + hours * 3_600_000;
    for (;;) {
      t += (-Math.log(1 - rand()) / max) * 3_600_000;
      if (t >= end) break;
      if (rand() * max > rateAt(t)) continue;
      const text = opts.texts ? opts.texts(n) : stream.next().text;
      out.push({ id: `r${n++}`, text, at: Math.floor(t), community: c.name, surge: false });
    }
  }
  if (opts.surge) {
    const s = opts.surge;
    const c = opts.communities.find((x) => x.name === s.community);
    if (!c) throw new Error(`no community ${s.community}`);
    const at = new Date(s.at);
    const base = (c.peakPerHour * DAILY[at.getUTCHours()]!) / 60;
    const extra = Math.max(1, Math.round(base * (s.factor - 1)));
    const surge = createCrisisSurge({
      seed: opts.seed,
      start: at,
      minutes: s.minutes,
      perMinute: extra,
      languages: [c.language],
    });
    // The surge's own messages arrive as a Poisson process at the extra rate (the corpus gives the texts).
    let t = at.getTime();
    const end = at.getTime() + s.minutes * 60_000;
    for (const m of surge) {
      t += (-Math.log(1 - rand()) / extra) * 60_000;
      if (t >= end) break;
      out.push({ id: `s${n++}`, text: m.text, at: Math.floor(t), community: s.community, surge: true });
    }
  }
  out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  return out;
}

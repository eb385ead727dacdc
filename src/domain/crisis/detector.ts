import { foldTerms } from './terms.ts';

/**
 * Streaming spike detection, per community: volume, share of negative messages and new terms, each against
 * a seasonal baseline (the same hour of the week) learned as the stream goes, so it copes with a cold start.
 * The server runs it on live traffic; `passeur detect` runs it on a replayed stream. Deterministic.
 */

export type AlertKind = 'volume' | 'negative_share' | 'new_terms';

export interface DetectorMessage {
  id: string;
  text: string;
  at: number;
  community?: string | undefined;
  negative?: boolean | undefined;
}

export interface Alert {
  at: string;
  community?: string;
  kind: AlertKind;
  score: number;
  evidence: Record<string, unknown>;
}

export interface DetectorOptions {
  /** Higher is less sensitive; 1 is the default. */
  sensitivity?: number;
  /** After an alert, the same kind for the same community waits this long (ms) unless the score doubles. */
  refractoryMs?: number;
}

/** Counts are kept per tick of 10 s, so windows slide smoothly; rates are per minute. */
const TICK = 10_000;
const PER_MINUTE = 6;
const PER_HOUR = 360;
const HOUR = 3_600_000;
const SLOTS = 168;
/**
 * Volume is judged over these window widths (ticks) with their own surprise thresholds: one minute alerts fast
 * but needs a larger surprise, three minutes catches slower surges.
 */
const VOLUME_WINDOWS = [
  { width: 6, z: 6 },
  { width: 18, z: 5.5 },
];
/** Volume surprise that suffices together with a shared new word. */
const JOINT_Z = 2.5;
/** Messages in a minute that, twice the usual and sharing a word never seen in this community, raise an alert. */
const NOVEL_MIN = 4;
/** A word is new to a community when its history predicts less than this many occurrences in the window. */
const NOVEL_USUAL = 0.02;
/** How rare a shared word must be (its surprise) to lower the volume threshold. */
const SHARED_SCORE = 4;
const SHARE_WINDOW = 30;
const TERMS_WINDOW = 30;
/** The level before a window is the rate of the half hour before it. */
const RECENT = 180;
/** History before any alert (ticks): a baseline needs something to stand on. */
const WARMUP = 45 * PER_MINUTE;

interface Stream {
  /** Counts per tick over the last hour. */
  minutes: Map<number, { n: number; neg: number; ids: string[]; terms: Map<string, number> }>;
  /** Seasonal baseline: messages per minute, by hour of week (EWMA), and how many hours fed each slot. */
  slotRate: Float64Array;
  slotSeen: Uint16Array;
  /** Overall rate and negative share (EWMA over hours), for slots not seen yet. */
  rate: number;
  negShare: number;
  hoursSeen: number;
  /** The hour being accumulated into the baseline. */
  hour: number;
  hourCount: number;
  hourNeg: number;
  firstTick: number;
  /** Messages (and negative ones) seen so far, for the cold-start rates. */
  total: number;
  totalNeg: number;
  /** Long-term term frequencies (decayed hourly) and the total they count. */
  termFreq: Map<string, number>;
  termTotal: number;
  lastAlert: Map<AlertKind, { at: number; score: number }>;
  lastCheck: number;
}

function newStream(tick: number): Stream {
  return {
    minutes: new Map(),
    slotRate: new Float64Array(SLOTS),
    slotSeen: new Uint16Array(SLOTS),
    rate: 0,
    negShare: 0,
    hoursSeen: 0,
    hour: Math.floor(tick / PER_HOUR),
    hourCount: 0,
    hourNeg: 0,
    firstTick: tick,
    total: 0,
    totalNeg: 0,
    termFreq: new Map(),
    termTotal: 0,
    lastAlert: new Map(),
    lastCheck: 0,
  };
}

/** Hour of week (0 = Monday 00:00 UTC) of an hour index since the epoch (1970-01-01 was a Thursday). */
const slotOf = (hour: number) => (hour + 72) % SLOTS;

export class CrisisDetector {
  private readonly streams = new Map<string, Stream>();
  private readonly sensitivity: number;
  private readonly refractoryMs: number;

  constructor(opts: DetectorOptions = {}) {
    this.sensitivity = opts.sensitivity ?? 1;
    this.refractoryMs = opts.refractoryMs ?? 2 * HOUR;
  }

  /** Feeds one message (in time order per community) and returns the alerts it triggers. */
  push(m: DetectorMessage): Alert[] {
    const key = m.community ?? '';
    const tick = Math.floor(m.at / TICK);
    let s = this.streams.get(key);
    if (!s) {
      s = newStream(tick);
      this.streams.set(key, s);
    }
    this.roll(s, tick);
    let cell = s.minutes.get(tick);
    if (!cell) {
      cell = { n: 0, neg: 0, ids: [], terms: new Map() };
      s.minutes.set(tick, cell);
    }
    cell.n++;
    if (m.negative) cell.neg++;
    if (cell.ids.length < 5) cell.ids.push(m.id);
    for (const t of foldTerms(m.text)) cell.terms.set(t, (cell.terms.get(t) ?? 0) + 1);
    s.hourCount++;
    s.total++;
    if (m.negative) {
      s.hourNeg++;
      s.totalNeg++;
    }
    if (tick - s.firstTick < WARMUP) return [];
    // Volume is judged at every message (it is cheap and the first minute matters); shares and terms once per
    // tick of stream time, which keeps long replays fast.
    const full = tick !== s.lastCheck;
    s.lastCheck = tick;
    return this.check(s, key, tick, m.at, full);
  }

  /** Closes finished hours into the baseline and forgets ticks older than an hour. */
  private roll(s: Stream, tick: number): void {
    const hour = Math.floor(tick / PER_HOUR);
    while (s.hour < hour) {
      const perMinute = s.hourCount / 60;
      const slot = slotOf(s.hour);
      // The first hours adapt fast, later ones slowly; a surge in progress is weighed down (robust update).
      const expected = Math.max(0.05, this.seasonalRate(s, s.hour));
      const clipped = s.hoursSeen > 3 ? Math.min(perMinute, expected * 3 + 0.5) : perMinute;
      s.slotRate[slot] = s.slotSeen[slot]! === 0 ? clipped : s.slotRate[slot]! * 0.7 + clipped * 0.3;
      s.slotSeen[slot] = Math.min(60000, s.slotSeen[slot]! + 1);
      const alpha = s.hoursSeen < 12 ? 1 / (s.hoursSeen + 1) : 0.05;
      s.rate = s.rate * (1 - alpha) + clipped * alpha;
      if (s.hourCount >= 5) s.negShare = s.negShare * (1 - alpha) + (s.hourNeg / s.hourCount) * alpha;
      s.hoursSeen++;
      // Terms of the hour join the long-term frequencies (which slowly forget).
      for (const [m, cell] of s.minutes) {
        if (Math.floor(m / PER_HOUR) !== s.hour) continue;
        for (const [t, n] of cell.terms) s.termFreq.set(t, (s.termFreq.get(t) ?? 0) + n);
        s.termTotal += cell.n;
      }
      if (s.hoursSeen % 24 === 0) {
        for (const [t, n] of s.termFreq) {
          const decayed = n * 0.9;
          if (decayed < 0.5) s.termFreq.delete(t);
          else s.termFreq.set(t, decayed);
        }
        s.termTotal *= 0.9;
      }
      s.hour++;
      s.hourCount = 0;
      s.hourNeg = 0;
    }
    for (const m of s.minutes.keys()) if (m < tick - PER_HOUR) s.minutes.delete(m);
  }

  /** Messages per minute usual at this hour: the seasonal slot once known, else the overall rate. */
  private seasonalRate(s: Stream, hour: number): number {
    const slot = slotOf(hour);
    const seasonal = s.slotSeen[slot]! >= 1 ? s.slotRate[slot]! : s.rate;
    // A slot seen once is noisy: lean on the overall rate until it has been seen a few times.
    const w = Math.min(1, s.slotSeen[slot]! / 3);
    return seasonal * w + s.rate * (1 - w);
  }

  /** Totals of the ticks (from, to], newest first. */
  private span(s: Stream, from: number, to: number) {
    let n = 0;
    let neg = 0;
    const ids: string[] = [];
    for (let m = to; m > from; m--) {
      const c = s.minutes.get(m);
      if (!c) continue;
      n += c.n;
      neg += c.neg;
      for (const id of c.ids) if (ids.length < 5) ids.push(id);
    }
    return { n, neg, ids };
  }

  /**
   * What a window of `width` minutes ending now should hold: the larger of the seasonal rate and the level of
   * the half hour before the window (which follows daily ramps a young baseline has not learned yet). During
   * the first hours, the rate seen so far stands in for the seasonal one.
   */
  private expected(s: Stream, tick: number, width: number): { rate: number; negShare: number } {
    const before = this.span(s, tick - width - RECENT, tick - width);
    const elapsed = Math.min(RECENT, tick - width - s.firstTick + 1);
    const recent = elapsed > 0 ? (before.n / elapsed) * PER_MINUTE : 0;
    let seasonal = this.seasonalRate(s, Math.floor(tick / PER_HOUR));
    let negShare = s.negShare;
    if (s.hoursSeen < 2) {
      const window = this.span(s, tick - width, tick);
      const past = Math.max(1, tick - width - s.firstTick + 1);
      seasonal = ((s.total - window.n) / past) * PER_MINUTE;
      negShare = s.total - window.n > 0 ? (s.totalNeg - window.neg) / (s.total - window.n) : 0.3;
    }
    return { rate: Math.max(0.05, seasonal, recent), negShare };
  }

  /**
   * Terms of the last `width` ticks that are frequent now and rare in this stream's history (older hours, and
   * this hour before the window); empty until enough history exists to know what is usual.
   */
  private freshTerms(s: Stream, tick: number, width: number, minCount: number, minScore: number, minRatio = 5) {
    const terms = new Map<string, number>();
    let n = 0;
    const ids: string[] = [];
    for (let m = tick - width + 1; m <= tick; m++) {
      const c = s.minutes.get(m);
      if (!c) continue;
      n += c.n;
      for (const id of c.ids) if (ids.length < 5) ids.push(id);
      for (const [t, x] of c.terms) terms.set(t, (terms.get(t) ?? 0) + x);
    }
    const earlier = [...s.minutes].filter(([m]) => m <= tick - width && Math.floor(m / PER_HOUR) === s.hour);
    const usualTotal = s.termTotal + earlier.reduce((sum, [, cell]) => sum + cell.n, 0);
    const fresh: { term: string; count: number; usual: number; score: number; novel: boolean }[] = [];
    if (usualTotal >= 300) {
      for (const [term, count] of terms) {
        if (count < minCount) continue;
        let seen = s.termFreq.get(term) ?? 0;
        for (const [, cell] of earlier) seen += cell.terms.get(term) ?? 0;
        const usual = (seen / usualTotal) * n;
        const score = (count - usual) / Math.sqrt(usual + 1);
        if (count >= minRatio * (usual + 1) && score >= minScore)
          fresh.push({ term, count, usual: round(usual), score: round(score), novel: usual < NOVEL_USUAL });
      }
    }
    fresh.sort((a, b) => b.score - a.score);
    return { n, ids, fresh };
  }

  private check(s: Stream, key: string, tick: number, at: number, full: boolean): Alert[] {
    const alerts: Alert[] = [];
    const k = this.sensitivity;
    // Volume: a Poisson surprise in a short and a longer window, large both in ratio and in absolute count.
    for (const { width, z: zMin } of VOLUME_WINDOWS) {
      const w = this.span(s, tick - width, tick);
      const e = this.expected(s, tick, width);
      const expected = (e.rate * width) / PER_MINUTE;
      const z = (w.n - expected) / Math.sqrt(expected + 1);
      const ratio = w.n / expected;
      if (w.n < NOVEL_MIN * k || ratio < 1 + k) continue;
      const strong = z >= zMin * k && w.n >= 10 * k && ratio >= 1 + 2 * k;
      // A smaller surprise suffices when the surge shares a word: a small community's surge is only a dozen
      // messages in its first minute. Either a usual-enough volume surprise with a word this community rarely
      // uses, or (over the shortest window) a mere doubling with a word it has never used, in several messages.
      const shortest = width === VOLUME_WINDOWS[0]!.width;
      const terms = !strong && (z >= JOINT_Z * k || shortest) ? this.freshTerms(s, tick, width, 3, 2.5, 3) : undefined;
      const shared =
        z >= JOINT_Z * k && w.n >= 8 * k && ratio >= 1 + 2 * k
          ? terms?.fresh.find((t) => t.count >= 0.3 * w.n && t.score >= SHARED_SCORE * k)
          : undefined;
      const novel = shortest
        ? terms?.fresh.find((t) => t.novel && t.count >= NOVEL_MIN * k && t.count >= 0.3 * w.n)
        : undefined;
      if (strong || shared || novel) {
        this.fire(s, alerts, key, at, 'volume', z, {
          window_minutes: width / PER_MINUTE,
          observed: w.n,
          expected: round(expected),
          ratio: round(ratio),
          ...(terms && (shared || novel) ? { terms: terms.fresh.slice(0, 5) } : {}),
          sample_ids: w.ids,
        });
        break;
      }
    }
    if (!full) return alerts;
    // Negative share: a binomial surprise against the usual share, over a few minutes.
    {
      const w = this.span(s, tick - SHARE_WINDOW, tick);
      const p0 = Math.min(0.95, Math.max(0.05, this.expected(s, tick, SHARE_WINDOW).negShare));
      if (w.n >= 12 * k) {
        const share = w.neg / w.n;
        const zb = (w.neg - w.n * p0) / Math.sqrt(w.n * p0 * (1 - p0));
        if (zb >= 5 * k && share >= p0 + 0.25) {
          this.fire(s, alerts, key, at, 'negative_share', zb, {
            window_minutes: SHARE_WINDOW / PER_MINUTE,
            observed: w.n,
            negative: w.neg,
            share: round(share),
            usual_share: round(p0),
            sample_ids: w.ids,
          });
        }
      }
    }
    // New terms: several words frequent now and rare in this stream's history.
    const { n, ids, fresh } = this.freshTerms(s, tick, TERMS_WINDOW, 8 * k, 6 * k);
    if (fresh.length >= 3 || (fresh.length >= 1 && fresh[0]!.count >= 20 * k)) {
      const top = fresh.slice(0, 10);
      this.fire(s, alerts, key, at, 'new_terms', top[0]!.score, {
        window_minutes: TERMS_WINDOW / PER_MINUTE,
        observed: n,
        terms: top,
        sample_ids: ids,
      });
    }
    return alerts;
  }

  private fire(
    s: Stream,
    out: Alert[],
    key: string,
    at: number,
    kind: AlertKind,
    score: number,
    evidence: Record<string, unknown>,
  ) {
    const last = s.lastAlert.get(kind);
    if (last && at - last.at < this.refractoryMs && score < last.score * 2) return;
    s.lastAlert.set(kind, { at, score });
    out.push({
      at: new Date(at).toISOString(),
      ...(key ? { community: key } : {}),
      kind,
      score: round(score),
      evidence,
    });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

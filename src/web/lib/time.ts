/** Pure time logic of the inbox: SLA clocks, compact durations, relative times. No DOM, no React. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A first-response clock counts as "at risk" (amber) under this many minutes left, like the SLA-at-risk view. */
export const SLA_WARN_MS = 30 * MINUTE;

export type SlaState = 'none' | 'replied' | 'ok' | 'warn' | 'breached';

export interface SlaClock {
  state: SlaState;
  /** Time left (ok, warn) or elapsed since the deadline (breached), in ms; 0 otherwise. */
  ms: number;
  /** The deadline, when there is one. */
  due: Date | null;
}

export function slaClock(
  c: { first_response_due_at: string | null; first_responded_at: string | null },
  now: number,
): SlaClock {
  if (c.first_responded_at)
    return { state: 'replied', ms: 0, due: c.first_response_due_at ? new Date(c.first_response_due_at) : null };
  if (!c.first_response_due_at) return { state: 'none', ms: 0, due: null };
  const due = new Date(c.first_response_due_at);
  const left = due.getTime() - now;
  if (Number.isNaN(left)) return { state: 'none', ms: 0, due: null };
  if (left <= 0) return { state: 'breached', ms: Math.abs(left), due };
  return { state: left < SLA_WARN_MS ? 'warn' : 'ok', ms: left, due };
}

/** A duration cut into the two largest units a person reads at a glance. */
export type CompactDuration =
  | { unit: 's'; n: number }
  | { unit: 'min'; n: number }
  | { unit: 'h'; h: number; m: number }
  | { unit: 'd'; d: number; h: number };

/**
 * Under a minute: seconds; under an hour: whole minutes (rounded down, so "1 min" means at least one);
 * under a day: hours and minutes; beyond: days and hours.
 */
export function compactDuration(ms: number): CompactDuration {
  const abs = Math.max(0, Math.abs(ms));
  if (abs < MINUTE) return { unit: 's', n: Math.floor(abs / 1000) };
  if (abs < HOUR) return { unit: 'min', n: Math.floor(abs / MINUTE) };
  if (abs < DAY) {
    const total = Math.floor(abs / MINUTE);
    return { unit: 'h', h: Math.floor(total / 60), m: total % 60 };
  }
  const totalH = Math.floor(abs / HOUR);
  return { unit: 'd', d: Math.floor(totalH / 24), h: totalH % 24 };
}

/** Units of Intl.RelativeTimeFormat, from the largest. */
const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['week', 7 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', 1000],
];

/** The unit and (signed, rounded toward zero) amount to say "3 hours ago" / "in 5 minutes". */
export function relativeParts(then: number, now: number): { value: number; unit: Intl.RelativeTimeFormatUnit } {
  const diff = then - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return { value: 0, unit: 'second' };
  for (const [unit, size] of RELATIVE_UNITS) {
    if (abs >= size) return { value: Math.trunc(diff / size) || 0, unit };
  }
  return { value: 0, unit: 'second' };
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** "il y a 3 heures", "vor 5 Minuten", "just now" (value 0 seconds → "now" in each language). */
export function relativeTime(iso: string | Date, now: number, locale: string): string {
  const then = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  if (Number.isNaN(then)) return '';
  let f = relativeFormats.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' });
    relativeFormats.set(locale, f);
  }
  const { value, unit } = relativeParts(then, now);
  return f.format(value, unit);
}

/** Seconds left before a pending reply leaves (never negative), rounded up so "1 s" shows until it goes. */
export function secondsLeft(sendAt: string | null, now: number): number {
  if (!sendAt) return 0;
  const t = Date.parse(sendAt);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.ceil((t - now) / 1000));
}

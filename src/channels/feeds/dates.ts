/**
 * Feed dates: RFC 822 as RSS writes it (with the odd zones real feeds use: names, military letters,
 * `+01:00`, none at all), ISO 8601 as Atom and JSON Feed write it, and a few months in French and German.
 * A date that cannot be read gives `undefined`: the caller uses the time the item was first seen.
 */
const MONTHS = new Map<string, number>();
const monthNames: string[][] = [
  ['jan', 'janv', 'janvier', 'januar', 'jän', 'jänner'],
  ['feb', 'fév', 'févr', 'février', 'fev', 'fevr', 'februar'],
  ['mar', 'mars', 'mär', 'märz', 'maerz'],
  ['apr', 'avr', 'avril', 'april'],
  ['may', 'mai'],
  ['jun', 'juin', 'juni'],
  ['jul', 'juil', 'juillet', 'juli'],
  ['aug', 'aoû', 'août', 'aout', 'august'],
  ['sep', 'sept', 'septembre', 'september'],
  ['oct', 'octobre', 'okt', 'oktober'],
  ['nov', 'novembre', 'november'],
  ['dec', 'déc', 'décembre', 'decembre', 'dez', 'dezember'],
];
for (const [i, names] of monthNames.entries()) for (const n of names) MONTHS.set(n, i);

/** Zone names seen in feeds, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  bst: 60,
  ist: 60,
  cet: 60,
  mez: 60,
  west: 60,
  cest: 120,
  mesz: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  edt: -240,
  est: -300,
  cdt: -300,
  cst: -360,
  mdt: -360,
  mst: -420,
  pdt: -420,
  pst: -480,
  akst: -540,
  akdt: -480,
  hst: -600,
  jst: 540,
  kst: 540,
  aest: 600,
  aedt: 660,
};

function zoneOffset(zone: string | undefined): number | undefined {
  if (!zone) return 0;
  const z = zone.toLowerCase();
  const num = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (num) {
    const minutes = Number(num[2]) * 60 + Number(num[3] ?? 0);
    if (minutes > 18 * 60) return undefined;
    return num[1] === '-' ? -minutes : minutes;
  }
  if (Object.hasOwn(ZONES, z)) return ZONES[z];
  // Military letters (RFC 822): A–I, K–M east, N–Y west; ambiguous in practice, read as UTC like most readers.
  if (/^[a-ik-z]$/.test(z)) return 0;
  return undefined;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: number): Date | undefined {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  const t = Date.UTC(y, mo, d, h, mi, Math.min(s, 59)) - offset * 60_000;
  const date = new Date(t);
  // Date.UTC rolls 30 February over into March: such a date is not one.
  return Number.isNaN(t) || new Date(Date.UTC(y, mo, d)).getUTCMonth() !== mo ? undefined : date;
}

const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const RFC822 =
  /^(?:[^\d\s,]+\.?,?\s*)?(\d{1,2})\.?\s+([^\d\s.,]+)\.?,?\s+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([A-Za-z]{1,5}|[+-]\d{1,2}:?\d{2})?(?:\s*\(.*\))?$/u;

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length > 2) return n;
  return n < 50 ? 2000 + n : 1900 + n;
}

export function parseFeedDate(raw: string | undefined): Date | undefined {
  const s = raw?.trim().replace(/\s+/g, ' ');
  if (!s) return undefined;
  const iso = ISO.exec(s);
  if (iso) {
    const offset = zoneOffset(iso[7]);
    if (offset === undefined) return undefined;
    return utc(
      Number(iso[1]),
      Number(iso[2]) - 1,
      Number(iso[3]),
      Number(iso[4] ?? 0),
      Number(iso[5] ?? 0),
      Number(iso[6] ?? 0),
      offset,
    );
  }
  const rfc = RFC822.exec(s);
  if (rfc) {
    const name = rfc[2]!.toLowerCase();
    const month = MONTHS.get(name) ?? MONTHS.get(name.slice(0, 3));
    const offset = zoneOffset(rfc[7]) ?? 0;
    if (month === undefined) return undefined;
    return utc(
      fullYear(rfc[3]!),
      month,
      Number(rfc[1]),
      Number(rfc[4] ?? 0),
      Number(rfc[5] ?? 0),
      Number(rfc[6] ?? 0),
      offset,
    );
  }
  return undefined;
}

/**
 * The date to store: publication (else update) time, never in the future (a feed's clock or zone may be
 * wrong) and never before 1990; `firstSeen` when the feed gives none.
 */
export function itemDate(published: Date | undefined, firstSeen: Date): Date {
  if (!published) return firstSeen;
  if (published.getTime() > firstSeen.getTime()) return firstSeen;
  if (published.getUTCFullYear() < 1990) return firstSeen;
  return published;
}

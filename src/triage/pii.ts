/**
 * Personal data in a message: e-mail addresses, phone numbers, booking references (6-character PNR),
 * payment card numbers (Luhn-checked) and IBANs (mod-97-checked). Cheap pre-checks keep the common
 * case (a tweet without digits or '@') to a single scan of the text.
 */
import type { PiiMatch } from './types.ts';

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g;
const DIGIT_RUN = /\+?\(?\d[\d \u00a0()./-]{5,}\d/g;
const IBAN = /\b[A-Za-z]{2}\d{2}(?:[ \u00a0]?[A-Za-z0-9]){11,30}\b/g;
const PNR = /\b[A-Z0-9]{6}\b/g;
const PNR_CONTEXT =
  /(?:booking|reservation|confirmation|record locator|locator|reference|ref|pnr|code|dossier|réservation|reservation|buchung|buchungscode|buchungsnummer|vorgangsnummer|prenotazione|codice|localizador|reserva|referencia)\W{0,12}(?:\w+\W{1,3}){0,2}$/i;
const FLIGHT_NUMBER = /^(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\d{1,4}$/;

/** Luhn checksum of the digits of `s`. */
export function luhnValid(s: string): boolean {
  let sum = 0;
  let dbl = false;
  let n = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) continue;
    let d = c - 0x30;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
    n++;
  }
  return n > 0 && sum % 10 === 0;
}

const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TR: 26,
  VA: 22,
  BA: 20,
  AL: 28,
  RS: 22,
  ME: 22,
  MK: 19,
  UA: 29,
  GI: 23,
  FO: 18,
  GL: 18,
  LB: 28,
  IL: 23,
  AE: 23,
  SA: 24,
  QA: 29,
  KW: 30,
  BH: 22,
  JO: 30,
  TN: 24,
  MA: 28,
};

/** IBAN check: known country length (when known) and mod 97 = 1. Spaces are ignored. */
export function ibanValid(s: string): boolean {
  const iban = s.replace(/[\s\u00a0]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && expected !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 0x41) {
      const v = c - 55;
      rem = (rem * 100 + v) % 97;
    } else {
      rem = (rem * 10 + (c - 0x30)) % 97;
    }
  }
  return rem === 1;
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) n++;
  }
  return n;
}

function isLocalChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x25 ||
    c === 0x2b ||
    c === 0x2d
  );
}

function overlaps(list: PiiMatch[], start: number, end: number): boolean {
  for (const m of list) if (start < m.end && end > m.start) return true;
  return false;
}

/** Finds personal data in `text`; matches are sorted by start and never overlap. */
export function detectPii(text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  // one pass: digits, an '@' inside a word (not a @handle), a 6-character run of capitals/digits
  let digits = 0;
  let emailAt = false;
  let pnrRun = false;
  let run = 0;
  let runUpper = 0;
  const len = text.length;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? text.charCodeAt(i) : 0x20;
    const isDigit = c >= 0x30 && c <= 0x39;
    const isUpper = c >= 0x41 && c <= 0x5a;
    if (isDigit) digits++;
    if (isDigit || isUpper) {
      run++;
      if (isUpper) runUpper++;
    } else {
      if (run === 6 && runUpper > 0) pnrRun = true;
      run = 0;
      runUpper = 0;
    }
    if (c === 0x40 && i > 0 && isLocalChar(text.charCodeAt(i - 1))) emailAt = true;
  }
  if (emailAt) {
    EMAIL.lastIndex = 0;
    for (let m = EMAIL.exec(text); m !== null; m = EMAIL.exec(text)) {
      // "@handle" alone is not an e-mail address: the match must have a local part before '@'
      out.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
    }
  }
  if (digits >= 10) {
    IBAN.lastIndex = 0;
    for (let m = IBAN.exec(text); m !== null; m = IBAN.exec(text)) {
      let s = m[0];
      // trailing words glued by a space are not part of the IBAN: shrink until valid
      let end = m.index + s.length;
      while (s.length >= 15 && !ibanValid(s)) {
        const cut = s.lastIndexOf(' ');
        if (cut < 0) {
          s = '';
          break;
        }
        s = s.slice(0, cut);
        end = m.index + s.length;
      }
      if (s.length >= 15 && ibanValid(s) && !overlaps(out, m.index, end)) {
        out.push({ kind: 'iban', start: m.index, end });
      }
    }
  }
  if (digits >= 7) {
    DIGIT_RUN.lastIndex = 0;
    for (let m = DIGIT_RUN.exec(text); m !== null; m = DIGIT_RUN.exec(text)) {
      const s = m[0];
      const start = m.index;
      const end = start + s.length;
      if (overlaps(out, start, end)) continue;
      const nd = countDigits(s);
      const first = s.replace(/^\D+/, '').charCodeAt(0) - 0x30;
      if (nd >= 13 && nd <= 19 && first >= 2 && first <= 6 && /^[\d -]+$/.test(s) && luhnValid(s)) {
        out.push({ kind: 'card', start, end });
        continue;
      }
      if (nd < 9 && !(s.startsWith('+') && nd >= 8)) continue;
      if (nd > 15) continue;
      // dates and times are not phone numbers: 2015-02-24, 24/02/2015 10:30
      if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/.test(s) || /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(s)) continue;
      out.push({ kind: 'phone', start, end });
    }
  }
  if (pnrRun) {
    PNR.lastIndex = 0;
    for (let m = PNR.exec(text); m !== null; m = PNR.exec(text)) {
      const s = m[0];
      const start = m.index;
      if (overlaps(out, start, start + 6)) continue;
      let letters = 0;
      let nums = 0;
      for (let i = 0; i < 6; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x30 && c <= 0x39) nums++;
        else letters++;
      }
      if (letters === 0) continue;
      const before = text.slice(Math.max(0, start - 48), start);
      const context = PNR_CONTEXT.test(before);
      // a flight number (AF1234, U21234) is never a booking reference
      if (FLIGHT_NUMBER.test(s)) continue;
      if (!context) {
        if (nums === 0) continue;
        // a run of digits with a unit (10H30M, 2HOURS) is not a reference
        if (nums < 2 && letters > 4) continue;
      }
      out.push({ kind: 'booking_ref', start, end: start + 6 });
    }
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

const LABELS: Record<PiiMatch['kind'], string> = {
  email: '[email]',
  phone: '[phone]',
  booking_ref: '[booking-ref]',
  card: '[card]',
  iban: '[iban]',
};

/**
 * Replaces each match by a placeholder (`[email]`, `[phone]`, `[booking-ref]`, `[card]`, `[iban]`), for
 * exports and logs. Card numbers keep their last four digits (`[card …1234]`) so that support can still
 * tell cards apart. Overlapping or out-of-range matches are ignored.
 */
export function maskPii(text: string, matches: readonly PiiMatch[] = detectPii(text)): string {
  if (matches.length === 0) return text;
  const sorted = [...matches].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const m of sorted) {
    if (m.start < pos || m.end > text.length || m.end <= m.start) continue;
    out += text.slice(pos, m.start);
    if (m.kind === 'card') {
      const digits = text.slice(m.start, m.end).replace(/\D/g, '');
      out += `[card …${digits.slice(-4)}]`;
    } else {
      out += LABELS[m.kind];
    }
    pos = m.end;
  }
  return out + text.slice(pos);
}

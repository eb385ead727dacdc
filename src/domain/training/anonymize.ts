import { detectPii } from '../../triage/pii.ts';
import type { PiiMatch } from '../../triage/types.ts';

/**
 * Anonymizes the thread of a past case for a training replay. Replacements are consistent within one replay: the
 * same customer is "Customer A" in every message and in the reference answer, the same e-mail address, phone
 * number or booking reference gets the same stand-in each time, so the replay still reads like a real
 * conversation. Names and handles known from the case (the contact, message authors, the agents who answered)
 * are replaced wherever they appear; personal data in the texts is found by the triage's PII detector; any
 * other @handle that is not one of the brand's accounts is replaced too.
 */
export interface KnownPeople {
  /** Customers: display names and handles of the contact, and authors of inbound messages. */
  customers: { name?: string | null | undefined; handles: string[] }[];
  /** People of the organization who wrote in the thread (their names appear in signatures). */
  agents: string[];
  /** The brand's own account handles, kept as they are. */
  brandHandles: string[];
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** A 6-character run of capitals and digits: a booking reference the triage's detector may have let through. */
const CODE = /(?<![\p{L}\p{N}_])[A-Z0-9]{6}(?![\p{L}\p{N}_])/gu;
const FLIGHT = /^(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\d{1,4}$/;
const REFERENCE_WORD =
  /(?:ref|reference|booking|pnr|dossier|reservation|buchung|prenotazione|codice|code|locator)\W{0,12}$/i;
const HANDLE = /(?<![\p{L}\p{N}_.@-])@[\p{L}\p{N}_][\p{L}\p{N}_.-]*[\p{L}\p{N}_]|(?<![\p{L}\p{N}_.@-])@[\p{L}\p{N}_]/gu;

function label(i: number): string {
  return i < LETTERS.length ? LETTERS[i]! : `${LETTERS[i % LETTERS.length]}${Math.floor(i / LETTERS.length)}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const fold = (s: string) => s.normalize('NFC').toLowerCase();

export class Anonymizer {
  private readonly values = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  /** Names and name parts → stand-in, longest first when applied. */
  private readonly names: [string, string][] = [];
  private readonly brand: Set<string>;
  /** Stand-ins already given, never taken for personal data themselves. */
  private readonly produced = new Set<string>();

  constructor(known: KnownPeople) {
    this.brand = new Set(known.brandHandles.map((h) => fold(h.replace(/^@/, ''))));
    known.customers.forEach((c, i) => {
      const who = `Customer ${label(i)}`;
      const handle = `@customer-${label(i).toLowerCase()}`;
      for (const h of c.handles) {
        const bare = h.replace(/^@/, '');
        if (!bare || this.brand.has(fold(bare))) continue;
        this.values.set(`handle:${fold(bare)}`, handle);
        // A handle without its @ (an e-mail author "jean.dupont", a display name equal to the handle).
        if (bare.length >= 3) this.names.push([bare, who]);
      }
      if (c.name) this.addName(c.name, who);
    });
    known.agents.forEach((name, i) => {
      this.addName(name, `Agent ${label(i)}`);
    });
    this.names.sort((a, b) => b[0].length - a[0].length);
  }

  private addName(name: string, standIn: string): void {
    const full = name.trim();
    if (full.length < 2) return;
    this.names.push([full, standIn]);
    // First and last names on their own ("Bonjour Marie,"); very short parts would hit ordinary words.
    for (const part of full.split(/[\s,]+/u)) if (part.length >= 3 && part !== full) this.names.push([part, standIn]);
  }

  private next(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  private standIn(kind: PiiMatch['kind'], original: string): string {
    const key = `${kind}:${fold(original.replace(/[\s().-]/g, ''))}`;
    const known = this.values.get(key);
    if (known) return known;
    const n = this.next(kind);
    const value =
      kind === 'email'
        ? `customer${n}@example.invalid`
        : kind === 'phone'
          ? `+00 0000 ${String(n).padStart(4, '0')}`
          : kind === 'booking_ref'
            ? `TRN${String(n).padStart(3, '0')}`
            : kind === 'card'
              ? '[card]'
              : '[iban]';
    this.values.set(key, value);
    this.produced.add(value);
    return value;
  }

  /** The handle shown as the author of a customer message. */
  handle(original: string): string {
    const bare = original.replace(/^@/, '');
    if (!bare) return '';
    if (this.brand.has(fold(bare))) return original;
    const key = `handle:${fold(bare)}`;
    const known = this.values.get(key);
    if (known) return known;
    const value = `@customer-${this.next('handle')}`;
    this.values.set(key, value);
    return value;
  }

  /** A text with its personal data, known names and foreign handles replaced. */
  text(original: string): string {
    let out = '';
    let pos = 0;
    for (const m of detectPii(original)) {
      out += original.slice(pos, m.start);
      out += this.standIn(m.kind, original.slice(m.start, m.end));
      pos = m.end;
    }
    out += original.slice(pos);
    // A training replay errs on the side of hiding: any code that looks like a booking reference goes, with or
    // without the words the detector wants around it ("Réf 5WBDWU").
    out = out.replace(CODE, (code, at: number) => {
      if (FLIGHT.test(code) || !/[A-Z]/.test(code) || this.produced.has(code)) return code;
      const before = out
        .slice(Math.max(0, at - 24), at)
        .normalize('NFD')
        .replace(/\p{M}/gu, '');
      if (!/\d/.test(code) && !REFERENCE_WORD.test(before)) return code;
      return this.standIn('booking_ref', code);
    });
    out = out.replace(HANDLE, (h) => this.handle(h));
    for (const [name, standIn] of this.names) {
      const re = new RegExp(`(?<![\\p{L}\\p{N}_@-])${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'giu');
      out = out.replace(re, standIn);
    }
    return out;
  }
}

import type { CompactDuration, SlaClock } from '../lib/time.ts';
import { de } from './de.ts';
import { type Dictionary, en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';

export type { Dictionary, MessageKey };

export const LANGUAGES = ['fr', 'en', 'de', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DICTIONARIES: Record<Language, Dictionary> = { fr, en, de, it };

/** Each language's own name, for the language switch. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  fr: 'Français',
  en: 'English',
  de: 'Deutsch',
  it: 'Italiano',
};

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The interface language for a locale such as `fr`, `de-CH` or `pt-BR` (English when not translated). */
export function languageOf(locale: string | null | undefined): Language {
  const base = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : 'en';
}

/** `{name}` placeholders in a message. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(message: string, vars: Vars = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

/** Keys that come in `.one` / `.other` forms, chosen by the language's plural rules. */
export type PluralKey = { [K in MessageKey]: K extends `${infer B}.one` ? B : never }[MessageKey];

export function plural(lang: Language, t: Translate, base: PluralKey, count: number, vars: Vars = {}): string {
  const form = new Intl.PluralRules(lang).select(count) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}` as MessageKey, { n: count, ...vars });
}

export function translator(lang: Language): Translate {
  const dict = DICTIONARIES[lang];
  return (key, vars) => interpolate(dict[key] ?? en[key] ?? key, vars);
}

/**
 * The Intl locale for formatting: the person's own locale (e.g. `fr-CH`) when the interface speaks its
 * language, else the interface language.
 */
export function formattingLocale(lang: Language, personLocale: string | null | undefined): string {
  if (personLocale && languageOf(personLocale) === lang) {
    try {
      return Intl.getCanonicalLocales(personLocale)[0] ?? lang;
    } catch {
      return lang;
    }
  }
  return lang;
}

export function formatDuration(t: Translate, d: CompactDuration): string {
  switch (d.unit) {
    case 's':
      return t('duration.s', { n: d.n });
    case 'min':
      return t('duration.min', { n: d.n });
    case 'h':
      return d.m === 0 ? t('duration.h', { h: d.h }) : t('duration.hmin', { h: d.h, m: String(d.m).padStart(2, '0') });
    case 'd':
      return d.h === 0 ? t('duration.d', { d: d.d }) : t('duration.dh', { d: d.d, h: d.h });
  }
}

/** The SLA clock as shown in the list (short) and read aloud / in tooltips (long). */
export function formatSla(
  t: Translate,
  clock: SlaClock,
  duration: (ms: number) => string,
): { short: string; long: string } {
  const labelled = (value: string) => t('common.labelled', { label: t('sla.label'), value });
  switch (clock.state) {
    case 'replied':
      return { short: t('sla.repliedShort'), long: labelled(t('sla.replied')) };
    case 'none':
      return { short: t('common.none'), long: t('sla.none') };
    case 'breached': {
      const time = duration(clock.ms);
      return { short: t('sla.breachedShort', { time }), long: labelled(t('sla.breached', { time })) };
    }
    default: {
      const time = duration(clock.ms);
      return { short: t('sla.leftShort', { time }), long: labelled(t('sla.left', { time })) };
    }
  }
}

/** A label for an open-ended value (a topic, an intent) with a readable fallback for values not translated. */
export function labelFor(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  if (key in en) return t(key);
  return value.replaceAll('_', ' ');
}

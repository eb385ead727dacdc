import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { compactDuration, relativeTime } from '../lib/time.ts';
import {
  formatDuration,
  formattingLocale,
  isLanguage,
  type Language,
  languageOf,
  type MessageKey,
  type PluralKey,
  plural,
  type Translate,
  translator,
  type Vars,
} from './index.ts';

const STORAGE_KEY = 'passeur.language';

export interface Formatters {
  /** 29 nov. 2026, 14:05 */
  dateTime(iso: string | null | undefined): string;
  /** 14:05 today, else 29 nov. */
  short(iso: string | null | undefined, now: number): string;
  date(iso: string | null | undefined): string;
  time(iso: string | null | undefined): string;
  number(n: number): string;
  percent(x: number): string;
  relative(iso: string | null | undefined, now: number): string;
  duration(ms: number): string;
  language(code: string | null | undefined): string;
  list(items: string[]): string;
}

export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t: Translate;
  /** A counted message (`view.count` → `view.count.one` / `.other`), the number formatted for the locale. */
  tn(base: PluralKey, count: number, vars?: Vars): string;
  /** The Intl locale used for dates and numbers. */
  locale: string;
  timeZone: string;
  fmt: Formatters;
}

const I18nContext = createContext<I18n | null>(null);

function storedLanguage(): Language | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

function validTimeZone(tz: string | null | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

function makeFormatters(locale: string, timeZone: string | undefined, t: Translate): Formatters {
  const tz = timeZone ? { timeZone } : {};
  const dateTimeF = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...tz });
  const dateF = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...tz });
  const dayF = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...tz });
  const dayKeyF = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...tz });
  const timeF = new Intl.DateTimeFormat(locale, { timeStyle: 'short', ...tz });
  const numberF = new Intl.NumberFormat(locale);
  const percentF = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const listF = new Intl.ListFormat(locale, { style: 'short', type: 'conjunction' });
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([locale], { type: 'language' });
  } catch {
    names = undefined;
  }
  const safe = (iso: string | null | undefined, f: (d: Date) => string) => {
    if (!iso) return '';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : f(d);
  };
  return {
    dateTime: (iso) => safe(iso, (d) => dateTimeF.format(d)),
    date: (iso) => safe(iso, (d) => dateF.format(d)),
    time: (iso) => safe(iso, (d) => timeF.format(d)),
    short: (iso, now) =>
      safe(iso, (d) => (dayKeyF.format(d) === dayKeyF.format(new Date(now)) ? timeF.format(d) : dayF.format(d))),
    number: (n) => numberF.format(n),
    percent: (x) => percentF.format(x),
    relative: (iso, now) => (iso ? relativeTime(iso, now, locale) : ''),
    duration: (ms) => formatDuration(t, compactDuration(ms)),
    language: (code) => {
      if (!code) return '';
      try {
        return names?.of(code) ?? code;
      } catch {
        return code;
      }
    },
    list: (items) => listF.format(items),
  };
}

export function I18nProvider(props: {
  personLocale?: string | null | undefined;
  timeZone?: string | null | undefined;
  children: ReactNode;
}) {
  const { personLocale, timeZone } = props;
  const [override, setOverride] = useState<Language | null>(storedLanguage);
  const lang: Language = override ?? languageOf(personLocale ?? navigator.language);
  const setLang = useCallback((next: Language) => {
    setOverride(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const t = translator(lang);
    const locale = formattingLocale(lang, personLocale ?? navigator.language);
    const tz = validTimeZone(timeZone) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const fmt = makeFormatters(locale, tz, t);
    const tn = (base: PluralKey, count: number, vars?: Vars) =>
      plural(lang, (key, v) => t(key, { ...v, n: fmt.number(count) }), base, count, vars);
    return { lang, setLang, t, tn, locale, timeZone: tz, fmt };
  }, [lang, setLang, personLocale, timeZone]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** The message for an API error code, falling back to the server's own message. */
export function errorMessage(t: Translate, err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && 'status' in err) {
    const e = err as { code: string; status: number; message: string };
    if (e.status === 0) return t('error.network');
    const key = `error.${e.code}` as MessageKey;
    const known: MessageKey[] = [
      'error.forbidden',
      'error.not_found',
      'error.invalid_body',
      'error.rate_limited',
      'error.unavailable',
      'error.wrong_account',
      'error.no_account',
      'error.account_paused',
      'error.too_late',
      'error.merged',
      'error.target_merged',
      'error.target_closed',
      'error.different_community',
      'error.too_many_views',
      'error.busy',
    ];
    if (known.includes(key)) return t(key, { message: e.message });
    return t('error.generic', { message: e.message });
  }
  return t('error.generic', { message: err instanceof Error ? err.message : String(err) });
}

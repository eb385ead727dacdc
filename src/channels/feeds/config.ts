import { z } from 'zod';
import { keywordTerms } from './match.ts';

/** A monitor's settings, as an admin writes them in `POST /api/v1/accounts` (`config`). */
export const feedsConfigSchema = z.strictObject({
  /** RSS, Atom or JSON Feed addresses. */
  feeds: z
    .array(z.url({ protocol: /^https?$/, error: 'an http or https address' }))
    .min(1)
    .max(200),
  /**
   * Any of these keeps an item: whole words, case and accents ignored; `word*` for words starting with it;
   * `a + b` for both. Default: the names and keywords of the community's brand.
   */
  keywords: z
    .array(
      z
        .string()
        .max(200)
        .refine((k) => keywordTerms(k) !== undefined, 'a keyword needs a letter or digit in each "+" term'),
    )
    .max(500)
    .optional(),
  /** A regular expression (case-insensitive) tried on the title and summary, as written and without accents. */
  regex: z
    .string()
    .min(1)
    .max(500)
    .refine((r) => {
      try {
        new RegExp(r, 'iu');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression')
    .optional(),
  /** Keep only items in these languages (ISO 639-1); items whose language is unknown are kept. */
  languages: z
    .array(z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code such as "fr"'))
    .min(1)
    .optional(),
  /** Sites whose items are never taken (the brand's own blog or newsroom): their host and subdomains. */
  exclude_hosts: z
    .array(
      z
        .string()
        .min(1)
        .max(253)
        .regex(/^[a-z0-9.-]+$/i),
    )
    .max(100)
    .optional(),
  /** Ignore items published more than this many days before they are first seen (a new feed's backlog). */
  max_age_days: z.number().int().positive().max(3650).optional(),
  /** Time between two reads of each feed. */
  interval_seconds: z.number().int().min(1).max(86_400).default(600),
});

export type FeedsConfig = z.output<typeof feedsConfigSchema>;

/** Secrets (encrypted, never returned): HTTP basic authentication per feed address. */
export const feedsCredentialsSchema = z.strictObject({
  basic_auth: z
    .record(z.string(), z.strictObject({ username: z.string().min(1).max(256), password: z.string().max(1024) }))
    .default({}),
});

export type FeedsCredentials = z.output<typeof feedsCredentialsSchema>;

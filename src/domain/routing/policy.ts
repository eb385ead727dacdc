import { z } from 'zod';
import { URGENCIES } from '../../triage/types.ts';
import { PRIORITIES } from './priorities.ts';

/**
 * Routing rules as data. Rules are tried in order; the first whose conditions all hold decides (a rule with
 * `continue: true` adds its actions and lets later rules refine them). The last rule usually has no
 * conditions: the default.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');
const slug = z.string().min(1).max(64);

/** A regex a leader may write: bounded, compiled once, no nested quantifiers (no catastrophic backtracking). */
const safeRegex = z
  .string()
  .min(1)
  .max(200)
  .refine((source) => {
    try {
      new RegExp(source, 'iu');
    } catch {
      return false;
    }
    return !/(\([^)]*[+*][^)]*\)[+*{])|(\\[dws][+*]\)?[+*])/.test(source);
  }, 'an invalid or too costly regular expression (nested quantifiers are refused)');

export const conditionsSchema = z.strictObject({
  communities: z.array(slug).optional(),
  channels: z.array(slug).optional(),
  accounts: z.array(z.string().min(1).max(256)).optional(),
  languages: z.array(z.string().regex(/^[a-z]{2}$/)).optional(),
  sentiments: z.array(z.enum(['negative', 'neutral', 'positive'])).optional(),
  intents: z.array(z.enum(['question', 'complaint', 'request', 'suggestion', 'praise', 'other'])).optional(),
  /** Any of these topics among the message's topics. */
  topics: z.array(slug).optional(),
  urgency_at_least: z.enum(URGENCIES).optional(),
  /** Any of these sensitive flags. */
  sensitive: z.array(slug).optional(),
  /** Any of these words or phrases (case- and accent-insensitive, whole words). */
  keywords: z.array(z.string().min(1).max(100)).optional(),
  regex: safeRegex.optional(),
  contact_vip: z.boolean().optional(),
  /** The customer already had another case in the last 30 days. */
  repeat_contact: z.boolean().optional(),
  /** Local time in the community's time zone; `from` > `to` spans midnight. Days: 1 = Monday … 7 = Sunday. */
  time: z.strictObject({ from: hhmm, to: hhmm, days: z.array(z.number().int().min(1).max(7)).optional() }).optional(),
});

export const actionsSchema = z.strictObject({
  team: slug.optional(),
  /** A fixed priority, or derived from triage urgency. */
  priority: z.union([z.enum(PRIORITIES), z.literal('from_urgency')]).optional(),
  tags: z.array(z.string().min(1).max(50)).optional(),
  assign: z.enum(['round_robin', 'least_loaded', 'none']).optional(),
  /** People assigned must have all these skills. */
  skills: z.array(slug).optional(),
  /** Reassign when the assignee has not answered within this many minutes. */
  reassign_after_minutes: z.number().int().min(1).max(10_080).optional(),
  auto_acknowledge: z.boolean().optional(),
});

export const ruleSchema = z.strictObject({
  id: z.string().min(1).max(40),
  name: z.string().min(1).max(120),
  enabled: z.boolean().default(true),
  when: conditionsSchema.default({}),
  actions: actionsSchema,
  continue: z.boolean().default(false),
});

export const policySchema = z
  .array(ruleSchema)
  .min(1)
  .max(500)
  .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique');

export type Conditions = z.infer<typeof conditionsSchema>;
export type Actions = z.infer<typeof actionsSchema>;
export type Rule = z.infer<typeof ruleSchema>;

/** What a rule is tested against: one message, its triage and its customer. */
export interface Facts {
  community: string;
  channel: string;
  account: string | null;
  lang: string;
  sentiment: string;
  intent: string;
  topics: string[];
  urgency: (typeof URGENCIES)[number];
  sensitive: string[];
  text: string;
  contactVip: boolean;
  repeatContact: boolean;
  /** Local time of the community: ISO weekday 1–7 and minutes since midnight. */
  localDay: number;
  localMinutes: number;
}

export interface Match {
  rule: Rule;
  reasons: string[];
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** A rule compiled for speed: keyword and regex matchers are built once per policy version. */
export interface CompiledRule {
  rule: Rule;
  test(f: Facts, foldedText: string): string[] | null;
}

export function compileRule(rule: Rule): CompiledRule {
  const w = rule.when;
  const keywords = w.keywords?.map(
    (k) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegex(fold(k))}($|[^\\p{L}\\p{N}])`, 'u'),
  );
  const regex = w.regex ? new RegExp(w.regex, 'iu') : undefined;
  const urgencyRank = w.urgency_at_least ? URGENCIES.indexOf(w.urgency_at_least) : -1;
  return {
    rule,
    test(f, folded) {
      const reasons: string[] = [];
      if (w.communities) {
        if (!w.communities.includes(f.community)) return null;
        reasons.push(`community ${f.community}`);
      }
      if (w.channels) {
        if (!w.channels.includes(f.channel)) return null;
        reasons.push(`channel ${f.channel}`);
      }
      if (w.accounts) {
        const account = f.account?.toLowerCase();
        if (!account || !w.accounts.some((a) => a.toLowerCase() === account)) return null;
        reasons.push(`account ${f.account}`);
      }
      if (w.languages) {
        if (!w.languages.includes(f.lang)) return null;
        reasons.push(`language ${f.lang}`);
      }
      if (w.sentiments) {
        if (!w.sentiments.includes(f.sentiment as never)) return null;
        reasons.push(`sentiment ${f.sentiment}`);
      }
      if (w.intents) {
        if (!w.intents.includes(f.intent as never)) return null;
        reasons.push(`intent ${f.intent}`);
      }
      if (w.topics) {
        const hit = f.topics.filter((t) => w.topics!.includes(t));
        if (hit.length === 0) return null;
        reasons.push(`topic ${hit.join(', ')}`);
      }
      if (urgencyRank >= 0) {
        if (URGENCIES.indexOf(f.urgency) < urgencyRank) return null;
        reasons.push(`urgency ${f.urgency}`);
      }
      if (w.sensitive) {
        const hit = f.sensitive.filter((s) => w.sensitive!.includes(s));
        if (hit.length === 0) return null;
        reasons.push(`sensitive ${hit.join(', ')}`);
      }
      if (keywords) {
        const i = keywords.findIndex((k) => k.test(folded));
        if (i < 0) return null;
        reasons.push(`keyword "${w.keywords![i]}"`);
      }
      if (regex) {
        const m = regex.exec(f.text);
        if (!m) return null;
        reasons.push(`pattern matched "${m[0].slice(0, 40)}"`);
      }
      if (w.contact_vip !== undefined) {
        if (f.contactVip !== w.contact_vip) return null;
        reasons.push(w.contact_vip ? 'VIP customer' : 'not a VIP');
      }
      if (w.repeat_contact !== undefined) {
        if (f.repeatContact !== w.repeat_contact) return null;
        reasons.push(w.repeat_contact ? 'repeat contact' : 'first contact');
      }
      if (w.time) {
        const from = minutesOf(w.time.from);
        const to = minutesOf(w.time.to);
        const inWindow =
          from <= to ? f.localMinutes >= from && f.localMinutes < to : f.localMinutes >= from || f.localMinutes < to;
        // For a window spanning midnight, the early-morning part belongs to the day the window started.
        const day = from > to && f.localMinutes < to ? ((f.localDay + 5) % 7) + 1 : f.localDay;
        if (!inWindow || (w.time.days && !w.time.days.includes(day))) return null;
        reasons.push(`time ${w.time.from}–${w.time.to}`);
      }
      if (reasons.length === 0) reasons.push('default rule');
      return reasons;
    },
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface Evaluation {
  /** Every rule that applied, in order (more than one only through `continue`). */
  matches: Match[];
  actions: Actions;
}

/** Applies the policy to one message: the merged actions of the matching rules, and why each matched. */
export function evaluate(rules: readonly CompiledRule[], f: Facts): Evaluation {
  const folded = fold(f.text);
  const matches: Match[] = [];
  let actions: Actions = {};
  for (const c of rules) {
    if (!c.rule.enabled) continue;
    const reasons = c.test(f, folded);
    if (!reasons) continue;
    matches.push({ rule: c.rule, reasons });
    actions = { ...actions, ...c.rule.actions, tags: [...(actions.tags ?? []), ...(c.rule.actions.tags ?? [])] };
    if (!c.rule.continue) break;
  }
  return { matches, actions };
}

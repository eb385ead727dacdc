import { z } from 'zod';
import { detectPii } from '../../triage/pii.ts';
import { URGENCIES } from '../../triage/types.ts';

/**
 * Governance as data, one versioned document like the routing policy:
 * - `autonomy`: a person's level in a community, overriding their own level (`people.autonomy`);
 * - `approvals`: ordered rules; the first whose conditions all hold decides how many approvals a reply needs,
 *   from whom, and how soon (the last rule is usually the default, with no conditions and no approval);
 * - `guidelines`: checks every reply passes before it is sent or sent for approval; each blocks or warns.
 */

const slug = z.string().min(1).max(64);
export const AUTONOMY_LEVELS = ['trainee', 'standard', 'senior'] as const;
export type AutonomyLevel = (typeof AUTONOMY_LEVELS)[number];
export const APPROVER_ROLES = ['leader', 'manager', 'backup', 'approver'] as const;

export const autonomyEntrySchema = z.strictObject({
  person: z.string().email().max(256),
  /** A community slug; absent: every community of the person. */
  community: slug.optional(),
  level: z.enum(AUTONOMY_LEVELS),
});

export const approvalConditionsSchema = z.strictObject({
  communities: z.array(slug).optional(),
  channels: z.array(slug).optional(),
  /** The author's autonomy level in the case's community. */
  autonomy: z.array(z.enum(AUTONOMY_LEVELS)).optional(),
  /** Any of these sensitive flags on the customer's latest message. */
  sensitive: z.array(slug).optional(),
  urgency_at_least: z.enum(URGENCIES).optional(),
  sentiments: z.array(z.enum(['negative', 'neutral', 'positive'])).optional(),
  /** A crisis signal: the crisis/safety flags of triage, or a case tagged `crisis`. */
  crisis: z.boolean().optional(),
  /** Any of these words or phrases in the reply (case- and accent-insensitive, whole words). */
  keywords: z.array(z.string().min(1).max(100)).optional(),
  /** The reply contains a link. */
  links: z.boolean().optional(),
  /** The reply mentions an amount of money. */
  amounts: z.boolean().optional(),
  /** The reply promises a refund, compensation or voucher. */
  promises: z.boolean().optional(),
});

export const requirementSchema = z.strictObject({
  /** 0: the reply goes straight out. */
  approvals: z.number().int().min(0).max(10),
  /** any: `approvals` people of the group; all: every person of the group. */
  mode: z.enum(['any', 'all']).default('any'),
  from: z
    .strictObject({
      roles: z.array(z.enum(APPROVER_ROLES)).default([]),
      people: z.array(z.string().email().max(256)).default([]),
    })
    .default({ roles: ['manager', 'leader'], people: [] }),
  /** Approvers should decide within this many minutes; later, the request is overdue. */
  sla_minutes: z.number().int().min(1).max(10_080).default(60),
});

export const approvalRuleSchema = z.strictObject({
  id: z.string().min(1).max(40),
  name: z.string().min(1).max(120),
  enabled: z.boolean().default(true),
  when: approvalConditionsSchema.default({}),
  require: requirementSchema,
});

export const GUIDELINE_KINDS = ['terms', 'pii', 'all_caps', 'blame', 'links', 'language'] as const;
export type GuidelineKind = (typeof GUIDELINE_KINDS)[number];

export const guidelineSchema = z.strictObject({
  id: z.string().min(1).max(40),
  kind: z.enum(GUIDELINE_KINDS),
  severity: z.enum(['block', 'warn']),
  /** Community slugs; absent: every community. */
  communities: z.array(slug).optional(),
  /** terms: the forbidden words or phrases; blame: the blaming phrases (a built-in list when absent). */
  terms: z.array(z.string().min(1).max(100)).max(500).optional(),
  /** links: the allowed domains (and their subdomains). */
  domains: z.array(z.string().min(1).max(253)).max(200).optional(),
  /** Shown to the author instead of the built-in message. */
  message: z.string().min(1).max(300).optional(),
});

const uniqueIds = (list: { id: string }[]) => new Set(list.map((r) => r.id)).size === list.length;

export const governanceSchema = z.strictObject({
  autonomy: z.array(autonomyEntrySchema).max(5000).default([]),
  approvals: z.array(approvalRuleSchema).max(200).default([]).refine(uniqueIds, 'approval rule ids must be unique'),
  guidelines: z.array(guidelineSchema).max(200).default([]).refine(uniqueIds, 'guideline ids must be unique'),
});

export type GovernancePolicy = z.infer<typeof governanceSchema>;
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
export type Requirement = z.infer<typeof requirementSchema>;
export type Guideline = z.infer<typeof guidelineSchema>;

/** No policy saved: every reply goes straight out, nothing is checked. */
export const EMPTY_POLICY: GovernancePolicy = { autonomy: [], approvals: [], guidelines: [] };

export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One pattern per list of terms (whole words, longest first), compiled once per list. */
const termPatterns = new WeakMap<readonly string[], { re: RegExp; byFolded: Map<string, string> }>();

function termPattern(terms: readonly string[]) {
  let compiled = termPatterns.get(terms);
  if (!compiled) {
    const byFolded = new Map(terms.map((t) => [fold(t), t] as const));
    const alternatives = [...byFolded.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
    compiled = {
      re: new RegExp(`(?:^|[^\\p{L}\\p{N}])(${alternatives.join('|')})(?=$|[^\\p{L}\\p{N}])`, 'u'),
      byFolded,
    };
    termPatterns.set(terms, compiled);
  }
  return compiled;
}

/** A term of `terms` found in `text` as whole words, ignoring case and accents (the leftmost one). */
export function findTerm(text: string, terms: readonly string[]): string | undefined {
  if (terms.length === 0) return undefined;
  const { re, byFolded } = termPattern(terms);
  const m = re.exec(fold(text));
  return m ? byFolded.get(m[1]!) : undefined;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+/giu;
const AMOUNT_PATTERN =
  /(?:[€$£]\s?\d)|(?:\d(?:[\d'’., ]*\d)?\s?(?:€|\$|£|eur\b|euros?\b|chf\b|francs?\b|fr\.|usd\b|gbp\b|franken\b|euro\b))|(?:\b(?:chf|eur|usd|gbp)\s?\d)/iu;
/** Refunds, compensation, vouchers, in the four languages of the demo and in English. */
export const PROMISE_TERMS = [
  'refund',
  'reimburse',
  'reimbursement',
  'compensation',
  'compensate',
  'voucher',
  'rembourser',
  'remboursement',
  'rembourserons',
  'dédommagement',
  'dédommager',
  'indemnisation',
  'indemniser',
  'geste commercial',
  "bon d'achat",
  'erstatten',
  'erstattung',
  'rückerstattung',
  'entschädigung',
  'entschädigen',
  'gutschein',
  'kulanz',
  'rimborso',
  'rimborsare',
  'rimborseremo',
  'risarcimento',
  'indennizzo',
];
/** Blaming the customer, in the four languages of the demo and in English. */
export const BLAME_TERMS = [
  'your fault',
  'you should have',
  'you failed to',
  'votre faute',
  'vous auriez dû',
  'vous auriez du',
  'vous n’aviez qu’à',
  "vous n'aviez qu'à",
  'ihre schuld',
  'sie hätten',
  'selbst schuld',
  'colpa sua',
  'colpa vostra',
  'avrebbe dovuto',
];

export function linksIn(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((m) => m[0].replace(/[).,;:!?]+$/u, ''));
}

function hostOf(link: string): string {
  const withScheme = /^https?:\/\//i.test(link) ? link : `https://${link}`;
  try {
    return new URL(withScheme).hostname.toLowerCase();
  } catch {
    return link.toLowerCase();
  }
}

/** What an approval rule is tested against: the reply, its author and the case it answers. */
export interface ReplyFacts {
  community: string;
  channel: string;
  autonomy: AutonomyLevel;
  sensitive: string[];
  urgency: (typeof URGENCIES)[number];
  sentiment: string;
  caseTags: string[];
  text: string;
}

const CRISIS_FLAGS = new Set(['crisis', 'safety', 'death_injury']);

export interface ApprovalDecision {
  rule: ApprovalRule | null;
  reasons: string[];
  requirement: Requirement;
}

const NO_APPROVAL: Requirement = { approvals: 0, mode: 'any', from: { roles: [], people: [] }, sla_minutes: 60 };

/** The first enabled rule whose conditions all hold, and why; no rule: no approval. */
export function requiredApprovals(rules: readonly ApprovalRule[], f: ReplyFacts): ApprovalDecision {
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const reasons = testRule(rule, f);
    if (reasons) return { rule, reasons, requirement: rule.require };
  }
  return { rule: null, reasons: ['no rule applies'], requirement: NO_APPROVAL };
}

function testRule(rule: ApprovalRule, f: ReplyFacts): string[] | null {
  const w = rule.when;
  const reasons: string[] = [];
  if (w.communities) {
    if (!w.communities.includes(f.community)) return null;
    reasons.push(`community ${f.community}`);
  }
  if (w.channels) {
    if (!w.channels.includes(f.channel)) return null;
    reasons.push(`channel ${f.channel}`);
  }
  if (w.autonomy) {
    if (!w.autonomy.includes(f.autonomy)) return null;
    reasons.push(`author autonomy ${f.autonomy}`);
  }
  if (w.sensitive) {
    const hit = f.sensitive.filter((s) => w.sensitive!.includes(s));
    if (hit.length === 0) return null;
    reasons.push(`sensitive ${hit.join(', ')}`);
  }
  if (w.urgency_at_least) {
    if (URGENCIES.indexOf(f.urgency) < URGENCIES.indexOf(w.urgency_at_least)) return null;
    reasons.push(`urgency ${f.urgency}`);
  }
  if (w.sentiments) {
    if (!w.sentiments.includes(f.sentiment as never)) return null;
    reasons.push(`sentiment ${f.sentiment}`);
  }
  if (w.crisis !== undefined) {
    const crisis = f.sensitive.some((s) => CRISIS_FLAGS.has(s)) || f.caseTags.includes('crisis');
    if (crisis !== w.crisis) return null;
    reasons.push(crisis ? 'crisis signal' : 'no crisis signal');
  }
  if (w.keywords) {
    const hit = findTerm(f.text, w.keywords);
    if (!hit) return null;
    reasons.push(`keyword "${hit}"`);
  }
  if (w.links !== undefined) {
    const has = linksIn(f.text).length > 0;
    if (has !== w.links) return null;
    reasons.push(has ? 'contains a link' : 'no link');
  }
  if (w.amounts !== undefined) {
    const m = AMOUNT_PATTERN.exec(f.text);
    if (Boolean(m) !== w.amounts) return null;
    reasons.push(m ? `amount "${m[0].trim()}"` : 'no amount');
  }
  if (w.promises !== undefined) {
    const hit = findTerm(f.text, PROMISE_TERMS);
    if (Boolean(hit) !== w.promises) return null;
    reasons.push(hit ? `promise "${hit}"` : 'no promise');
  }
  if (reasons.length === 0) reasons.push('default rule');
  return reasons;
}

/** A person's autonomy in a community: the policy's entry for that community, else for every community, else theirs. */
export function autonomyOf(
  policy: GovernancePolicy,
  person: { email: string; autonomy: string },
  community: string,
): AutonomyLevel {
  const email = person.email.toLowerCase();
  const mine = policy.autonomy.filter((a) => a.person.toLowerCase() === email);
  const level =
    mine.find((a) => a.community === community)?.level ??
    mine.find((a) => a.community === undefined)?.level ??
    person.autonomy;
  return (AUTONOMY_LEVELS as readonly string[]).includes(level) ? (level as AutonomyLevel) : 'standard';
}

export interface Finding {
  guideline: string;
  kind: GuidelineKind;
  severity: 'block' | 'warn';
  message: string;
}

export interface GuidelineInput {
  community: string;
  text: string;
  visibility: 'public' | 'private';
  /** The customer's language (their latest message), `und` when unknown. */
  customerLang: string;
  /** The detected language of the reply, `und` when too short to tell. */
  replyLang: string;
}

const MIN_CAPS_LETTERS = 12;

/** Runs every guideline of the community on a reply; blocks first, then warnings. */
export function checkGuidelines(guidelines: readonly Guideline[], input: GuidelineInput): Finding[] {
  const findings: Finding[] = [];
  for (const g of guidelines) {
    if (g.communities && !g.communities.includes(input.community)) continue;
    const message = checkOne(g, input);
    if (message) findings.push({ guideline: g.id, kind: g.kind, severity: g.severity, message: g.message ?? message });
  }
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'block' ? -1 : 1));
}

function checkOne(g: Guideline, input: GuidelineInput): string | undefined {
  const text = input.text;
  switch (g.kind) {
    case 'terms': {
      const hit = findTerm(text, g.terms ?? []);
      return hit ? `“${hit}” may not appear in a reply` : undefined;
    }
    case 'blame': {
      const hit = findTerm(text, g.terms ?? BLAME_TERMS);
      return hit ? `“${hit}” sounds like blaming the customer` : undefined;
    }
    case 'pii': {
      if (input.visibility !== 'public') return undefined;
      const kinds = [...new Set(detectPii(text).map((p) => p.kind.replace('_', ' ')))];
      return kinds.length > 0 ? `personal data in a public reply: ${kinds.join(', ')}` : undefined;
    }
    case 'all_caps': {
      const letters = text.match(/\p{L}/gu)?.length ?? 0;
      const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
      return letters >= MIN_CAPS_LETTERS && upper / letters > 0.6
        ? 'the reply is written in capitals (reads as shouting)'
        : undefined;
    }
    case 'links': {
      const allowed = (g.domains ?? []).map((d) => d.toLowerCase().replace(/^\*?\./, ''));
      const bad = linksIn(text).find((l) => {
        const host = hostOf(l);
        return !allowed.some((d) => host === d || host.endsWith(`.${d}`));
      });
      return bad ? `the link ${hostOf(bad)} is not on the allowed list` : undefined;
    }
    case 'language': {
      if (input.replyLang === 'und' || input.customerLang === 'und' || input.replyLang === input.customerLang)
        return undefined;
      return `the reply seems written in ${input.replyLang.toUpperCase()}, the customer wrote in ${input.customerLang.toUpperCase()}`;
    }
  }
}

/** A policy as written (defaults not yet filled), e.g. in an organization's definition. */
export type GovernancePolicyInput = z.input<typeof governanceSchema>;

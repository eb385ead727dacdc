import type { Guideline } from '../governance/policy.ts';

/**
 * The quality scorecard of a community: a few standard criteria every reply is held to, then one criterion per
 * guideline of the community's governance policy (so a review scores the reply against the same rules the
 * composer checks). Each criterion is rated pass, partial, fail, or not applicable.
 */
export const STANDARD_CRITERIA = [
  { id: 'answered', label: 'Answered the question' },
  { id: 'tone', label: 'Tone' },
  { id: 'accuracy', label: 'Accuracy' },
  { id: 'personalization', label: 'Personalization' },
  { id: 'account_language', label: 'Right account and language' },
] as const;

export const RATINGS = ['pass', 'partial', 'fail', 'na'] as const;
export type Rating = (typeof RATINGS)[number];

/** Points of a rating; `na` does not count. */
export const POINTS: Record<Exclude<Rating, 'na'>, number> = { pass: 1, partial: 0.5, fail: 0 };

export interface Criterion {
  id: string;
  label: string;
  kind: 'standard' | 'guideline';
  /** For a guideline: its kind (terms, pii, tone…). */
  guideline_kind?: string;
  /** For a guideline: the message the policy gives it, if any (else the label is built from its kind). */
  message?: string;
}

export interface ScoredCriterion {
  id: string;
  label: string;
  guideline_kind?: string;
  message?: string;
  rating: Rating;
  comment?: string;
}

const GUIDELINE_LABELS: Record<string, string> = {
  terms: 'No forbidden topics or terms',
  pii: 'No personal data in a public reply',
  all_caps: 'No shouting (all caps)',
  blame: 'No blaming the customer',
  links: 'Only allowed links',
  language: 'The customer’s language',
};

/** The scorecard of a community: the standard criteria, then its guidelines in policy order. */
export function scorecard(guidelines: readonly Guideline[], communitySlug: string): Criterion[] {
  const out: Criterion[] = STANDARD_CRITERIA.map((c) => ({ id: c.id, label: c.label, kind: 'standard' }));
  for (const g of guidelines) {
    if (g.communities && !g.communities.includes(communitySlug)) continue;
    out.push({
      id: `guideline:${g.id}`,
      label: g.message ?? `${GUIDELINE_LABELS[g.kind] ?? g.kind} (${g.id})`,
      kind: 'guideline',
      guideline_kind: g.kind,
      ...(g.message ? { message: g.message } : {}),
    });
  }
  return out;
}

/**
 * The overall score, 0–100: the mean points of the rated criteria (pass 1, partial ½, fail 0; not applicable left
 * out), times 100, rounded. Null when nothing was rated.
 */
export function overallScore(ratings: readonly { rating: Rating }[]): number | null {
  const rated = ratings.filter((r) => r.rating !== 'na');
  if (rated.length === 0) return null;
  const points = rated.reduce((sum, r) => sum + POINTS[r.rating as Exclude<Rating, 'na'>], 0);
  return Math.round((100 * points) / rated.length);
}

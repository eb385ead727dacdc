import type pg from 'pg';
import type { Queryable } from '../../server/db/database.ts';
import { transaction } from '../../server/db/database.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { canReviewQuality } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { currentGovernance } from '../governance/store.ts';
import { notify } from '../notifications/service.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';
import { drawSample, newSeed } from './sampling.ts';
import { type Criterion, overallScore, type Rating, type ScoredCriterion, scorecard } from './scorecard.ts';

/**
 * Quality review: samples of sent replies drawn by leaders, reviews scored against the community's scorecard,
 * feedback the author sees and acknowledges. See docs/quality.md.
 */

export interface Deps {
  pool: pg.Pool;
  directory: Directory;
}

/**
 * The replies people sent that a review may look at: outbound replies written by a person (not automatic
 * acknowledgements or other automatic messages), actually sent, in a community, written in [from, to).
 */
const SENT_REPLY = `m.direction = 'out' and m.kind = 'reply' and m.person_id is not null
  and coalesce(m.meta ->> 'auto_ack', 'false') <> 'true' and coalesce(m.meta ->> 'automatic', 'false') <> 'true'
  and exists (select 1 from outbox o where o.message_id = m.id and o.status = 'sent')`;

export interface SampleInput {
  community_id: number;
  person_id?: number | undefined;
  from: Date;
  to: Date;
  size: number;
  seed?: number | undefined;
}

export interface SampleRow {
  id: number;
  community_id: number;
  person_id: number | null;
  period_from: Date;
  period_to: Date;
  size: number;
  seed: number;
  items: number[];
  created_by: number;
  created_at: Date;
}

/** The replies a sample may draw from: sent, in the community and period, by the person if given, never reviewed. */
export async function sampleCandidates(
  db: Queryable,
  orgId: number,
  q: { communityId: number; personId?: number | undefined; from: Date; to: Date },
): Promise<{ message_id: number; author_id: number }[]> {
  const r = await db.query<{ message_id: string; author_id: number }>(
    `select m.id as message_id, m.person_id as author_id
     from messages m join cases c on c.id = m.case_id
     where m.org_id = $1 and c.community_id = $2 and m.created_at >= $3 and m.created_at < $4
       and ($5::int is null or m.person_id = $5) and ${SENT_REPLY}
       and not exists (select 1 from qa_reviews r where r.message_id = m.id)
     order by m.id`,
    [orgId, q.communityId, q.from, q.to, q.personId ?? null],
  );
  return r.rows.map((row) => ({ message_id: Number(row.message_id), author_id: row.author_id }));
}

export async function createSample(deps: Deps, p: PersonPrincipal, input: SampleInput): Promise<SampleRow> {
  const community = deps.directory.communities.get(input.community_id);
  if (!community || !canReviewQuality(p, community.id)) {
    if (community && p.communityIds.has(community.id)) throw forbidden('drawing quality samples');
    throw notFound('community');
  }
  if (input.from.getTime() >= input.to.getTime()) throw invalidField('from', 'must be before to');
  const seed = input.seed ?? newSeed();
  return transaction(deps.pool, async (tx) => {
    if (input.person_id !== undefined) {
      const person = await tx.query('select 1 from people where id = $1 and org_id = $2', [input.person_id, p.orgId]);
      if (!person.rows[0]) throw invalidField('person_id', 'no such person');
    }
    const candidates = await sampleCandidates(tx, p.orgId, {
      communityId: community.id,
      personId: input.person_id,
      from: input.from,
      to: input.to,
    });
    const items = drawSample(candidates, input.size, seed);
    const r = await tx.query<SampleRow>(
      `insert into qa_samples (org_id, community_id, person_id, period_from, period_to, size, seed, items, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       returning id, community_id, person_id, period_from, period_to, size, seed, items, created_by, created_at`,
      [p.orgId, community.id, input.person_id ?? null, input.from, input.to, input.size, seed, items, p.id],
    );
    const row = normalizeSample(r.rows[0]!);
    await audit(tx, {
      orgId: p.orgId,
      action: 'quality.sample_drawn',
      actorPersonId: p.id,
      subjectType: 'qa_sample',
      subjectId: row.id,
      data: {
        community_id: community.id,
        person_id: input.person_id ?? null,
        size: input.size,
        seed,
        items: items.length,
        candidates: candidates.length,
      },
    });
    return row;
  });
}

function normalizeSample(r: SampleRow): SampleRow {
  return { ...r, id: Number(r.id), seed: Number(r.seed), items: r.items.map(Number) };
}

export async function listSamples(db: Queryable, orgId: number, communityIds: number[], limit = 30) {
  const r = await db.query<SampleRow>(
    `select id, community_id, person_id, period_from, period_to, size, seed, items, created_by, created_at
     from qa_samples where org_id = $1 and community_id = any($2::int[]) order by id desc limit $3`,
    [orgId, communityIds, limit],
  );
  return r.rows.map(normalizeSample);
}

export interface ReplyInfo {
  id: number;
  case_id: number;
  community_id: number;
  author_id: number;
  author_name: string;
  account_id: number | null;
  account_handle: string;
  channel: string;
  text: string;
  lang: string | null;
  created_at: Date;
  visibility: string;
}

/** Facts about sent replies (the queue of a sample, the review view). Messages that are not sent replies are left out. */
export async function sentReplies(db: Queryable, orgId: number, ids: number[]): Promise<ReplyInfo[]> {
  if (ids.length === 0) return [];
  const r = await db.query<ReplyInfo & { id: string; case_id: string }>(
    `select m.id, m.case_id, c.community_id, m.person_id as author_id, p.name as author_name, m.account_id,
       m.author_handle as account_handle, m.channel, m.text, m.lang, m.created_at,
       coalesce(m.meta ->> 'visibility', 'public') as visibility
     from messages m join cases c on c.id = m.case_id join people p on p.id = m.person_id
     where m.org_id = $1 and m.id = any($2::bigint[]) and ${SENT_REPLY}`,
    [orgId, ids],
  );
  const byId = new Map(
    r.rows.map((row) => [Number(row.id), { ...row, id: Number(row.id), case_id: Number(row.case_id) }]),
  );
  return ids.map((id) => byId.get(id)).filter((x): x is ReplyInfo => x !== undefined);
}

/** The scorecard of a community, from the governance policy in force. */
export async function communityScorecard(deps: Deps, orgId: number, communityId: number): Promise<Criterion[]> {
  const community = deps.directory.communities.get(communityId);
  const gov = await currentGovernance(deps.pool, orgId);
  return scorecard(gov.policy.guidelines, community?.slug ?? '');
}

/** The case around a reply, oldest first, plain text: what the reviewer reads before scoring. */
export async function replyContext(deps: Deps, p: PersonPrincipal, messageId: number) {
  const [reply] = await sentReplies(deps.pool, p.orgId, [messageId]);
  if (!reply || !canReviewQuality(p, reply.community_id)) throw notFound('sent reply');
  const thread = await deps.pool.query<{
    id: string;
    direction: string;
    kind: string;
    author_handle: string;
    author_name: string | null;
    person_name: string | null;
    text: string;
    created_at: Date;
  }>(
    `select m.id, m.direction, m.kind, m.author_handle, m.author_name, p.name as person_name, m.text, m.created_at
     from messages m left join people p on p.id = m.person_id
     where m.case_id = $1 and m.org_id = $2 order by m.created_at, m.id limit 500`,
    [reply.case_id, p.orgId],
  );
  const reviews = await listReviews(deps.pool, p.orgId, { messageId });
  return {
    reply,
    thread: thread.rows.map((m) => ({
      id: Number(m.id),
      direction: m.direction,
      kind: m.kind,
      author: m.person_name ?? m.author_name ?? m.author_handle,
      text: m.text,
      created_at: m.created_at,
      is_reviewed_reply: Number(m.id) === messageId,
    })),
    scorecard: await communityScorecard(deps, p.orgId, reply.community_id),
    reviews,
  };
}

export interface ReviewInput {
  message_id: number;
  sample_id?: number | undefined;
  scores: { id: string; rating: Rating; comment?: string | undefined }[];
  feedback: string;
}

export interface ReviewRow {
  id: number;
  message_id: number;
  case_id: number;
  community_id: number;
  author_id: number;
  author_name: string;
  reviewer_id: number;
  reviewer_name: string;
  sample_id: number | null;
  scores: ScoredCriterion[];
  overall_score: number;
  feedback: string;
  created_at: Date;
  acknowledged_by_author_at: Date | null;
}

/**
 * Scores a sent reply: every criterion of the community's scorecard must be rated (no criterion of another
 * scorecard), the overall score is computed, the author is notified, and the review is audited.
 */
export async function submitReview(deps: Deps, p: PersonPrincipal, input: ReviewInput): Promise<ReviewRow> {
  const [reply] = await sentReplies(deps.pool, p.orgId, [input.message_id]);
  if (!reply || !canReviewQuality(p, reply.community_id)) throw notFound('sent reply');
  if (reply.author_id === p.id) throw new HttpError(403, 'forbidden', 'you may not review your own reply');
  const card = await communityScorecard(deps, p.orgId, reply.community_id);
  const given = new Map<string, { rating: Rating; comment?: string | undefined }>();
  for (const [i, s] of input.scores.entries()) {
    if (!card.some((c) => c.id === s.id)) throw invalidField(`scores.${i}.id`, `not a criterion of this scorecard`);
    if (given.has(s.id)) throw invalidField(`scores.${i}.id`, 'rated twice');
    given.set(s.id, s);
  }
  const missing = card.find((c) => !given.has(c.id));
  if (missing) throw invalidField('scores', `rate every criterion (missing: ${missing.id})`);
  const scores: ScoredCriterion[] = card.map((c) => {
    const s = given.get(c.id)!;
    const comment = s.comment?.trim();
    return {
      id: c.id,
      label: c.label,
      ...(c.guideline_kind ? { guideline_kind: c.guideline_kind } : {}),
      ...(c.message ? { message: c.message } : {}),
      rating: s.rating,
      ...(comment ? { comment } : {}),
    };
  });
  const overall = overallScore(scores);
  if (overall === null) throw invalidField('scores', 'rate at least one criterion (not all “not applicable”)');
  return transaction(deps.pool, async (tx) => {
    if (input.sample_id !== undefined) {
      const s = await tx.query('select 1 from qa_samples where id = $1 and org_id = $2 and $3 = any(items)', [
        input.sample_id,
        p.orgId,
        input.message_id,
      ]);
      if (!s.rows[0]) throw invalidField('sample_id', 'this reply is not in that sample');
    }
    const r = await tx.query<{ id: string }>(
      `insert into qa_reviews (org_id, message_id, case_id, community_id, author_id, reviewer_id, sample_id, scores,
         overall_score, feedback)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (message_id, reviewer_id) do nothing returning id`,
      [
        p.orgId,
        reply.id,
        reply.case_id,
        reply.community_id,
        reply.author_id,
        p.id,
        input.sample_id ?? null,
        JSON.stringify(scores),
        overall,
        input.feedback.trim(),
      ],
    );
    const id = r.rows[0] ? Number(r.rows[0].id) : undefined;
    if (id === undefined) throw new HttpError(409, 'already_reviewed', 'you already reviewed this reply');
    await notify(tx, {
      orgId: p.orgId,
      personIds: [reply.author_id],
      kind: 'qa_feedback',
      caseId: reply.case_id,
      data: { qa_review_id: id, message_id: reply.id, overall_score: overall, by: p.id, by_name: p.name },
    });
    await audit(tx, {
      orgId: p.orgId,
      action: 'quality.reviewed',
      actorPersonId: p.id,
      accountId: reply.account_id,
      subjectType: 'qa_review',
      subjectId: id,
      data: {
        message_id: reply.id,
        case_id: reply.case_id,
        author_id: reply.author_id,
        overall_score: overall,
        sample_id: input.sample_id ?? null,
      },
    });
    const [row] = await listReviews(tx, p.orgId, { id });
    return row!;
  });
}

export async function listReviews(
  db: Queryable,
  orgId: number,
  q: {
    id?: number;
    messageId?: number;
    communityIds?: number[];
    authorId?: number | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    limit?: number;
  },
): Promise<ReviewRow[]> {
  const r = await db.query<ReviewRow>(
    `select r.id, r.message_id, r.case_id, r.community_id, r.author_id, a.name as author_name, r.reviewer_id,
       v.name as reviewer_name, r.sample_id, r.scores, r.overall_score, r.feedback, r.created_at,
       r.acknowledged_by_author_at
     from qa_reviews r join people a on a.id = r.author_id join people v on v.id = r.reviewer_id
     where r.org_id = $1 and ($2::bigint is null or r.id = $2) and ($3::bigint is null or r.message_id = $3)
       and ($4::int[] is null or r.community_id = any($4)) and ($5::int is null or r.author_id = $5)
       and ($6::timestamptz is null or r.created_at >= $6) and ($7::timestamptz is null or r.created_at < $7)
     order by r.created_at desc, r.id desc limit $8`,
    [
      orgId,
      q.id ?? null,
      q.messageId ?? null,
      q.communityIds ?? null,
      q.authorId ?? null,
      q.from ?? null,
      q.to ?? null,
      q.limit ?? 200,
    ],
  );
  return r.rows.map((row) => ({
    ...row,
    id: Number(row.id),
    message_id: Number(row.message_id),
    case_id: Number(row.case_id),
    sample_id: row.sample_id === null ? null : Number(row.sample_id),
  }));
}

/** The author acknowledges the feedback on one of their replies (once; again changes nothing). */
export async function acknowledgeReview(pool: pg.Pool, p: PersonPrincipal, id: number): Promise<ReviewRow> {
  return transaction(pool, async (tx) => {
    const r = await tx.query<{ author_id: number; acknowledged_by_author_at: Date | null }>(
      'select author_id, acknowledged_by_author_at from qa_reviews where id = $1 and org_id = $2 for update',
      [id, p.orgId],
    );
    const row = r.rows[0];
    // Someone else's review answers as if it did not exist.
    if (!row || row.author_id !== p.id) throw notFound('review');
    if (row.acknowledged_by_author_at === null) {
      await tx.query('update qa_reviews set acknowledged_by_author_at = now() where id = $1', [id]);
      await audit(tx, {
        orgId: p.orgId,
        action: 'quality.acknowledged',
        actorPersonId: p.id,
        subjectType: 'qa_review',
        subjectId: id,
      });
    }
    const [out] = await listReviews(tx, p.orgId, { id });
    return out!;
  });
}

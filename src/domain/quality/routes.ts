import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canReviewQuality, qualityScoreCommunities } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { registerKpiExtension } from '../reports/extensions.ts';
import { invalidField } from '../validation.ts';
import { RATINGS } from './scorecard.ts';
import { qaScores, qualityKpi } from './scores.ts';
import {
  acknowledgeReview,
  createSample,
  listReviews,
  listSamples,
  replyContext,
  type SampleRow,
  sentReplies,
  submitReview,
} from './service.ts';

const DAY = 86_400_000;
const MAX_DAYS = 366;

const instant = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:\d\d))?$/, 'YYYY-MM-DD or ISO 8601')
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

const idParams = z.object({ id: z.coerce.number().int().positive() });

const sampleBody = z.strictObject({
  community_id: z.number().int().positive(),
  /** Only this person's replies; absent: everyone's in the community. */
  person_id: z.number().int().positive().optional(),
  /** Replies written from (inclusive)… */
  from: instant,
  /** …to (exclusive). */
  to: instant,
  /** How many replies to draw (fewer when fewer qualify). */
  size: z.number().int().min(1).max(200),
  /** The same seed over the same replies draws the same sample; absent: a new seed, returned with the sample. */
  seed: z.number().int().min(1).max(2_147_483_647).optional(),
});

const reviewBody = z.strictObject({
  /** The sent reply reviewed. */
  message_id: z.number().int().positive(),
  /** The sample it was drawn in, if any. */
  sample_id: z.number().int().positive().optional(),
  /** One rating per criterion of the community's scorecard (see GET /quality/replies/{id}). */
  scores: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(60),
        rating: z.enum(RATINGS),
        comment: z.string().max(2000).optional(),
      }),
    )
    .min(1)
    .max(250),
  /** Overall feedback to the author (plain text). */
  feedback: z.string().max(5000).default(''),
});

const periodQuery = {
  from: instant.optional(),
  to: instant.optional(),
};

const reviewsQuery = z.object({
  community_id: z.coerce.number().int().positive().optional(),
  /** The replies' author. */
  person_id: z.coerce.number().int().positive().optional(),
  ...periodQuery,
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const scoresQuery = z.object({
  community_id: z.coerce.number().int().positive().optional(),
  person_id: z.coerce.number().int().positive().optional(),
  ...periodQuery,
});

/** The period of a query: [from, to), default the last 30 days, at most a year. */
function period(q: { from?: Date | undefined; to?: Date | undefined }, now = new Date()) {
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - 30 * DAY);
  if (from.getTime() >= to.getTime()) throw invalidField('from', 'must be before to');
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY)
    throw invalidField('from', `the period is at most ${MAX_DAYS} days`);
  return { from, to };
}

/** The communities a person reviews quality in (leaders: every community). */
function reviewedCommunities(p: PersonPrincipal): number[] {
  return [...p.communityIds].filter((c) => canReviewQuality(p, c));
}

function requireReviewer(p: PersonPrincipal): number[] {
  const communities = reviewedCommunities(p);
  if (communities.length === 0) throw forbidden('quality review');
  return communities;
}

export function qualityRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerKpiExtension({ name: 'quality', compute: qualityKpi });
  const deps = () => ({ pool: ctx.pool, directory: ctx.directory() });

  /** A sample with its items: each reply's facts and whether it has been reviewed. */
  const presentSamples = async (orgId: number, samples: SampleRow[]) => {
    const ids = [...new Set(samples.flatMap((s) => s.items))];
    const replies = new Map((await sentReplies(ctx.pool, orgId, ids)).map((r) => [r.id, r]));
    const reviewed = await ctx.pool.query<{ message_id: string; overall_score: number; id: string }>(
      `select distinct on (message_id) message_id, overall_score, id from qa_reviews
       where org_id = $1 and message_id = any($2::bigint[]) order by message_id, id`,
      [orgId, ids],
    );
    const reviews = new Map(reviewed.rows.map((r) => [Number(r.message_id), r]));
    return samples.map((s) => ({
      ...s,
      items: s.items.map((id) => {
        const r = replies.get(id);
        const review = reviews.get(id);
        return {
          message_id: id,
          case_id: r?.case_id ?? null,
          author_id: r?.author_id ?? null,
          author_name: r?.author_name ?? null,
          excerpt: r ? r.text.slice(0, 160) : null,
          created_at: r?.created_at ?? null,
          review: review ? { id: Number(review.id), overall_score: review.overall_score } : null,
        };
      }),
    }));
  };

  app.post(
    '/api/v1/quality/samples',
    {
      schema: {
        summary: 'Draw a reproducible sample of sent replies to review (a community, optionally one person, a period)',
        tags: ['quality'],
        body: doc(sampleBody),
      },
    },
    async (req, reply) => {
      const p = await requirePerson(ctx, req);
      requireReviewer(p);
      const body = parse(sampleBody, req.body);
      const sample = await createSample(deps(), p, body);
      const [out] = await presentSamples(p.orgId, [sample]);
      return reply.status(201).send(out);
    },
  );

  app.get(
    '/api/v1/quality/samples',
    {
      schema: {
        summary: 'The latest samples of the communities I review, with their items and which are reviewed',
        tags: ['quality'],
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const communities = requireReviewer(p);
      return { items: await presentSamples(p.orgId, await listSamples(ctx.pool, p.orgId, communities)) };
    },
  );

  app.get(
    '/api/v1/quality/replies/:id',
    {
      schema: {
        summary: 'A sent reply to review: its case thread (plain text), the community’s scorecard, its reviews',
        tags: ['quality'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      requireReviewer(p);
      const { id } = parse(idParams, req.params);
      return replyContext(deps(), p, id);
    },
  );

  app.post(
    '/api/v1/quality/reviews',
    {
      schema: {
        summary: 'Review a sent reply: rate every criterion, give feedback; the author is notified',
        tags: ['quality'],
        body: doc(reviewBody),
      },
    },
    async (req, reply) => {
      const p = await requirePerson(ctx, req);
      requireReviewer(p);
      const body = parse(reviewBody, req.body);
      return reply.status(201).send(await submitReview(deps(), p, body));
    },
  );

  app.get(
    '/api/v1/quality/reviews',
    {
      schema: {
        summary: 'Reviews of the communities I review, newest first (by community, author, period of review)',
        tags: ['quality'],
        querystring: doc(reviewsQuery),
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const communities = requireReviewer(p);
      const q = parse(reviewsQuery, req.query);
      if (q.community_id !== undefined && !communities.includes(q.community_id)) throw notFound('community');
      return {
        items: await listReviews(ctx.pool, p.orgId, {
          communityIds: q.community_id !== undefined ? [q.community_id] : communities,
          authorId: q.person_id,
          from: q.from,
          to: q.to,
          limit: q.limit,
        }),
      };
    },
  );

  app.get(
    '/api/v1/quality/feedback',
    {
      schema: {
        summary: 'My feedback: the reviews of replies I wrote, newest first, with the reply',
        tags: ['quality'],
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const reviews = await listReviews(ctx.pool, p.orgId, { authorId: p.id, limit: 200 });
      const replies = new Map(
        (
          await sentReplies(
            ctx.pool,
            p.orgId,
            reviews.map((r) => r.message_id),
          )
        ).map((r) => [r.id, r]),
      );
      return {
        items: reviews.map((r) => ({ ...r, reply_text: replies.get(r.message_id)?.text ?? null })),
        unacknowledged: reviews.filter((r) => r.acknowledged_by_author_at === null).length,
      };
    },
  );

  app.post(
    '/api/v1/quality/reviews/:id/acknowledge',
    {
      schema: {
        summary: 'Acknowledge the feedback on one of my replies (its author only)',
        tags: ['quality'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const { id } = parse(idParams, req.params);
      return acknowledgeReview(ctx.pool, p, id);
    },
  );

  app.get(
    '/api/v1/quality/scores',
    {
      schema: {
        summary:
          'QA scores per person and per community over a period (replies written in it): reviews, mean, most failed',
        tags: ['quality'],
        querystring: doc(scoresQuery),
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const readable = [...qualityScoreCommunities(p)];
      if (readable.length === 0) throw forbidden('reading quality scores');
      const q = parse(scoresQuery, req.query);
      if (q.community_id !== undefined && !readable.includes(q.community_id)) throw notFound('community');
      const { from, to } = period(q);
      const scores = await qaScores(ctx.pool, p.orgId, {
        from,
        to,
        communityIds: q.community_id !== undefined ? [q.community_id] : readable,
        personIds: q.person_id !== undefined ? [q.person_id] : null,
      });
      return { from, to, ...scores };
    },
  );
}

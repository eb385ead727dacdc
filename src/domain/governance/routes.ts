import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canAdminister, canReadApprovalStats, readableCommunities } from '../access/policy.ts';
import { audit } from '../audit/log.ts';
import { invalidField } from '../validation.ts';
import { governanceSchema } from './policy.ts';
import { previewGovernance } from './preview.ts';
import { approvalStats, listApprovals, QUEUE_SCOPES, REQUEST_STATUSES } from './queue.ts';
import { approveReply, checkReply, type GovernanceDeps, rejectReply, withdrawReply } from './service.ts';
import { currentGovernance, governanceVersion, governanceVersions, insertGovernance } from './store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const saveSchema = z.strictObject({ policy: governanceSchema, note: z.string().max(500).default('') });
const previewSchema = z.strictObject({
  policy: governanceSchema,
  limit: z.number().int().min(1).max(2000).default(500),
});
const checkSchema = z.strictObject({
  text: z.string().min(1).max(20_000),
  visibility: z.enum(['public', 'private']).optional(),
});
const queueQuery = z.object({
  scope: z.enum(QUEUE_SCOPES).default('to_approve'),
  status: z.enum(REQUEST_STATUSES).default('pending'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const approveSchema = z.strictObject({
  /** The reply as the approver edited it; absent: approved as written. */
  text: z.string().min(1).max(20_000).optional(),
  note: z.string().max(2000).optional(),
});
const rejectSchema = z.strictObject({ note: z.string().min(1).max(2000) });
const statsQuery = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  community: z.coerce.number().int().positive().optional(),
});
const DAY = 86_400_000;

/** Deps of the governance service from the app's context. */
export function governanceDeps(ctx: AppContext): GovernanceDeps {
  return {
    pool: ctx.pool,
    directory: ctx.directory(),
    sendDelayMs: ctx.config.sendDelayMs,
    detectLang: (text) => ctx.triager().triage([{ text }])[0]?.lang ?? 'und',
  };
}

export function governanceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const leader = async (req: Parameters<typeof requirePerson>[1]) => {
    const p = await requirePerson(ctx, req);
    if (!canAdminister(p)) throw forbidden('changing the governance policy');
    return p;
  };

  app.get(
    '/api/v1/governance/policy',
    { schema: { summary: 'The approval policy, autonomy levels and guidelines in force', tags: ['governance'] } },
    async (req) => {
      await leader(req);
      return currentGovernance(ctx.pool, ctx.directory().orgId);
    },
  );

  app.get(
    '/api/v1/governance/policy/versions',
    { schema: { summary: 'Saved versions of the governance policy', tags: ['governance'] } },
    async (req) => {
      await leader(req);
      return governanceVersions(ctx.pool, ctx.directory().orgId);
    },
  );

  app.get(
    '/api/v1/governance/policy/versions/:version',
    { schema: { summary: 'One saved version of the governance policy', tags: ['governance'] } },
    async (req) => {
      await leader(req);
      const { version } = parse(z.object({ version: z.coerce.number().int().min(1) }), req.params);
      const v = await governanceVersion(ctx.pool, ctx.directory().orgId, version);
      if (!v) throw notFound('policy version');
      return v;
    },
  );

  app.put(
    '/api/v1/governance/policy',
    {
      schema: {
        summary: 'Save a new version of the governance policy',
        description: 'Approval rules, autonomy levels per person and community, and reply guidelines per community.',
        tags: ['governance'],
        body: doc(saveSchema),
      },
    },
    async (req) => {
      const person = await leader(req);
      const body = parse(saveSchema, req.body);
      const directory = ctx.directory();
      const slugs = new Set([...directory.communities.values()].map((c) => c.slug));
      const unknown = [
        ...body.policy.autonomy.flatMap((a) => (a.community ? [a.community] : [])),
        ...body.policy.approvals.flatMap((r) => r.when.communities ?? []),
        ...body.policy.guidelines.flatMap((g) => g.communities ?? []),
      ].find((s) => !slugs.has(s));
      if (unknown) throw invalidField('policy', `unknown community "${unknown}"`);
      const emails = body.policy.autonomy.map((a) => a.person.toLowerCase());
      if (emails.length > 0) {
        const known = await ctx.pool.query<{ email: string }>(
          'select lower(email) as email from people where org_id = $1 and lower(email) = any($2::text[])',
          [directory.orgId, emails],
        );
        const found = new Set(known.rows.map((r) => r.email));
        const missing = emails.find((e) => !found.has(e));
        if (missing) throw invalidField('policy', `unknown person "${missing}" in autonomy`);
      }
      const version = await transaction(ctx.pool, async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1, $2)', [7_311_020, directory.orgId]);
        const v = await insertGovernance(tx, directory.orgId, body.policy, body.note, person.id);
        await audit(tx, {
          orgId: directory.orgId,
          action: 'governance.policy_saved',
          actorPersonId: person.id,
          subjectType: 'governance_policy',
          subjectId: v,
          data: {
            approvals: body.policy.approvals.length,
            guidelines: body.policy.guidelines.length,
            autonomy: body.policy.autonomy.length,
          },
        });
        return v;
      });
      return { version };
    },
  );

  app.post(
    '/api/v1/governance/preview',
    {
      schema: {
        summary: 'Try a governance policy on the latest replies before saving it',
        description:
          'For each approval rule, how many of the last replies it would have held for approval; for each guideline, how many it would have blocked or warned about; with examples.',
        tags: ['governance'],
        body: doc(previewSchema),
      },
    },
    async (req) => {
      await leader(req);
      const body = parse(previewSchema, req.body);
      const deps = governanceDeps(ctx);
      return previewGovernance(ctx.pool, deps.directory, body.policy, body.limit, deps.detectLang);
    },
  );

  app.post(
    '/api/v1/cases/:id/check-reply',
    {
      schema: {
        summary: 'Check a draft reply against the guidelines and the approval policy, before sending it',
        description:
          'Returns the guideline findings (each `block` or `warn`) and how many approvals the reply would need.',
        tags: ['governance'],
        params: doc(idParams),
        body: doc(checkSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(checkSchema, req.body);
      const person = await requirePerson(ctx, req);
      return checkReply(governanceDeps(ctx), person, id, body);
    },
  );

  app.get(
    '/api/v1/approvals',
    {
      schema: {
        summary: 'The approval queue',
        description:
          '`to_approve`: replies and posts waiting for your decision; `mine`: your replies and posts sent for approval; `all`: every request of your communities. Overdue requests have `overdue: true`. Posts are items with `kind: "post"` (decided with `POST /api/v1/publishing/posts/{id}/approve|reject`); reply items have no `kind`.',
        tags: ['governance'],
        querystring: doc(queueQuery),
      },
    },
    async (req) => {
      const q = parse(queueQuery, req.query);
      const person = await requirePerson(ctx, req);
      return listApprovals(ctx.pool, ctx.directory(), person, q);
    },
  );

  app.get(
    '/api/v1/approvals/stats',
    {
      schema: {
        summary: 'The cost of approvals over a period',
        description:
          'Share of replies that needed approval and the median delay to a decision; `from` defaults to 30 days ago, `to` to now.',
        tags: ['governance'],
        querystring: doc(statsQuery),
      },
    },
    async (req) => {
      const q = parse(statsQuery, req.query);
      const person = await requirePerson(ctx, req);
      if (!canReadApprovalStats(person)) throw forbidden('reading approval statistics');
      const to = q.to ?? new Date();
      const from = q.from ?? new Date(to.getTime() - 30 * DAY);
      if (from >= to) throw invalidField('from', 'must be before `to`');
      const readable = readableCommunities(person);
      const mine = readable === 'all' ? undefined : [...readable];
      if (q.community !== undefined && mine && !mine.includes(q.community)) throw forbidden('this community');
      const communityIds = q.community !== undefined ? [q.community] : person.role === 'leader' ? undefined : mine;
      return approvalStats(ctx.pool, ctx.directory().orgId, { from, to, communityIds });
    },
  );

  app.post(
    '/api/v1/approvals/:id/approve',
    {
      schema: {
        summary: 'Approve a reply, optionally edited',
        description:
          'Once enough approvers agreed, the reply goes through the outbox (send delay, undo) from the account fixed when it was written.',
        tags: ['governance'],
        params: doc(idParams),
        body: doc(approveSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(approveSchema, req.body ?? {});
      const person = await requirePerson(ctx, req);
      const decided = await approveReply(governanceDeps(ctx), person, id, body);
      if (decided.status === 'approved') ctx.kickOutbox();
      return decided;
    },
  );

  app.post(
    '/api/v1/approvals/:id/reject',
    {
      schema: {
        summary: 'Reject a reply with a note for its author',
        tags: ['governance'],
        params: doc(idParams),
        body: doc(rejectSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(rejectSchema, req.body);
      const person = await requirePerson(ctx, req);
      return rejectReply(governanceDeps(ctx), person, id, body.note);
    },
  );

  app.post(
    '/api/v1/approvals/:id/withdraw',
    {
      schema: { summary: 'Withdraw your reply waiting for approval', tags: ['governance'], params: doc(idParams) },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      await withdrawReply(ctx.pool, person, id);
      return reply.status(204).send();
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canReadHandover, canUseInbox } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { withText } from './content.ts';
import { presentBrief, presentBriefSummary } from './presenter.ts';
import { acknowledgeBrief, editBrief, generateNow, publishBrief } from './service.ts';
import { acknowledgements, awaitingCount, getBrief, listBriefs, peopleNames } from './store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const listQuery = z.object({
  /** One community; default every community the person reads. */
  community_id: z.coerce.number().int().positive().optional(),
  status: z.enum(['draft', 'published', 'acknowledged']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

const itemEdit = z.strictObject({
  /** Leave the item out of the published brief. */
  hidden: z.boolean().optional(),
  /** A comment for the next shift, shown with the item (plain text). */
  comment: z.string().max(2000).optional(),
});

const editSchema = z.strictObject({
  /** The outgoing shift's note to the next one (plain text). */
  note: z.string().max(20_000).optional(),
  /** Edits by item key (`case:12`, `promise:345:0`…); null removes an item's edit. */
  items: z
    .record(z.string().regex(/^(case|consult|promise|crisis|alert|incident):[0-9:]{1,40}$/), itemEdit.nullable())
    .optional(),
});

export function handoverRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = () => ({ pool: ctx.pool, directory: ctx.directory() });

  const present = async (p: PersonPrincipal, id: number) => {
    const b = await getBrief(ctx.pool, p.orgId, id);
    if (!b || !canReadHandover(p, b.community_id)) throw notFound('handover brief');
    const community = ctx.directory().communities.get(b.community_id);
    b.content = await withText(ctx.pool, b.content, community?.timezone ?? 'UTC');
    const acks = await acknowledgements(ctx.pool, b.id);
    const names = await peopleNames(ctx.pool, [
      ...b.outgoing_ids,
      ...b.incoming_ids,
      ...[b.created_by, b.edited_by, b.published_by, b.acknowledged_by].filter((x): x is number => x !== null),
    ]);
    return presentBrief(b, community, p, acks, names);
  };

  app.get(
    '/api/v1/handover',
    {
      schema: {
        summary: 'Handover briefs of my communities, newest first, and how many wait for my acknowledgement',
        tags: ['handover'],
        querystring: doc(listQuery),
      },
    },
    async (req) => {
      const q = parse(listQuery, req.query);
      const p = await requirePerson(ctx, req);
      if (!canUseInbox(p)) throw forbidden('reading handover briefs');
      const readable = [...p.communityIds].filter((id) => canReadHandover(p, id));
      if (q.community_id !== undefined && !readable.includes(q.community_id)) throw notFound('community');
      const communityIds = q.community_id !== undefined ? [q.community_id] : readable;
      const rows = await listBriefs(ctx.pool, {
        orgId: p.orgId,
        communityIds,
        personId: p.id,
        status: q.status,
        limit: q.limit,
      });
      const directory = ctx.directory();
      return {
        items: rows.map((b) => presentBriefSummary(b, directory.communities.get(b.community_id), p)),
        awaiting: await awaitingCount(ctx.pool, p.orgId, p.id, readable),
      };
    },
  );

  app.get(
    '/api/v1/handover/:id',
    {
      schema: {
        summary: 'A handover brief: its sections with the outgoing shift’s edits, its note, who acknowledged it',
        tags: ['handover'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      return present(p, id);
    },
  );

  app.post(
    '/api/v1/communities/:id/handover',
    {
      schema: {
        summary: 'Generate the community’s handover brief now (or bring its draft up to date)',
        tags: ['handover'],
        params: doc(idParams),
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const brief = await generateNow(deps(), p, id);
      return reply.status(201).send(await present(p, brief.id));
    },
  );

  app.patch(
    '/api/v1/handover/:id',
    {
      schema: {
        summary: 'Edit a draft brief: the note, and per item hide it or add a comment',
        tags: ['handover'],
        params: doc(idParams),
        body: doc(editSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(editSchema, req.body);
      const p = await requirePerson(ctx, req);
      await editBrief(deps(), p, id, body);
      return present(p, id);
    },
  );

  app.post(
    '/api/v1/handover/:id/publish',
    {
      schema: {
        summary: 'Publish a draft brief to the next shift (notified, and emailed as each of them chooses)',
        tags: ['handover'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      await publishBrief(deps(), p, id);
      return present(p, id);
    },
  );

  app.post(
    '/api/v1/handover/:id/acknowledge',
    {
      schema: {
        summary: 'Acknowledge a published brief (the next shift: one acknowledgement per person)',
        tags: ['handover'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      await acknowledgeBrief(deps(), p, id);
      return present(p, id);
    },
  );
}

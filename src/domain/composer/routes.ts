import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canEditCannedReply, canReadCannedReplies } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import {
  type CannedRow,
  cannedInputSchema,
  cannedPatchSchema,
  createCanned,
  deleteCanned,
  listCanned,
  updateCanned,
} from './canned.ts';
import { renderReply } from './render.ts';
import { REPLY_VARIABLES } from './variables.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const listQuery = z.object({
  community_id: z.coerce.number().int().positive().optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional(),
});
const renderSchema = z
  .strictObject({
    text: z.string().min(1).max(20_000).optional(),
    canned_reply_id: z.number().int().positive().optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.canned_reply_id === undefined), {
    message: 'send either text or canned_reply_id',
    path: ['text'],
  });

export function composerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const reader = async (req: Parameters<typeof requirePerson>[1]) => {
    const person = await requirePerson(ctx, req);
    if (!canReadCannedReplies(person)) throw forbidden('reading canned replies');
    return person;
  };
  const present = (r: CannedRow, person: PersonPrincipal) => {
    const community = r.community_id === null ? undefined : ctx.directory().communities.get(r.community_id);
    return {
      id: r.id,
      community: community ? { id: community.id, slug: community.slug, name: community.name } : null,
      language: r.language,
      title: r.title,
      body: r.body,
      updated_at: r.updated_at.toISOString(),
      editable: canEditCannedReply(person, r.community_id),
    };
  };

  app.get(
    '/api/v1/canned-replies',
    {
      schema: {
        summary: 'Canned replies for every community and for yours, by language',
        description: `Bodies may use the variables ${REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ')}.`,
        tags: ['composer'],
        querystring: doc(listQuery),
      },
    },
    async (req) => {
      const q = parse(listQuery, req.query);
      const person = await reader(req);
      const rows = await listCanned(ctx.pool, person, { communityId: q.community_id, language: q.language });
      return rows.map((r) => present(r, person));
    },
  );

  app.post(
    '/api/v1/canned-replies',
    { schema: { summary: 'Add a canned reply', tags: ['composer'], body: doc(cannedInputSchema) } },
    async (req, reply) => {
      const body = parse(cannedInputSchema, req.body);
      const person = await reader(req);
      return reply.status(201).send(present(await createCanned(ctx.pool, ctx.directory(), person, body), person));
    },
  );

  app.patch(
    '/api/v1/canned-replies/:id',
    { schema: { summary: 'Change a canned reply', tags: ['composer'], body: doc(cannedPatchSchema) } },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(cannedPatchSchema, req.body);
      const person = await reader(req);
      return present(await updateCanned(ctx.pool, ctx.directory(), person, id, body), person);
    },
  );

  app.delete(
    '/api/v1/canned-replies/:id',
    { schema: { summary: 'Delete a canned reply', tags: ['composer'], params: doc(idParams) } },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const person = await reader(req);
      await deleteCanned(ctx.pool, ctx.directory(), person, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/cases/:id/render-reply',
    {
      schema: {
        summary: 'Preview a reply: variables filled, length against the network’s limit, thread split',
        description: 'Unknown variables stay as written and are listed in `variables.unknown`.',
        tags: ['composer'],
        params: doc(idParams),
        body: doc(renderSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(renderSchema, req.body);
      const person = await requirePerson(ctx, req);
      return renderReply({ pool: ctx.pool, directory: ctx.directory(), connectors: ctx.connectors }, person, id, body);
    },
  );
}

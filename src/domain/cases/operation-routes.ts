import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { BULK_LIMIT, bulkSchema, bulkUpdate } from './bulk.ts';
import { mergeCase } from './merge.ts';
import { moveCase } from './move.ts';
import { splitCase } from './split.ts';

/** Work on several cases at once, and on the shape of cases: bulk actions, merge, split, move. */

const idParams = z.object({ id: z.coerce.number().int().positive() });
const mergeSchema = z.strictObject({ into: z.number().int().positive() });
const splitSchema = z.strictObject({ message_ids: z.array(z.number().int().positive()).min(1).max(1000) });
const moveSchema = z.strictObject({ community_id: z.number().int().positive() });

export function caseOperationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/cases/bulk',
    {
      schema: {
        summary: `One action on up to ${BULK_LIMIT} cases, in one transaction, with an outcome per case`,
        description:
          'action: assign (value: person id or null), status, priority, tag, untag (value: the tag). Each case is ' +
          'checked on its own; outcomes: updated, unchanged, not_found, forbidden, invalid.',
        tags: ['cases'],
        body: doc(bulkSchema),
      },
    },
    async (req) => {
      const body = parse(bulkSchema, req.body);
      const person = await requirePerson(ctx, req);
      return bulkUpdate({ pool: ctx.pool, directory: ctx.directory() }, person, body);
    },
  );

  app.post(
    '/api/v1/cases/:id/merge',
    {
      schema: {
        summary: 'Merge this case into another case of the same community',
        description: 'Messages, conversations, pending replies and links move to `into`; this case is closed.',
        tags: ['cases'],
        params: doc(idParams),
        body: doc(mergeSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(mergeSchema, req.body);
      const person = await requirePerson(ctx, req);
      return mergeCase(ctx.pool, person, id, body.into);
    },
  );

  app.post(
    '/api/v1/cases/:id/split',
    {
      schema: {
        summary: 'Split messages off this case into a new case of the same customer',
        tags: ['cases'],
        params: doc(idParams),
        body: doc(splitSchema),
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const body = parse(splitSchema, req.body);
      const person = await requirePerson(ctx, req);
      return reply.status(201).send(await splitCase(ctx.pool, person, id, body.message_ids));
    },
  );

  app.post(
    '/api/v1/cases/:id/move',
    {
      schema: {
        summary: 'Move the case to another community (its account, default team; the assignee if they work there)',
        tags: ['cases'],
        params: doc(idParams),
        body: doc(moveSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(moveSchema, req.body);
      const person = await requirePerson(ctx, req);
      return moveCase({ pool: ctx.pool, directory: ctx.directory() }, person, id, body.community_id);
    },
  );
}

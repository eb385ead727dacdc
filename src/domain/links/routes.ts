import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson, requireToken } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canWriteLinkStatus } from '../access/policy.ts';
import { addLink, linkSchema, linkStatusSchema, presentLink, updateLinkStatus } from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

export function linkRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/cases/:id/links',
    {
      schema: {
        summary: 'Link the case to a record of another system (CRM, helpdesk, claims)',
        tags: ['links'],
        params: doc(idParams),
        body: doc(linkSchema),
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const body = parse(linkSchema, req.body);
      const person = await requirePerson(ctx, req);
      const { link, created } = await addLink(ctx.pool, person, id, body);
      return reply.status(created ? 201 : 200).send(presentLink(link));
    },
  );

  app.post(
    '/api/v1/links/status',
    {
      schema: {
        summary: 'Report the status of a linked record (API token with the links:write scope)',
        tags: ['links'],
        security: [{ bearerAuth: [] }],
        body: doc(linkStatusSchema),
      },
    },
    async (req) => {
      const body = parse(linkStatusSchema, req.body);
      const token = await requireToken(ctx, req);
      if (!canWriteLinkStatus(token)) throw forbidden('reporting link statuses without the links:write scope');
      return presentLink(await updateLinkStatus(ctx.pool, token, body));
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc, errorDoc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canHandlePersonalData } from '../access/policy.ts';
import { eraseContact, exportContact } from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** A customer's data on request: export (right of access) and erasure (right to be forgotten). Leaders only. */
export function privacyRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/contacts/:id/export',
    {
      schema: {
        summary: 'Everything about a customer as JSON: contact, identities, cases, messages, notes (leaders; audited)',
        tags: ['contacts'],
        params: doc(idParams),
        response: { 403: errorDoc, 404: errorDoc },
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      if (!canHandlePersonalData(person)) throw forbidden('exporting a customer’s data');
      const out = await exportContact(ctx.pool, person, id);
      return reply.header('content-disposition', `attachment; filename="contact-${id}.json"`).send(out);
    },
  );

  app.post(
    '/api/v1/contacts/:id/erase',
    {
      schema: {
        summary: 'Erase a customer’s personal data for good (leaders; audited)',
        description:
          'Message texts and authors of their cases become "[erased]", their name, notes and handles go, unsent ' +
          'replies to them are cancelled; the cases keep their ids, dates, statuses and labels, and the audit chain ' +
          'stays intact (audit entries never hold customer text).',
        tags: ['contacts'],
        params: doc(idParams),
        response: { 403: errorDoc, 404: errorDoc },
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      if (!canHandlePersonalData(person)) throw forbidden('erasing a customer’s data');
      return eraseContact(ctx.pool, person, id);
    },
  );
}

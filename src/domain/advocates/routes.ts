import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canUseInbox } from '../access/policy.ts';
import { governanceDeps } from '../governance/routes.ts';
import { askSchema, askToShare } from './crisis-ask.ts';
import { registerAdvocateKpis } from './kpis.ts';
import { actionSchema, actOnAdvocate, contactAdvocacy, listAdvocates, rankingQuerySchema } from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** Advocates: the ranking per community, actions on an advocate, and the crisis ask to share (docs/advocates.md). */
export function advocateRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerAdvocateKpis();
  app.get(
    '/api/v1/advocates',
    {
      schema: {
        summary:
          'Advocates ranked per community over a period (`community_id`: one you read; default every one), with their signals, score and last actions',
        tags: ['advocates'],
        querystring: doc(rankingQuerySchema),
      },
    },
    async (req) => {
      const q = parse(rankingQuerySchema, req.query);
      const person = await requirePerson(ctx, req);
      if (!canUseInbox(person)) throw forbidden('reading advocates');
      return listAdvocates(ctx.pool, ctx.directory(), person, q);
    },
  );

  app.get(
    '/api/v1/advocates/contacts/:id',
    {
      schema: {
        summary: 'A contact as an advocate: highlighted or excluded per community, and the actions taken',
        tags: ['advocates'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      return contactAdvocacy(ctx.pool, person, id);
    },
  );

  app.post(
    '/api/v1/advocates/actions',
    {
      schema: {
        summary:
          'Thank (optionally replying through governance and the outbox), highlight or unhighlight an advocate; exclude or include them (leaders)',
        tags: ['advocates'],
        body: doc(actionSchema),
      },
    },
    async (req, reply) => {
      const person = await requirePerson(ctx, req);
      const body = parse(actionSchema, req.body);
      const r = await actOnAdvocate(governanceDeps(ctx), person, body);
      if (r.reply && r.reply.approval === null) ctx.kickOutbox();
      return reply.status(201).send(r);
    },
  );

  app.post(
    '/api/v1/advocates/crisis-asks',
    {
      schema: {
        summary:
          'During an active crisis, ask advocates of a community to share its official sources (leaders and the task force); `dry_run` prepares only',
        tags: ['advocates'],
        body: doc(askSchema),
      },
    },
    async (req) => {
      const person = await requirePerson(ctx, req);
      const body = parse(askSchema, req.body);
      const r = await askToShare(governanceDeps(ctx), person, body);
      if (r.results.some((x) => x.outcome === 'queued')) ctx.kickOutbox();
      return r;
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { parse } from '../../server/http/validate.ts';
import { canAdminister } from '../access/policy.ts';
import { audit } from '../audit/log.ts';
import { CONFIG_CHANNEL } from '../organization/config-events.ts';
import { cutoffOf, retentionOf } from './service.ts';

const retentionBody = z.object({ months: z.number().int().min(1).max(1200).nullable() }).strict();

export function retentionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/organization/retention',
    {
      schema: {
        summary: 'The retention policy: months customer content is kept after a case ends',
        tags: ['organization'],
      },
    },
    async (req) => {
      const person = await requirePerson(ctx, req);
      if (!canAdminister(person)) throw forbidden('reading the retention policy');
      const { months } = retentionOf(ctx.directory().settings);
      const due =
        months === null
          ? 0
          : (
              await ctx.pool.query<{ n: number }>(
                `select count(*)::int as n from cases where org_id = $1 and anonymized_at is null
                 and status in ('resolved', 'closed') and coalesce(closed_at, resolved_at) < $2`,
                [person.orgId, cutoffOf(months, new Date())],
              )
            ).rows[0]!.n;
      const done = await ctx.pool.query<{ n: number }>(
        'select count(*)::int as n from cases where org_id = $1 and anonymized_at is not null',
        [person.orgId],
      );
      return { months, anonymized_cases: done.rows[0]!.n, due_cases: due };
    },
  );

  app.put(
    '/api/v1/organization/retention',
    {
      schema: {
        summary: 'Set the retention policy (leaders); null keeps everything',
        tags: ['organization'],
        body: { type: 'object', properties: { months: { type: ['integer', 'null'] } }, required: ['months'] },
      },
    },
    async (req, reply) => {
      const person = await requirePerson(ctx, req);
      if (!canAdminister(person)) throw forbidden('changing the retention policy');
      const body = parse(retentionBody, req.body);
      await transaction(ctx.pool, async (tx) => {
        await tx.query(
          `update organizations set settings = jsonb_set(settings, '{retention}', $2::jsonb) where id = $1`,
          [person.orgId, JSON.stringify({ months: body.months })],
        );
        await audit(tx, {
          orgId: person.orgId,
          action: 'retention.changed',
          actorPersonId: person.id,
          subjectType: 'organization',
          subjectId: person.orgId,
          data: { months: body.months },
        });
        await tx.query('select pg_notify($1, $2)', [CONFIG_CHANNEL, 'organization']);
      });
      await ctx.reloadDirectory();
      return reply.status(204).send();
    },
  );
}

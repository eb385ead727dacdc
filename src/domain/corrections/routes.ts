import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canAdminister, canUseInbox } from '../access/policy.ts';
import { activeModel } from './model-store.ts';
import { MIN_EXAMPLES, retrain } from './retrain.ts';
import { correctionSchema, correctTriage } from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

export function correctionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/messages/:id/triage',
    {
      schema: {
        summary: 'Correct the triage of a customer message (the model learns from it)',
        tags: ['triage'],
        body: doc(correctionSchema),
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const body = parse(correctionSchema, req.body);
      const person = await requirePerson(ctx, req);
      await correctTriage({ pool: ctx.pool, directory: ctx.directory() }, person, id, body);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/triage/model',
    { schema: { summary: 'The triage model in use and how it scored', tags: ['triage'] } },
    async (req) => {
      const person = await requirePerson(ctx, req);
      if (!canUseInbox(person)) throw forbidden('reading the triage model');
      const orgId = ctx.directory().orgId;
      const m = await activeModel(ctx.pool, orgId);
      const counts = await ctx.pool.query<{ total: number; pending: number }>(
        `select count(*)::int as total,
         count(*) filter (where id > $2)::int as pending
       from triage_corrections where org_id = $1`,
        [orgId, m?.last_correction_id ?? 0],
      );
      return {
        model: ctx.triager().model,
        trained: m
          ? { model_id: m.model_id, trained_at: m.trained_at.toISOString(), examples: m.examples, result: m.result }
          : null,
        corrections: counts.rows[0],
        min_examples: MIN_EXAMPLES,
      };
    },
  );

  app.post(
    '/api/v1/triage/retrain',
    { schema: { summary: 'Retrain the organization’s model now', tags: ['triage'] } },
    async (req) => {
      const person = await requirePerson(ctx, req);
      if (!canAdminister(person)) throw forbidden('retraining the model');
      const outcome = await retrain(ctx.pool, ctx.directory().orgId, {
        personId: person.id,
        force: true,
        log: ctx.log,
      });
      if (outcome.trained) await ctx.reloadTriager();
      return outcome.trained
        ? { trained: true, model_id: outcome.model_id, examples: outcome.examples, held_out: outcome.result.heldOut }
        : outcome;
    },
  );
}

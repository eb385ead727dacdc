import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requireToken } from '../../server/http/auth.ts';
import { forbidden, HttpError } from '../../server/http/errors.ts';
import { doc, errorDoc } from '../../server/http/openapi.ts';
import { RateLimiter } from '../../server/http/rate-limit.ts';
import { canIngest } from '../access/policy.ts';
import { ValidationError } from '../validation.ts';
import { inboundMessageSchema, parseInbound } from './model.ts';
import { insertDeadLetter } from './store.ts';

const accepted = z.object({ message_id: z.number().int(), case_id: z.number().int() });

export function ingestRoutes(app: FastifyInstance, ctx: AppContext): void {
  const limiter = new RateLimiter(ctx.config.tokenRatePerSecond);
  app.post(
    '/api/v1/messages',
    {
      schema: {
        summary: 'Ingest one customer message',
        description:
          'Stores the message and links it to a case (created or attached) in one transaction, then answers 202. ' +
          'The same (channel, external_id) again returns the same ids and creates nothing.',
        tags: ['ingest'],
        security: [{ bearerAuth: [] }],
        body: doc(inboundMessageSchema),
        response: {
          202: doc(accepted, 'output'),
          400: errorDoc,
          401: errorDoc,
          403: errorDoc,
          413: errorDoc,
          429: errorDoc,
        },
      },
    },
    async (req, reply) => {
      if (!ctx.accepting) {
        throw new HttpError(503, 'unavailable', 'Passeur is shutting down; retry shortly', { 'retry-after': '5' });
      }
      const token = await requireToken(ctx, req);
      if (!canIngest(token)) throw forbidden('message ingestion (the token lacks the ingest scope)');
      limiter.take(`token:${token.id}`);
      let message: ReturnType<typeof parseInbound>;
      try {
        message = parseInbound(req.body);
      } catch (err) {
        if (err instanceof ValidationError) {
          await insertDeadLetter(ctx.pool, {
            orgId: token.orgId,
            source: `api:token:${token.id}`,
            reason: err.message,
            payload: JSON.stringify(req.body ?? null).slice(0, ctx.config.bodyLimit),
          }).catch((e: unknown) => req.log.warn({ err: e }, 'dead letter not stored'));
        }
        throw err;
      }
      const r = await ctx.ingestQueue.submit(message);
      return reply.status(202).send({ message_id: r.message_id, case_id: r.case_id });
    },
  );
}

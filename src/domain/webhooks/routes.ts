import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canManageWebhooks } from '../access/policy.ts';
import { invalidField } from '../validation.ts';
import { WEBHOOK_EVENTS } from './events.ts';
import { createWebhook, deleteWebhook, listWebhooks, recentDeliveries, type WebhookRow } from './store.ts';
import { refuseTarget } from './target.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const createSchema = z.strictObject({
  url: z.string().max(2000),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1)
    .transform((e) => [...new Set(e)]),
});

const present = (w: WebhookRow) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  active: w.active,
  created_at: w.created_at.toISOString(),
});

export function webhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  const leader = async (req: Parameters<typeof requirePerson>[1]) => {
    const person = await requirePerson(ctx, req);
    if (!canManageWebhooks(person)) throw forbidden('managing webhooks');
    return person;
  };

  app.get(
    '/api/v1/webhooks',
    { schema: { summary: 'Outgoing webhooks (leaders)', tags: ['webhooks'] } },
    async (req) => {
      const person = await leader(req);
      return (await listWebhooks(ctx.pool, person.orgId)).map(present);
    },
  );

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        summary: 'Add an outgoing webhook; its signing secret is in this answer only',
        description: `Events: ${WEBHOOK_EVENTS.join(', ')}. Each delivery is a signed POST (see docs/api.md).`,
        tags: ['webhooks'],
        body: doc(createSchema),
      },
    },
    async (req, reply) => {
      const body = parse(createSchema, req.body);
      const person = await leader(req);
      const refused = await refuseTarget(body.url, ctx.config.allowPrivateWebhooks);
      if (refused) throw invalidField('url', refused);
      const w = await createWebhook(ctx.pool, ctx.keyring, person, body);
      return reply.status(201).send({ ...present(w), secret: w.secret });
    },
  );

  app.delete(
    '/api/v1/webhooks/:id',
    { schema: { summary: 'Remove a webhook and its pending deliveries', tags: ['webhooks'], params: doc(idParams) } },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const person = await leader(req);
      if (!(await deleteWebhook(ctx.pool, person, id))) throw notFound('webhook');
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    { schema: { summary: 'The latest 50 deliveries of a webhook', tags: ['webhooks'], params: doc(idParams) } },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await leader(req);
      if (!(await listWebhooks(ctx.pool, person.orgId)).some((w) => w.id === id)) throw notFound('webhook');
      const rows = await recentDeliveries(ctx.pool, person.orgId, id);
      return rows.map((d) => ({
        ...d,
        created_at: d.created_at.toISOString(),
        delivered_at: d.delivered_at?.toISOString() ?? null,
        next_attempt_at: d.next_attempt_at?.toISOString() ?? null,
      }));
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Metrics } from './metrics.ts';

/** Liveness, readiness and metrics, at the root (not under /api/v1), for orchestrators and monitoring. */
export function opsRoutes(app: FastifyInstance, ctx: AppContext, metrics: Metrics): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const checks: Record<string, boolean> = { accepting: ctx.accepting, realtime: ctx.realtime.connected };
    try {
      const r = await ctx.pool.query<{ orgs: number }>('select count(*)::int as orgs from organizations');
      checks.database = true;
      checks.organization = (r.rows[0]?.orgs ?? 0) > 0;
    } catch {
      checks.database = false;
    }
    const ready = Object.values(checks).every(Boolean);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    return reply.type('text/plain; version=0.0.4').send(metrics.render());
  });
}

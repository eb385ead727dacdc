import type { FastifyInstance } from 'fastify';
import { canReceiveEvent } from '../../domain/access/policy.ts';
import type { AppContext } from '../context.ts';
import { requirePerson } from '../http/auth.ts';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/v1/events`: Server-Sent Events of the inbox changes the signed-in person may see (events of the
 * communities they work in), and of their own notifications (sent to their recipients only).
 */
export function realtimeRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/events',
    { schema: { summary: 'Server-Sent Events stream of inbox changes', tags: ['realtime'] } },
    async (req, reply) => {
      const person = await requirePerson(ctx, req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const unsubscribe = ctx.realtime.subscribe((events) => {
        const visible = events.filter((e) => canReceiveEvent(person, e));
        if (visible.length === 0) return;
        let out = '';
        for (const e of visible) out += `data: ${JSON.stringify(e)}\n\n`;
        res.write(out);
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const untrack = ctx.realtime.track(res);
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
        untrack();
      };
      req.raw.on('close', close);
      res.on('error', close);
    },
  );
}

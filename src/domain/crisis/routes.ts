import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canDeclareCrisis, canViewCrisis } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { ingest } from '../ingest/service.ts';
import { crisisDemoTraffic, playCrisisDemo } from './demo.ts';
import { reportPdf } from './pdf.ts';
import { listPlaybooks } from './playbook.ts';
import { crisisReport, crisisRoom, reportCsv } from './room.ts';
import { bulkReply, bulkReplySchema, declareCrisis, declareSchema, dismissAlert, standDown } from './service.ts';
import { CRISIS_CHANNEL } from './watcher.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const demoSchema = z.strictObject({
  community: z.string().default('airsocial-it'),
  /** Plays the surge this many times faster than real time. */
  speed: z.number().min(1).max(120).default(1),
});
const HEARTBEAT_MS = 15_000;

/** One demo replay at a time per process. */
let demoRunning: AbortController | undefined;

export function crisisRoutes(app: FastifyInstance, ctx: AppContext): void {
  const viewer = async (req: Parameters<typeof requirePerson>[1]): Promise<PersonPrincipal> => {
    const p = await requirePerson(ctx, req);
    if (!canViewCrisis(p)) throw forbidden('seeing crisis mode');
    return p;
  };
  const leader = async (req: Parameters<typeof requirePerson>[1]): Promise<PersonPrincipal> => {
    const p = await requirePerson(ctx, req);
    if (!canDeclareCrisis(p)) throw forbidden('declaring or standing down a crisis');
    return p;
  };
  // One LISTEN per process fans crisis events out to this process's SSE clients.
  const subscribers = new Set<(payload: string) => void>();
  void ctx.realtime.on(CRISIS_CHANNEL, (payload) => {
    for (const s of subscribers) s(payload);
  });
  const deps = () => ({ pool: ctx.pool, directory: ctx.directory, reloadDirectory: ctx.reloadDirectory });

  app.get(
    '/api/v1/crisis/alerts',
    { schema: { summary: 'The latest alerts of the crisis detector, with their evidence', tags: ['crisis'] } },
    async (req) => {
      const p = await viewer(req);
      const r = await ctx.pool.query(
        `select a.id, a.community_id, cm.name as community, a.kind, a.score, a.detected_at, a.evidence, a.status, a.crisis_id
         from crisis_alerts a left join communities cm on cm.id = a.community_id
         where a.org_id = $1 and (a.community_id is null or a.community_id = any($2::int[]))
         order by a.id desc limit 50`,
        [p.orgId, [...p.communityIds]],
      );
      return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
    },
  );

  app.get(
    '/api/v1/crisis/alerts/:id/messages',
    { schema: { summary: 'The sample messages of an alert', tags: ['crisis'] } },
    async (req) => {
      const p = await viewer(req);
      const { id } = parse(idParams, req.params);
      const a = await ctx.pool.query<{ evidence: { sample_message_ids?: number[] } }>(
        'select evidence from crisis_alerts where id = $1 and org_id = $2',
        [id, p.orgId],
      );
      if (!a.rows[0]) throw notFound('alert');
      const r = await ctx.pool.query(
        `select m.id, m.case_id, m.author_handle, m.text, m.created_at, m.sentiment, m.lang
         from messages m join cases c on c.id = m.case_id
         where m.id = any($1::bigint[]) and m.org_id = $2 and c.community_id = any($3::int[]) order by m.id`,
        [a.rows[0].evidence.sample_message_ids ?? [], p.orgId, [...p.communityIds]],
      );
      return r.rows.map((x) => ({ ...x, id: Number(x.id), case_id: Number(x.case_id) }));
    },
  );

  app.post(
    '/api/v1/crisis/alerts/:id/dismiss',
    { schema: { summary: 'Dismiss an alert (no crisis)', tags: ['crisis'] } },
    async (req, reply) => {
      const p = await leader(req);
      const { id } = parse(idParams, req.params);
      await dismissAlert(ctx.pool, p, id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/crisis/playbooks',
    { schema: { summary: 'The crisis playbooks prepared in advance', tags: ['crisis'] } },
    async (req) => {
      const p = await viewer(req);
      return listPlaybooks(ctx.pool, p.orgId);
    },
  );

  app.get(
    '/api/v1/crisis/crises',
    { schema: { summary: 'Crises declared, newest first', tags: ['crisis'] } },
    async (req) => {
      const p = await viewer(req);
      const r = await ctx.pool.query(
        `select id, title, status, alert_id, community_ids, declared_at, stood_down_at from crises
         where org_id = $1 order by id desc limit 50`,
        [p.orgId],
      );
      return r.rows.map((x) => ({ ...x, alert_id: x.alert_id === null ? null : Number(x.alert_id) }));
    },
  );

  app.post(
    '/api/v1/crisis/crises',
    {
      schema: {
        summary: 'Declare a crisis (from an alert or by hand) and apply its playbook',
        description:
          'Puts the task force on duty, adds the holding statements and macros as canned replies, switches the ' +
          'crisis routing rules on and records every change with its previous value. One crisis at a time.',
        tags: ['crisis'],
        body: doc(declareSchema),
      },
    },
    async (req, reply) => {
      const p = await leader(req);
      const body = parse(declareSchema, req.body);
      const c = await declareCrisis(deps(), p, body);
      return reply.code(201).send(c);
    },
  );

  app.get(
    '/api/v1/crisis/crises/:id',
    {
      schema: {
        summary: 'The crisis room: volume, queue by urgency, holding statements, who is on, timeline, changes',
        tags: ['crisis'],
      },
    },
    async (req) => {
      const p = await viewer(req);
      const { id } = parse(idParams, req.params);
      return crisisRoom(ctx.pool, p, id);
    },
  );

  app.post(
    '/api/v1/crisis/crises/:id/stand-down',
    { schema: { summary: 'Stand a crisis down: every change of its playbook is reverted', tags: ['crisis'] } },
    async (req) => {
      const p = await leader(req);
      const { id } = parse(idParams, req.params);
      return standDown(deps(), p, id);
    },
  );

  app.post(
    '/api/v1/crisis/crises/:id/bulk-reply',
    {
      schema: {
        summary: 'Reply with one text (a holding statement, a macro) to many cases',
        description:
          'Each case keeps its own thread and its reply goes through the outbox on the case’s account, with the send delay.',
        tags: ['crisis'],
        body: doc(bulkReplySchema),
      },
    },
    async (req) => {
      // The crisis room's people (leaders, managers); each case is still checked (community, role) as it is queued.
      const p = await viewer(req);
      const { id } = parse(idParams, req.params);
      const body = parse(bulkReplySchema, req.body);
      const result = await bulkReply(
        { pool: ctx.pool, directory: ctx.directory(), sendDelayMs: ctx.config.sendDelayMs },
        p,
        id,
        body,
      );
      if (result.sent > 0) ctx.kickOutbox();
      return result;
    },
  );

  app.get(
    '/api/v1/crisis/crises/:id/report',
    { schema: { summary: 'The post-crisis report (JSON)', tags: ['crisis'] } },
    async (req) => {
      const p = await viewer(req);
      const { id } = parse(idParams, req.params);
      return crisisReport(ctx.pool, p.orgId, id);
    },
  );

  for (const format of ['csv', 'pdf'] as const) {
    app.get(
      `/api/v1/crisis/crises/:id/report.${format}`,
      { schema: { summary: `The post-crisis report as ${format.toUpperCase()}`, tags: ['crisis'] } },
      async (req, reply) => {
        const p = await viewer(req);
        const { id } = parse(idParams, req.params);
        const report = await crisisReport(ctx.pool, p.orgId, id);
        await transaction(ctx.pool, (tx) =>
          audit(tx, {
            orgId: p.orgId,
            action: `crisis.report_${format}`,
            actorPersonId: p.id,
            subjectType: 'crisis',
            subjectId: id,
          }),
        );
        const name = `passeur-crisis-${id}.${format}`;
        reply.header('content-disposition', `attachment; filename="${name}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(report));
        return reply.type('application/pdf').send(Buffer.from(await reportPdf(report)));
      },
    );
  }

  app.get(
    '/api/v1/crisis/events',
    { schema: { summary: 'Server-Sent Events of crisis alerts and crisis changes', tags: ['crisis', 'realtime'] } },
    async (req, reply) => {
      const p = await viewer(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      let open = true;
      const listener = (payload: string) => {
        if (!open) return;
        try {
          const e = JSON.parse(payload) as { org_id?: number };
          if (e.org_id === p.orgId) res.write(`data: ${payload}\n\n`);
        } catch {
          // Not ours.
        }
      };
      subscribers.add(listener);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const untrack = ctx.realtime.track(res);
      const close = () => {
        open = false;
        clearInterval(heartbeat);
        subscribers.delete(listener);
        untrack();
      };
      req.raw.on('close', close);
      res.on('error', close);
    },
  );

  app.post(
    '/api/v1/crisis/demo',
    {
      schema: {
        summary: 'Demo organization: replay a volcanic ash surge through the normal ingest path',
        tags: ['crisis'],
        body: doc(demoSchema),
      },
    },
    async (req, reply) => {
      const p = await leader(req);
      const body = parse(demoSchema, req.body ?? {});
      if (ctx.directory().orgSlug !== 'airsocial')
        throw new HttpError(409, 'not_demo', 'the replay is for the demo organization only');
      if (demoRunning) throw new HttpError(409, 'demo_running', 'a replay is already running');
      let traffic: ReturnType<typeof crisisDemoTraffic>;
      try {
        traffic = crisisDemoTraffic({ community: body.community });
      } catch (err) {
        throw new HttpError(400, 'invalid', (err as Error).message);
      }
      const ac = new AbortController();
      demoRunning = ac;
      await transaction(ctx.pool, (tx) =>
        audit(tx, { orgId: p.orgId, action: 'crisis.demo_started', actorPersonId: p.id, data: body }),
      );
      void playCrisisDemo((batch) => ingest(ctx.ingestDeps, batch), traffic, { speed: body.speed, signal: ac.signal })
        .catch((err: unknown) => ctx.log.warn({ err }, 'crisis demo failed'))
        .finally(() => {
          demoRunning = undefined;
        });
      return reply.code(202).send({ backfill: traffic.backfill.length, surge: traffic.surge.length });
    },
  );
}

/** Stops a running demo replay (server shutdown). */
export function stopCrisisDemo(): void {
  demoRunning?.abort();
}

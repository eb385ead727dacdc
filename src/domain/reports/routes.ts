import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { authenticate, requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canReadReports } from '../access/policy.ts';
import { audit } from '../audit/log.ts';
import { DRILL_METRICS, drillCases } from './drill.ts';
import { caseRows, casesCsv, messageRows, messagesCsv, summaryRows } from './export.ts';
import { DIMENSIONS, previousPeriod, type ReportFilter, reportQuerySchema, resolveFilter } from './filters.ts';
import { computeKpis, dailySeries, summaryKpis } from './kpis.ts';
import { renderSummaryPdf, summaryOf } from './render.ts';
import {
  canScheduleReports,
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  scheduleInputSchema,
  sendNow,
  updateSchedule,
} from './schedules.ts';
import { xlsx } from './xlsx.ts';

/**
 * Reports (docs/metrics.md): every KPI as JSON for dashboards and BI tools, the cases behind each figure, and
 * CSV exports, all with the same filters. Leaders read every community, managers and viewers theirs,
 * integration tokens with cases:read all; nobody else.
 */
const summarySchema = reportQuerySchema.extend({
  /** `previous`: also the KPIs of the period of the same length just before. */
  compare: z.enum(['previous', 'none']).default('none'),
});
const breakdownSchema = reportQuerySchema.extend({ by: z.enum(DIMENSIONS) });
const drillSchema = reportQuerySchema.extend({
  metric: z.enum(DRILL_METRICS),
  /** One local day (in `tz`) of the period, as in daily series. */
  day: z
    .string()
    .regex(/^\d{4}-\d\d-\d\d$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const idParams = z.object({ id: z.coerce.number().int().positive() });

const period = (f: ReportFilter) => ({ from: f.from.toISOString(), to: f.to.toISOString() });
const echo = (f: ReportFilter) => ({
  ...period(f),
  communities: f.communities,
  team: f.team ?? null,
  person: f.person ?? null,
  channel: f.channel ?? null,
  topic: f.topic ?? null,
  business_hours: f.businessHours,
  tz: f.tz,
});

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const kpiCtx = () => ({ db: ctx.pool, sla: ctx.sla(), allCommunities: [...ctx.directory().communities.keys()] });
  const scope = async <S extends typeof reportQuerySchema>(req: FastifyRequest, schema: S) => {
    const q = parse(schema, req.query) as z.infer<S>;
    const p = await authenticate(ctx, req);
    if (!canReadReports(p)) throw forbidden('reading reports');
    return { p, q, f: resolveFilter(p, q, ctx.directory()) };
  };

  app.get(
    '/api/v1/reports/summary',
    {
      schema: {
        summary: 'KPIs over a period (docs/metrics.md), optionally with the previous period',
        tags: ['reports'],
        querystring: doc(summarySchema),
      },
    },
    async (req) => {
      const { q, f } = await scope(req, summarySchema);
      const prev = previousPeriod(f);
      const [kpis, previous] = await Promise.all([
        summaryKpis(kpiCtx(), f),
        // The backlog is a figure of now: the previous period's would be the same.
        q.compare === 'previous' ? summaryKpis(kpiCtx(), prev, { backlog: false }) : Promise.resolve(null),
      ]);
      return {
        filters: echo(f),
        kpis,
        ...(previous ? { previous: { ...period(prev), kpis: previous } } : {}),
      };
    },
  );

  app.get(
    '/api/v1/reports/series',
    {
      schema: {
        summary: 'Daily messages, cases and net sentiment over a period',
        tags: ['reports'],
        querystring: doc(reportQuerySchema),
      },
    },
    async (req) => {
      const { f } = await scope(req, reportQuerySchema);
      return { filters: echo(f), days: await dailySeries({ db: ctx.pool, sla: ctx.sla() }, f) };
    },
  );

  app.get(
    '/api/v1/reports/breakdown',
    {
      schema: {
        summary: 'KPIs per community, brand, team, person, channel or topic',
        tags: ['reports'],
        querystring: doc(breakdownSchema),
      },
    },
    async (req) => {
      const { q, f } = await scope(req, breakdownSchema);
      const groups = await computeKpis(kpiCtx(), f, q.by);
      const label = await labeller(ctx, q.by);
      const items = [...groups]
        .map(([key, kpis]) => ({ key, label: label(key), kpis }))
        .sort((a, b) => b.kpis.messages_in - a.kpis.messages_in || String(a.key).localeCompare(String(b.key)));
      return { filters: echo(f), by: q.by, items };
    },
  );

  app.get(
    '/api/v1/reports/drill',
    {
      schema: {
        summary: 'The cases behind a KPI (newest first)',
        tags: ['reports'],
        querystring: doc(drillSchema),
      },
    },
    async (req) => {
      const { q, f } = await scope(req, drillSchema);
      const r = await drillCases(ctx.pool, f, q.metric, { day: q.day, limit: q.limit, kpis: kpiCtx() });
      return {
        filters: echo(f),
        metric: q.metric,
        day: q.day ?? null,
        total: r.total,
        case_ids: r.cases.map((c) => c.id),
        cases: r.cases,
      };
    },
  );

  const reportDeps = () => ({ db: ctx.pool, sla: ctx.sla(), directory: ctx.directory() });
  for (const kind of ['cases', 'messages'] as const) {
    for (const format of ['csv', 'xlsx'] as const) {
      app.get(
        `/api/v1/reports/export/${kind}.${format}`,
        {
          schema: {
            summary:
              format === 'csv'
                ? kind === 'cases'
                  ? 'CSV, one row per case created in the period (streamed)'
                  : 'CSV, one row per message written in the period, without its text (streamed)'
                : kind === 'cases'
                  ? 'XLSX workbook: a sheet with one row per case created in the period, and the summary KPIs (streamed)'
                  : 'XLSX workbook: a sheet with one row per message written in the period (without its text), and the summary KPIs (streamed)',
            tags: ['reports'],
            querystring: doc(reportQuerySchema),
          },
        },
        async (req, reply) => {
          const { p, f } = await scope(req, reportQuerySchema);
          await transaction(ctx.pool, (tx) =>
            audit(tx, {
              orgId: p.orgId,
              action: `report.export_${kind}`,
              actorPersonId: p.kind === 'person' ? p.id : null,
              actorTokenId: p.kind === 'token' ? p.id : null,
              data: { ...echo(f), communities: f.communities, format },
            }),
          );
          const day = f.to.toISOString().slice(0, 10);
          const filename = `passeur-${kind}-${day}.${format}`;
          if (format === 'csv') {
            const text =
              kind === 'cases' ? casesCsv(ctx.pool, ctx.directory(), f) : messagesCsv(ctx.pool, ctx.directory(), f);
            return reply
              .type('text/csv; charset=utf-8')
              .header('content-disposition', `attachment; filename="${filename}"`)
              .send(Readable.from(text));
          }
          // The summary is computed first (a few aggregate queries); the rows then stream page by page.
          const summary = await summaryOf(reportDeps(), f);
          const rows =
            kind === 'cases' ? caseRows(ctx.pool, ctx.directory(), f) : messageRows(ctx.pool, ctx.directory(), f);
          const book = xlsx([
            { name: kind === 'cases' ? 'Cases' : 'Messages', rows },
            { name: 'Summary', rows: [summaryRows(summary.kpis, summary.previous)] },
          ]);
          return reply
            .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .header('content-disposition', `attachment; filename="${filename}"`)
            .send(Readable.from(book));
        },
      );
    }
  }

  app.get(
    '/api/v1/reports/export/summary.pdf',
    {
      schema: {
        summary: 'PDF of the summary report (extensions included), with the previous period',
        tags: ['reports'],
        querystring: doc(reportQuerySchema),
      },
    },
    async (req, reply) => {
      const { f } = await scope(req, reportQuerySchema);
      const { pdf } = await renderSummaryPdf(reportDeps(), f);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="passeur-report-${f.to.toISOString().slice(0, 10)}.pdf"`)
        .send(Buffer.from(pdf));
    },
  );

  // Scheduled reports (docs/metrics.md): leaders, and managers for their communities.
  const scheduleDeps = () => ({ pool: ctx.pool, directory: ctx.directory() });
  const scheduler = async (req: FastifyRequest) => {
    const p = await requirePerson(ctx, req);
    if (!canScheduleReports(p)) throw forbidden('scheduling reports');
    return p;
  };

  app.get(
    '/api/v1/reports/schedules',
    {
      schema: {
        summary: 'The scheduled reports I may manage, with their last delivery',
        tags: ['reports'],
      },
    },
    async (req) => {
      const p = await scheduler(req);
      return { items: await listSchedules(scheduleDeps(), p) };
    },
  );

  app.post(
    '/api/v1/reports/schedules',
    {
      schema: {
        summary: 'Schedule a report: its filter, weekly or monthly, and the recipients of the email with the PDF',
        tags: ['reports'],
        body: doc(scheduleInputSchema),
      },
    },
    async (req, reply) => {
      const p = await scheduler(req);
      const body = parse(scheduleInputSchema, req.body);
      return reply.status(201).send(await createSchedule(scheduleDeps(), p, body));
    },
  );

  app.get(
    '/api/v1/reports/schedules/:id',
    {
      schema: { summary: 'A scheduled report', tags: ['reports'], params: doc(idParams) },
    },
    async (req) => {
      const p = await scheduler(req);
      const { id } = parse(idParams, req.params);
      return getSchedule(scheduleDeps(), p, id);
    },
  );

  app.put(
    '/api/v1/reports/schedules/:id',
    {
      schema: {
        summary: 'Change a scheduled report (its next due time is computed again)',
        tags: ['reports'],
        params: doc(idParams),
        body: doc(scheduleInputSchema),
      },
    },
    async (req) => {
      const p = await scheduler(req);
      const { id } = parse(idParams, req.params);
      const body = parse(scheduleInputSchema, req.body);
      return updateSchedule(scheduleDeps(), p, id, body);
    },
  );

  app.delete(
    '/api/v1/reports/schedules/:id',
    {
      schema: { summary: 'Delete a scheduled report', tags: ['reports'], params: doc(idParams) },
    },
    async (req, reply) => {
      const p = await scheduler(req);
      const { id } = parse(idParams, req.params);
      await deleteSchedule(scheduleDeps(), p, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/reports/schedules/:id/send',
    {
      schema: {
        summary: 'Send a scheduled report now (the period before now) to its recipients',
        tags: ['reports'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const p = await scheduler(req);
      const { id } = parse(idParams, req.params);
      return sendNow(
        {
          ...scheduleDeps(),
          sla: ctx.sla(),
          mail: { smtpUrl: ctx.config.smtpUrl, from: ctx.config.mailFrom, publicUrl: ctx.config.publicUrl },
        },
        p,
        id,
      );
    },
  );
}

/** Display names of breakdown keys. */
async function labeller(ctx: AppContext, by: (typeof DIMENSIONS)[number]): Promise<(key: string | null) => string> {
  const d = ctx.directory();
  if (by === 'community') return (k) => (k === null ? '' : (d.communities.get(Number(k))?.name ?? k));
  if (by === 'brand') return (k) => d.brands.find((b) => String(b.id) === k)?.name ?? k ?? '';
  if (by === 'team') return (k) => (k === null ? '' : (d.teams.get(Number(k))?.name ?? k));
  if (by === 'person') {
    const r = await ctx.pool.query<{ id: number; name: string }>('select id, name from people where org_id = $1', [
      d.orgId,
    ]);
    const names = new Map(r.rows.map((p) => [String(p.id), p.name]));
    return (k) => (k === null ? '' : (names.get(k) ?? k));
  }
  return (k) => k ?? '';
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { loadSlaContext } from '../sla/deadlines.ts';
import { drillCases } from './drill.ts';
import type { ReportFilter } from './filters.ts';
import { businessMinutes, hoursOf } from './hours.ts';
import { computeKpis, dailySeries, percentileCont, summaryKpis } from './kpis.ts';

/**
 * KPIs against figures computed by hand (docs/metrics.md) on a fixed small dataset. AirSocial-fr counts in
 * Paris business hours (Mon–Fri 09:00–18:00, Christmas a holiday); AirSocial-de has no calendar (around the
 * clock). Period: 14–28 December 2026 (UTC), "now" 30 December 12:00 UTC.
 *
 * 1 fr  created Fri 18 Dec 17:30 Paris, answered Mon 21 09:30 (due 10:00: met), resolved Mon 21 11:30 (met)
 * 2 fr  created Thu 24 Dec 17:00 Paris, answered Mon 28 09:10 (after the 25th, a holiday; due 25th: breached), open
 * 3 de  created Tue 15 10:00Z, answered 10:20 (met), resolved 12:00 (met), reopened once before
 * 4 de  created Wed 16 08:00Z, never answered, due 09:00 (breached), new
 * 5 de  created Wed 30 02:00Z (after the period), new, due 14:00 (pending)
 * 6 fr  created Thu 10 Dec 09:00 Paris (before the period), resolved Tue 15 10:00 Paris (due 14th: breached)
 * 7 fr  merged into case 1: never counted
 */
const FROM = new Date('2026-12-14T00:00:00Z');
const TO = new Date('2026-12-28T00:00:00Z');
const NOW = new Date('2026-12-30T12:00:00Z');

describeEachDatabase('reports', (db) => {
  let s: TestServer;
  let orgId: number;
  let fr: number;
  let de: number;
  const caseIds: Record<number, number> = {};
  const ctx = async () => ({
    db: db().pool,
    sla: await loadSlaContext(db().pool, orgId),
    allCommunities: [fr, de],
  });
  const filter = (over: Partial<ReportFilter> = {}): ReportFilter => ({
    orgId,
    from: FROM,
    to: TO,
    communities: null,
    businessHours: false,
    tz: 'UTC',
    now: NOW,
    ...over,
  });

  beforeAll(async () => {
    s = await startTestServer(db().url);
    const pool = db().pool;
    orgId = s.ctx.directory().orgId;
    // Only the two communities of the fixture hold cases; the others stay empty.
    const ids = await pool.query<{ id: number; slug: string }>('select id, slug from communities');
    fr = ids.rows.find((r) => r.slug === 'airsocial-fr')!.id;
    de = ids.rows.find((r) => r.slug === 'airsocial-de')!.id;
    const cal = await pool.query<{ id: number }>(
      `insert into calendars (org_id, name, timezone, hours, holidays) values ($1, 'Paris office', 'Europe/Paris', $2, $3)
       returning id`,
      [
        orgId,
        JSON.stringify({
          1: [['09:00', '18:00']],
          2: [['09:00', '18:00']],
          3: [['09:00', '18:00']],
          4: [['09:00', '18:00']],
          5: [['09:00', '18:00']],
        }),
        JSON.stringify(['12-25']),
      ],
    );
    await pool.query('update communities set calendar_id = $1 where id = $2', [cal.rows[0]!.id, fr]);
    await s.ctx.reloadDirectory();
    const contact = await pool.query<{ id: number }>(
      `insert into contacts (org_id, display_name) values ($1, 'Fixture customer') returning id`,
      [orgId],
    );
    const team = await pool.query<{ id: number }>(`select id from teams where slug = 'customer_care'`);
    const lea = await pool.query<{ id: number }>(`select id from people where email = 'lea@airsocial.example'`);
    const add = async (n: number, c: Record<string, unknown>) => {
      const r = await pool.query<{ id: number }>(
        `insert into cases (org_id, community_id, contact_id, status, channel, team_id, assignee_id, topics, created_at,
           first_responded_at, first_response_due_at, resolved_at, resolution_due_at, reopened_count, subject, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
        [
          orgId,
          c.community,
          contact.rows[0]!.id,
          c.status,
          c.channel ?? 'x',
          team.rows[0]!.id,
          c.community === fr ? lea.rows[0]!.id : null,
          c.topics ?? ['baggage'],
          c.created,
          c.responded ?? null,
          c.frDue ?? null,
          c.resolved ?? null,
          c.resDue ?? null,
          c.reopened ?? 0,
          `Fixture case ${n}`,
          // Updated with its last message or change, as ingest and replies do.
          c.updated ?? c.resolved ?? c.responded ?? c.created,
        ],
      );
      caseIds[n] = r.rows[0]!.id;
    };
    await add(1, {
      community: fr,
      status: 'resolved',
      created: '2026-12-18T16:30:00Z',
      responded: '2026-12-21T08:30:00Z',
      frDue: '2026-12-21T09:00:00Z',
      resolved: '2026-12-21T10:30:00Z',
      resDue: '2026-12-22T10:00:00Z',
    });
    await add(2, {
      community: fr,
      status: 'open',
      created: '2026-12-24T16:00:00Z',
      responded: '2026-12-28T08:10:00Z',
      frDue: '2026-12-25T10:00:00Z',
    });
    await add(3, {
      community: de,
      status: 'resolved',
      channel: 'facebook',
      topics: ['delay'],
      created: '2026-12-15T10:00:00Z',
      responded: '2026-12-15T10:20:00Z',
      frDue: '2026-12-15T11:00:00Z',
      resolved: '2026-12-15T12:00:00Z',
      resDue: '2026-12-16T12:00:00Z',
      reopened: 1,
    });
    await add(4, { community: de, status: 'new', created: '2026-12-16T08:00:00Z', frDue: '2026-12-16T09:00:00Z' });
    await add(5, { community: de, status: 'new', created: '2026-12-30T02:00:00Z', frDue: '2026-12-30T14:00:00Z' });
    await add(6, {
      community: fr,
      status: 'closed',
      created: '2026-12-10T08:00:00Z',
      responded: '2026-12-10T09:00:00Z',
      resolved: '2026-12-15T09:00:00Z',
      resDue: '2026-12-14T08:00:00Z',
    });
    await add(7, { community: fr, status: 'closed', created: '2026-12-20T08:00:00Z' });
    await pool.query('update cases set merged_into = $1 where id = $2', [caseIds[1], caseIds[7]]);
    const msg = async (n: number, direction: string, at: string, sentiment: string | null = null, kind = 'post') =>
      pool.query(
        `insert into messages (org_id, channel, case_id, direction, kind, text, created_at, sentiment)
         values ($1, 'x', $2, $3, $6, 'fixture', $4, $5)`,
        [orgId, caseIds[n], direction, at, sentiment, kind],
      );
    await msg(1, 'in', '2026-12-18T16:30:00Z', 'negative');
    await msg(1, 'out', '2026-12-21T08:30:00Z');
    await msg(2, 'in', '2026-12-24T16:00:00Z', 'negative');
    await msg(2, 'note', '2026-12-24T19:00:00Z');
    await msg(2, 'out', '2026-12-28T08:10:00Z');
    await msg(3, 'in', '2026-12-15T10:00:00Z', 'positive');
    await msg(3, 'out', '2026-12-15T10:20:00Z');
    await msg(3, 'in', '2026-12-15T11:00:00Z', 'neutral');
    await msg(4, 'in', '2026-12-16T08:00:00Z', 'negative');
    // Monday 14th 18:30 in Paris: after hours.
    await msg(6, 'out', '2026-12-14T17:30:00Z');
    // An automatic acknowledgement at night is not a reply: no outbound figure counts it.
    await msg(4, 'out', '2026-12-16T01:00:00Z', null, 'auto_ack');
    await msg(7, 'in', '2026-12-20T08:00:00Z', 'positive');
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  it('interpolates percentiles like PostgreSQL', () => {
    expect(percentileCont([20, 3840, 5290], 0.5)).toBe(3840);
    expect(percentileCont([20, 3840, 5290], 0.9)).toBe(5000);
    expect(percentileCont([7], 0.9)).toBe(7);
    expect(percentileCont([], 0.5)).toBeNull();
  });

  it('counts business time across a weekend and a holiday', async () => {
    const sla = await loadSlaContext(db().pool, orgId);
    const h = hoursOf(sla, [fr, de], new Date('2026-12-01T00:00:00Z'), new Date('2027-01-10T00:00:00Z'));
    const paris = h.get(fr) ?? null;
    expect(h.get(de)).toBeNull();
    const t = (iso: string) => new Date(iso).getTime();
    // Friday 17:30 → Monday 09:30, Paris: 30 + 30 minutes.
    expect(businessMinutes(paris, t('2026-12-18T16:30:00Z'), t('2026-12-21T08:30:00Z'))).toBe(60);
    // Thursday 24th 17:00 → Monday 28th 09:10, Christmas closed: 60 + 10.
    expect(businessMinutes(paris, t('2026-12-24T16:00:00Z'), t('2026-12-28T08:10:00Z'))).toBe(70);
    // Saturday to Sunday: nothing.
    expect(businessMinutes(paris, t('2026-12-19T10:00:00Z'), t('2026-12-20T10:00:00Z'))).toBe(0);
    // Around the clock.
    expect(businessMinutes(null, t('2026-12-19T10:00:00Z'), t('2026-12-20T10:00:00Z'))).toBe(1440);
  });

  it('computes every KPI of the period in wall-clock minutes', async () => {
    const k = await summaryKpis(await ctx(), filter());
    expect(k.cases_created).toBe(4);
    expect(k.messages_in).toBe(5);
    expect(k.messages_out).toBe(3);
    expect(k.first_response_minutes).toEqual({ count: 3, median: 3840, p90: 5000 });
    expect(k.sla_first_response).toEqual({ met: 2, breached: 2, pending: 0, compliance: 0.5 });
    expect(k.cases_resolved).toBe(3);
    expect(k.resolution_minutes).toEqual({ count: 3, median: 3960, p90: 6600 });
    expect(k.sla_resolution).toEqual({ met: 2, breached: 1, compliance: 0.6667 });
    expect(k.reopen_rate).toEqual({ reopened: 1, resolved: 3, rate: 0.3333 });
    expect(k.backlog).toEqual({
      count: 3,
      age_hours: { median: 140, p90: 300 },
      buckets: { under_1d: 1, d1_3: 0, d3_7: 1, over_7d: 1 },
    });
    expect(k.out_of_hours).toEqual({ messages_out: 3, out_of_hours: 1, share: 0.3333 });
    expect(k.net_sentiment).toEqual({ positive: 1, neutral: 1, negative: 3, net: -40 });
  });

  it('counts durations in business minutes when asked', async () => {
    const k = await summaryKpis(await ctx(), filter({ businessHours: true }));
    expect(k.first_response_minutes).toEqual({ count: 3, median: 60, p90: 68 });
    // 6: Thu 10 09:00 → Tue 15 10:00 Paris = 540 × 3 + 60.
    expect(k.resolution_minutes).toEqual({ count: 3, median: 180, p90: 1380 });
    // Counts do not depend on the toggle.
    expect(k.sla_first_response.compliance).toBe(0.5);
  });

  it('filters by community, channel, topic and person, and breaks down by community', async () => {
    const c = await ctx();
    const frOnly = await summaryKpis(c, filter({ communities: [fr] }));
    expect([frOnly.cases_created, frOnly.cases_resolved, frOnly.messages_in, frOnly.backlog.count]).toEqual([
      2, 2, 2, 1,
    ]);
    const facebook = await summaryKpis(c, filter({ channel: 'facebook' }));
    expect([facebook.cases_created, facebook.messages_in]).toEqual([1, 2]);
    const delay = await summaryKpis(c, filter({ topic: 'delay' }));
    expect(delay.cases_created).toBe(1);
    const leaCases = await summaryKpis(
      c,
      filter({
        person: (await db().pool.query(`select id from people where email = 'lea@airsocial.example'`)).rows[0].id,
      }),
    );
    expect(leaCases.cases_created).toBe(2);
    const by = await computeKpis(c, filter(), 'community');
    expect(by.get(String(fr))?.cases_created).toBe(2);
    expect(by.get(String(de))?.cases_created).toBe(2);
    expect(by.get(String(de))?.out_of_hours.out_of_hours).toBe(0);
  });

  it('gives a daily series with every day, and the cases behind a figure', async () => {
    const days = await dailySeries({ db: db().pool }, filter());
    expect(days).toHaveLength(14);
    expect(days.find((d) => d.day === '2026-12-15')).toEqual({
      day: '2026-12-15',
      messages_in: 2,
      messages_out: 1,
      cases_created: 1,
      cases_resolved: 2,
      net_sentiment: 50,
    });
    expect(days.find((d) => d.day === '2026-12-20')?.messages_in).toBe(0);
    const breached = await drillCases(db().pool, filter(), 'first_response_breached', { limit: 50 });
    expect(breached.cases.map((x) => x.id).sort()).toEqual([caseIds[2], caseIds[4]].sort());
    const created15 = await drillCases(db().pool, filter(), 'cases_created', { day: '2026-12-15', limit: 50 });
    expect(created15.cases.map((x) => x.id)).toEqual([caseIds[3]]);
    const backlog = await drillCases(db().pool, filter(), 'backlog', { limit: 50 });
    expect(backlog.total).toBe(3);
  });

  describe('over HTTP', () => {
    const q = `from=2026-12-14&to=2026-12-28`;
    it('lets leaders read all, managers and viewers their communities, experts nothing', async () => {
      const leader = await s.request('GET', `/api/v1/reports/summary?${q}&compare=previous`, {
        cookie: await s.login('marie@airsocial.example'),
      });
      expect(leader.status).toBe(200);
      expect(leader.body.kpis.cases_created).toBe(4);
      expect(leader.body.previous.from).toBe('2026-11-30T00:00:00.000Z');
      expect(leader.body.previous.kpis.cases_created).toBe(1);
      const lea = await s.login('lea@airsocial.example');
      const manager = await s.request('GET', `/api/v1/reports/summary?${q}`, { cookie: lea });
      expect(manager.body.kpis.cases_created).toBe(2);
      expect((await s.request('GET', `/api/v1/reports/summary?${q}&community=${de}`, { cookie: lea })).status).toBe(
        403,
      );
      const viewer = await s.request('GET', `/api/v1/reports/breakdown?${q}&by=community`, {
        cookie: await s.login('paul@airsocial.example'),
      });
      expect(viewer.status).toBe(200);
      const names = [fr, de].map((id) => s.ctx.directory().communities.get(id)?.name);
      expect(viewer.body.items.map((i: { label: string }) => i.label).sort()).toEqual(names.sort());
      const expert = await s.request('GET', `/api/v1/reports/summary?${q}`, {
        cookie: await s.login('marc@airsocial.example'),
      });
      expect(expert.status).toBe(403);
      const token = await s.request('GET', `/api/v1/reports/series?${q}&business_hours=true`, { token: s.token });
      expect(token.status).toBe(200);
      expect(token.body.days).toHaveLength(14);
      const bad = await s.request('GET', `/api/v1/reports/summary?from=2026-12-28&to=2026-12-14`, { token: s.token });
      expect(bad.status).toBe(400);
      const openapi = await s.request('GET', '/api/v1/openapi.json');
      for (const path of ['summary', 'series', 'breakdown', 'drill', 'export/cases.csv', 'export/summary.pdf']) {
        expect(Object.keys(openapi.body.paths)).toContain(`/api/v1/reports/${path}`);
      }
    });

    it('exports one CSV row per case and per message, audited', async () => {
      const cases = await s.request('GET', `/api/v1/reports/export/cases.csv?${q}`, {
        cookie: await s.login('marie@airsocial.example'),
      });
      expect(cases.status).toBe(200);
      expect(cases.headers.get('content-type')).toContain('text/csv');
      const lines = String(cases.body).trim().split('\n');
      expect(lines[0]).toMatch(/^case_id,created_at,brand,community,/);
      expect(lines).toHaveLength(5);
      const row1 = lines.find((l) => l.startsWith(`${caseIds[1]},`))!;
      expect(row1).toContain(',3840,');
      expect(row1).toContain(',met,');
      const messages = await s.request('GET', `/api/v1/reports/export/messages.csv?${q}&community=${fr}`, {
        token: s.token,
      });
      expect(String(messages.body).trim().split('\n')).toHaveLength(1 + 4);
      const pdf = await fetch(`${s.base}/api/v1/reports/export/summary.pdf?${q}`, {
        headers: { authorization: `Bearer ${s.token}` },
      });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(bytes.length).toBeGreaterThan(1000);
      const audited = await db().pool.query(`select action from audit_events where action like 'report.export_%'`);
      expect(audited.rows.map((r) => r.action).sort()).toEqual(['report.export_cases', 'report.export_messages']);
    });
  });
});

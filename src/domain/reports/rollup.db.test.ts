import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { loadSlaContext } from '../sla/deadlines.ts';
import { drillCases } from './drill.ts';
import type { Dimension, ReportFilter } from './filters.ts';
import { computeKpis, dailySeries } from './kpis.ts';
import { ensureRollups, planRollup, wholeHourZone } from './rollup.ts';

/**
 * The rollups must give exactly what the raw tables give: a random dataset over the last ten days (cases in
 * every state, several topics, merged cases, messages of every kind, one community on Paris business hours),
 * then every filter and breakdown computed both ways; then changes that touch old hours (reassignment,
 * reopening, merging, deleted and re-triaged messages, a calendar change) and the comparison again.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describeEachDatabase('report rollups', (db) => {
  let s: TestServer;
  let orgId: number;
  let communities: number[];
  let teams: number[];
  let people: number[];
  let calendarId: number;
  const now = new Date();
  const ctx = async (rollups: boolean) => ({
    db: db().pool,
    sla: await loadSlaContext(db().pool, orgId),
    allCommunities: communities,
    rollups,
  });
  const filter = (over: Partial<ReportFilter> = {}): ReportFilter => ({
    orgId,
    // Not on hour boundaries: the edges are read raw, the hours between from the rollups.
    from: new Date(now.getTime() - 7 * DAY - 17 * 60_000),
    to: new Date(now.getTime() - 2 * HOUR - 23 * 60_000),
    communities: null,
    businessHours: false,
    tz: 'Europe/Paris',
    now,
    ...over,
  });

  beforeAll(async () => {
    s = await startTestServer(db().url);
    const pool = db().pool;
    orgId = s.ctx.directory().orgId;
    communities = (await pool.query<{ id: number }>('select id from communities order by id')).rows.map((r) => r.id);
    teams = (await pool.query<{ id: number }>('select id from teams order by id')).rows.map((r) => r.id);
    people = (await pool.query<{ id: number }>(`select id from people order by id limit 4`)).rows.map((r) => r.id);
    const cal = await pool.query<{ id: number }>(
      `insert into calendars (org_id, name, timezone, hours, holidays) values ($1, 'Paris office', 'Europe/Paris', $2, '[]')
       returning id`,
      [orgId, JSON.stringify(Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [['09:00', '18:00']]])))],
    );
    calendarId = cal.rows[0]!.id;
    await pool.query('update communities set calendar_id = $1 where id = $2', [calendarId, communities[0]]);
    const contact = await pool.query<{ id: number }>(
      `insert into contacts (org_id, display_name) values ($1, 'Rollup customer') returning id`,
      [orgId],
    );
    const rnd = random(42);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
    const topicSets = [[], ['delay'], ['baggage'], ['delay', 'refund'], ['refund', 'baggage', 'delay']];
    const statuses = ['new', 'open', 'waiting_customer', 'waiting_internal', 'resolved', 'closed'];
    const cases: unknown[][] = [];
    for (let i = 0; i < 260; i++) {
      // Created over the last ten days, a few in the hour in progress and one ahead of the clock.
      const created = now.getTime() - (i < 6 ? rnd() * 10 * 60_000 : rnd() * 10 * DAY) + (i === 6 ? HOUR : 0);
      const status = pick(statuses);
      const responded = rnd() < 0.7 ? created + rnd() * 20 * HOUR : null;
      const resolved = status === 'resolved' || status === 'closed' ? created + rnd() * 3 * DAY : null;
      cases.push([
        orgId,
        pick(communities),
        contact.rows[0]!.id,
        status,
        pick(['x', 'facebook', 'email']),
        rnd() < 0.1 ? null : pick(teams),
        rnd() < 0.2 ? null : pick(people),
        pick(topicSets),
        new Date(created),
        responded === null ? null : new Date(responded),
        rnd() < 0.8 ? new Date(created + rnd() * 10 * HOUR) : null,
        resolved === null ? null : new Date(resolved),
        rnd() < 0.8 ? new Date(created + rnd() * 2 * DAY) : null,
        rnd() < 0.15 ? 1 : 0,
      ]);
    }
    const ids: number[] = [];
    for (const c of cases) {
      const r = await pool.query<{ id: number }>(
        `insert into cases (org_id, community_id, contact_id, status, channel, team_id, assignee_id, topics, created_at,
           first_responded_at, first_response_due_at, resolved_at, resolution_due_at, reopened_count, subject, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'Rollup case', now()) returning id`,
        c,
      );
      ids.push(r.rows[0]!.id);
    }
    for (let i = 0; i < 900; i++) {
      const caseIndex = Math.floor(rnd() * ids.length);
      const created = (cases[caseIndex]![8] as Date).getTime() + rnd() * 2 * DAY;
      await pool.query(
        `insert into messages (org_id, channel, case_id, direction, kind, text, created_at, sentiment)
         values ($1, 'x', $2, $3, $4, 'rollup', $5, $6)`,
        [
          orgId,
          ids[caseIndex],
          pick(['in', 'in', 'out', 'note']),
          rnd() < 0.1 ? 'auto_ack' : 'post',
          new Date(Math.min(created, now.getTime() + HOUR)),
          pick(['positive', 'neutral', 'negative', null]),
        ],
      );
    }
    // Two merged cases: their figures move to nothing (merged cases never count).
    await pool.query('update cases set merged_into = $1 where id in ($2, $3)', [ids[10], ids[11], ids[12]]);
  }, 180_000);

  afterAll(async () => {
    await s?.close();
  });

  const filters = (): [string, Partial<ReportFilter>][] => [
    ['all', {}],
    ['business hours', { businessHours: true }],
    ['two communities', { communities: communities.slice(0, 2) }],
    ['a team', { team: teams[0] }],
    ['a person', { person: people[1] }],
    ['a channel', { channel: 'facebook' }],
    ['a topic', { topic: 'delay' }],
    ['a topic in business hours', { topic: 'delay', businessHours: true }],
    ['team and person (raw only)', { team: teams[0], person: people[1] }],
    ['whole hours', { from: new Date(Math.floor(now.getTime() / HOUR) * HOUR - 5 * DAY), to: now }],
  ];
  const dimensions: (Dimension | undefined)[] = [undefined, 'community', 'brand', 'team', 'person', 'channel', 'topic'];

  const compareAll = async () => {
    const [rolled, raw] = [await ctx(true), await ctx(false)];
    let compared = 0;
    for (const [name, over] of filters()) {
      for (const by of dimensions) {
        const f = filter(over);
        const a = Object.fromEntries(await computeKpis(rolled, f, by));
        const b = Object.fromEntries(await computeKpis(raw, f, by));
        expect({ name, by, kpis: a }).toEqual({ name, by, kpis: b });
        compared++;
      }
      for (const tz of ['Europe/Paris', 'UTC', 'Asia/Kolkata']) {
        const f = filter({ ...over, tz });
        expect({ name, tz, days: await dailySeries(rolled, f) }).toEqual({ name, tz, days: await dailySeries(raw, f) });
      }
    }
    return compared;
  };

  it('builds the hours and answers every filter and breakdown exactly as the raw tables', async () => {
    const built = await ensureRollups(db().pool, orgId);
    expect(built?.getTime()).toBe(Math.floor(Date.now() / HOUR) * HOUR);
    const rows = await db().pool.query<{ grp: number; n: string }>(
      'select grp, count(*) as n from report_hours where org_id = $1 group by grp order by grp',
      [orgId],
    );
    expect(rows.rows.map((r) => r.grp)).toEqual([0, 1, 2, 3]);
    // The hour in progress is never rolled up.
    const current = await db().pool.query(
      `select 1 from report_hours where org_id = $1 and hour >= date_trunc('hour', now(), 'UTC')`,
      [orgId],
    );
    expect(current.rowCount).toBe(0);
    // The comparisons below do read the rollups.
    expect(planRollup(filter(), undefined, built)).not.toBeNull();
    expect(planRollup(filter({ team: teams[0], person: people[1] }), undefined, built)).toBeNull();
    const k = (await computeKpis(await ctx(true), filter())).get('')!;
    expect(k.cases_created).toBeGreaterThan(100);
    expect(k.messages_in).toBeGreaterThan(200);
    expect(k.first_response_minutes.count).toBeGreaterThan(50);
    expect(await compareAll()).toBe(filters().length * dimensions.length);
  });

  it('follows changes to old cases, messages and calendars', async () => {
    const pool = db().pool;
    await ensureRollups(pool, orgId);
    const old = `created_at < now() - interval '2 days' and merged_into is null`;
    // Reassigned to another team, person and community; topics corrected.
    await pool.query(
      `update cases set team_id = $1, assignee_id = $2, community_id = $3, topics = '{refund}'
       where id in (select id from cases where ${old} order by id limit 15)`,
      [teams[1], people[2], communities[1]],
    );
    // Reopened (no longer resolved), and resolved again today.
    await pool.query(
      `update cases set status = 'open', resolved_at = null, reopened_count = reopened_count + 1
       where id in (select id from cases where ${old} and resolved_at is not null order by id limit 10)`,
    );
    await pool.query(
      `update cases set status = 'resolved', resolved_at = now() - interval '3 hours'
       where id in (select id from cases where ${old} and resolved_at is null order by id desc limit 10)`,
    );
    // First answered late.
    await pool.query(
      `update cases set first_responded_at = created_at + interval '30 hours'
       where id in (select id from cases where ${old} and first_responded_at is null order by id limit 10)`,
    );
    // Merged, messages deleted, messages re-triaged.
    await pool.query(
      `update cases set merged_into = (select min(id) from cases) where id in
         (select id from cases where ${old} order by id desc limit 5 offset 20)`,
    );
    await pool.query(
      `delete from messages where id in (select id from messages where created_at < now() - interval '3 days' limit 30)`,
    );
    await pool.query(
      `update messages set sentiment = 'positive' where id in
         (select id from messages where sentiment = 'negative' and created_at < now() - interval '1 day' limit 40)`,
    );
    // Another community on the Paris calendar, and the calendar's hours changed.
    await pool.query('update communities set calendar_id = $1 where id = $2', [calendarId, communities[2]]);
    await pool.query('update calendars set hours = $1 where id = $2', [
      JSON.stringify(Object.fromEntries([1, 2, 3, 4].map((d) => [d, [['08:00', '12:00']]]))),
      calendarId,
    ]);
    await s.ctx.reloadDirectory();
    const dirty = await pool.query<{ n: string }>(
      'select count(distinct hour) as n from report_dirty where org_id = $1',
      [orgId],
    );
    expect(Number(dirty.rows[0]!.n)).toBeGreaterThan(100);
    expect(await compareAll()).toBe(filters().length * dimensions.length);
  });

  it('counts the cases behind a figure from the rollups, the same as from every case', async () => {
    const rolled = await ctx(true);
    for (const metric of [
      'cases_created',
      'first_response_breached',
      'cases_resolved',
      'reopened',
      'backlog',
    ] as const) {
      for (const [, over] of filters()) {
        const f = filter(over);
        const fast = await drillCases(db().pool, f, metric, { limit: 5, kpis: rolled });
        const slow = await drillCases(db().pool, f, metric, { limit: 5 });
        expect({ metric, total: fast.total, ids: fast.cases.map((c) => c.id) }).toEqual({
          metric,
          total: slow.total,
          ids: slow.cases.map((c) => c.id),
        });
      }
    }
  });

  it('cuts days on hour buckets only in zones a whole number of hours from UTC', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    const to = new Date('2026-11-01T00:00:00Z');
    expect(wholeHourZone('Europe/Paris', from, to)).toBe(true);
    expect(wholeHourZone('UTC', from, to)).toBe(true);
    expect(wholeHourZone('America/New_York', from, to)).toBe(true);
    expect(wholeHourZone('Asia/Kolkata', from, to)).toBe(false);
    // Lord Howe moves by half an hour in summer only.
    expect(
      wholeHourZone('Australia/Lord_Howe', new Date('2026-05-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z')),
    ).toBe(false);
  });
});

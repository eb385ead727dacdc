import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../demo/organization.ts';
import { EVENTS_CHANNEL, type RealtimeEvent } from '../../server/realtime/events.ts';
import { verifyChain } from '../audit/log.ts';
import { parseInbound } from '../ingest/model.ts';
import { type IngestDeps, ingest } from '../ingest/service.ts';
import { ingestDepsFor } from '../ingest/setup.ts';
import { seedOrganization } from '../organization/seed.ts';
import { loadSlaContext } from './deadlines.ts';
import { sweepSla } from './sweeper.ts';

describeEachDatabase('SLA sweeper', (db) => {
  let orgId: number;
  let deps: IngestDeps;
  let other: pg.Pool;
  let listener: pg.Client;
  const events: RealtimeEvent[] = [];
  const ids: Record<string, number> = {};
  let n = 0;

  beforeAll(async () => {
    const pool = db().pool;
    ({ orgId } = await seedOrganization(pool, AIRSOCIAL, DEMO_PASSWORD));
    deps = await ingestDepsFor(pool, orgId);
    // A second process on the same database: its own connections.
    other = new pg.Pool({ connectionString: db().url, max: 5 });
    listener = new pg.Client({ connectionString: db().url });
    await listener.connect();
    listener.on('notification', (m) => events.push(...(JSON.parse(m.payload ?? '[]') as RealtimeEvent[])));
    await listener.query(`listen ${EVENTS_CHANNEL}`);
    const people = await pool.query<{ id: number; email: string }>('select id, email from people');
    for (const p of people.rows) ids[p.email.split('@')[0]!] = p.id;
    const team = await pool.query<{ id: number }>(`select id from teams where slug = 'customer_care'`);
    ids.customer_care = team.rows[0]!.id;
    // Premium for AirSocial-fr: warn 15 min before; on breach raise the priority and tell the team lead,
    // and 30 minutes later put the case back in the team's queue.
    const policy = await pool.query<{ id: number }>(
      `insert into sla_policies (org_id, name, targets, warn_before_minutes, escalation)
       values ($1, 'Premium', $2, 15, $3) returning id`,
      [
        orgId,
        { first_response: { urgent: 10, high: 30, normal: 60, low: 240 }, resolution: { normal: 600 } },
        JSON.stringify([
          { after_minutes: 0, raise_priority: true, notify: 'team_lead' },
          { after_minutes: 30, reassign: 'team_queue' },
        ]),
      ],
    );
    await pool.query(`update communities set sla_policy_id = $1 where slug = 'airsocial-fr'`, [policy.rows[0]!.id]);
  });
  afterAll(async () => {
    await listener?.end();
    await other?.end();
  });

  /** A new case in AirSocial-fr, assigned to Léa, in Customer care, with its first response due at `due`. */
  async function newCase(due: string): Promise<number> {
    const [r] = await ingest(deps, [
      parseInbound({
        channel: 'sandbox',
        external_id: `sla-${++n}`,
        account: '@AirSocial',
        author: { handle: `@client${n}` },
        text: 'Bonjour, ma valise n’est pas arrivée à Genève.',
      }),
    ]);
    await db().pool.query(
      `update cases set priority = 'normal', team_id = $2, assignee_id = $3, first_response_due_at = ${due},
         sla_policy_id = (select sla_policy_id from communities where id = cases.community_id)
       where id = $1`,
      [r!.case_id, ids.customer_care, ids.lea],
    );
    return r!.case_id;
  }

  const both = (now?: Date) => Promise.all([sweepSla(db().pool, { now }), sweepSla(other, { now })]);
  const count = async (sql: string, params: unknown[]) =>
    (await db().pool.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params)).rows[0]!.n;
  const settle = () => new Promise((r) => setTimeout(r, 200));

  it('warns once, then breaches once and escalates, with two sweepers racing', async () => {
    const caseId = await newCase(`now() + interval '10 minutes'`);
    const [a, b] = await both();
    expect(a.warnings + b.warnings).toBe(1);
    expect(a.breaches + b.breaches).toBe(0);
    await both();
    expect(await count('select 1 from sla_events where case_id = $1', [caseId])).toBe(1);
    expect(await count(`select 1 from case_events where case_id = $1 and kind = 'sla_warning'`, [caseId])).toBe(1);
    const warned = await db().pool.query(`select person_id, kind, data from notifications where case_id = $1`, [
      caseId,
    ]);
    expect(warned.rows).toEqual([
      { person_id: ids.lea, kind: 'sla_warning', data: { clock: 'first_response', due_at: expect.any(String) } },
    ]);

    // Time passes: the deadline is a minute behind us.
    await db().pool.query(`update cases set first_response_due_at = now() - interval '1 minute' where id = $1`, [
      caseId,
    ]);
    const [c, d] = await both();
    expect(c.breaches + d.breaches).toBe(1);
    expect(c.escalations + d.escalations).toBe(1);
    await both();
    const sla = await db().pool.query(`select clock, kind from sla_events where case_id = $1 order by id`, [caseId]);
    expect(sla.rows).toEqual([
      { clock: 'first_response', kind: 'warning' },
      { clock: 'first_response', kind: 'breach' },
    ]);
    const row = await db().pool.query(`select priority, escalation_level, assignee_id from cases where id = $1`, [
      caseId,
    ]);
    expect(row.rows[0]).toEqual({ priority: 'high', escalation_level: 1, assignee_id: ids.lea });
    const told = await db().pool.query(
      `select person_id, kind, data->>'escalation' as escalation from notifications
       where case_id = $1 and kind = 'sla_breach' order by person_id`,
      [caseId],
    );
    // Léa (assignee) about the breach; Marie, lead of Customer care, through the escalation step.
    const expected = [
      { person_id: ids.lea!, kind: 'sla_breach', escalation: null },
      { person_id: ids.marie!, kind: 'sla_breach', escalation: '1' },
    ];
    expect(told.rows).toEqual(expected.sort((x, y) => x.person_id - y.person_id));
    const timeline = await db().pool.query(
      `select kind, data from case_events where case_id = $1 and kind in ('sla_breach', 'escalated') order by id`,
      [caseId],
    );
    expect(timeline.rows.map((e) => e.kind)).toEqual(['sla_breach', 'escalated']);
    expect(timeline.rows[1].data).toMatchObject({ level: 1, changes: { priority: { from: 'normal', to: 'high' } } });

    // 31 minutes after the breach the second step puts the case back in the team's queue, once.
    const later = new Date(Date.now() + 31 * 60_000);
    const [e, f] = await both(later);
    expect(e.escalations + f.escalations).toBe(1);
    await both(later);
    const after = await db().pool.query(`select escalation_level, assignee_id, assigned_at from cases where id = $1`, [
      caseId,
    ]);
    expect(after.rows[0]).toEqual({ escalation_level: 2, assignee_id: null, assigned_at: null });
    expect(await count(`select 1 from case_events where case_id = $1 and kind = 'escalated'`, [caseId])).toBe(2);
    expect(await verifyChain(db().pool, orgId)).toBeNull();

    await settle();
    const mine = events.filter((ev) => ev.case_id === caseId);
    expect(mine.filter((ev) => ev.type === 'sla.warning')).toHaveLength(1);
    expect(mine.filter((ev) => ev.type === 'sla.breach')).toEqual([
      expect.objectContaining({ clock: 'first_response', community_id: expect.any(Number) }),
    ]);
    const notified = mine.filter((ev) => ev.type === 'notification.created').flatMap((ev) => ev.people);
    expect(notified.sort()).toEqual([ids.lea, ids.lea, ids.marie].sort());
  });

  it('fires each breach exactly once across many cases and two sweepers', async () => {
    const cases = await Promise.all(Array.from({ length: 25 }, () => newCase(`now() - interval '2 minutes'`)));
    const results = await Promise.all([...(await both()), ...(await both())]);
    expect(results.reduce((s, r) => s + r.breaches, 0)).toBe(25);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(await count(`select 1 from sla_events where case_id = any($1) and kind = 'breach'`, [cases])).toBe(25);
    expect(
      await count(
        `select 1 from notifications where case_id = any($1) group by case_id, person_id, kind having count(*) > 1`,
        [cases],
      ),
    ).toBe(0);
    expect(await count(`select 1 from cases where id = any($1) and escalation_level = 1`, [cases])).toBe(25);
  });

  it('leaves answered, paused and resolved clocks alone', async () => {
    const answered = await newCase(`now() - interval '5 minutes'`);
    await db().pool.query('update cases set first_responded_at = now() where id = $1', [answered]);
    const paused = await newCase('null');
    await db().pool.query(
      `update cases set status = 'waiting_customer', resolution_due_at = now() - interval '1 minute',
         sla_paused_at = now() - interval '1 hour' where id = $1`,
      [paused],
    );
    const resolved = await newCase(`now() - interval '5 minutes'`);
    await db().pool.query(`update cases set status = 'resolved' where id = $1`, [resolved]);
    await both();
    expect(await count('select 1 from sla_events where case_id = any($1)', [[answered, paused, resolved]])).toBe(0);
  });

  it('breaches the resolution clock, and a new deadline is a new timer', async () => {
    const caseId = await newCase('null');
    await db().pool.query(
      `update cases set first_responded_at = now(), resolution_due_at = now() - interval '1 minute' where id = $1`,
      [caseId],
    );
    await both();
    await db().pool.query(`update cases set resolution_due_at = now() - interval '30 seconds' where id = $1`, [caseId]);
    await both();
    const rows = await db().pool.query(`select clock, kind from sla_events where case_id = $1`, [caseId]);
    expect(rows.rows).toEqual([
      { clock: 'resolution', kind: 'breach' },
      { clock: 'resolution', kind: 'breach' },
    ]);
  });

  it('loads the organization’s policies and calendars, and reports invalid ones', async () => {
    await db().pool.query(
      `insert into calendars (org_id, name, timezone, hours, holidays) values
         ($1, 'Zurich office', 'Europe/Zurich', $2, '["2026-12-25"]'), ($1, 'Broken', 'Nowhere/Land', '{}', '[]')`,
      [orgId, { '1': [['08:00', '18:00']] }],
    );
    await db().pool.query(
      `insert into sla_policies (org_id, name, targets) values ($1, 'Broken', '{"first_response": {"normal": -1}}')`,
      [orgId],
    );
    const ctx = await loadSlaContext(db().pool, orgId);
    expect([...ctx.policies.values()].map((p) => p.name)).toEqual(['Premium']);
    expect([...ctx.calendars.values()]).toEqual([
      { timezone: 'Europe/Zurich', hours: { '1': [['08:00', '18:00']] }, holidays: ['2026-12-25'] },
    ]);
    expect(ctx.problems).toHaveLength(2);
    expect(ctx.communities.size).toBe(AIRSOCIAL.brands.reduce((s, b) => s + b.communities.length, 0));
  });
});

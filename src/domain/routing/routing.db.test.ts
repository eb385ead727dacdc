import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { sweepAssignments } from './assignment-sweeper.ts';

describeEachDatabase('routing and assignment', (db) => {
  let s: TestServer;
  let marie: string;
  const post = (external_id: string, text: string, extra: Record<string, unknown> = {}) =>
    s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id,
        account: '@AirSocial',
        author: { handle: `@${external_id}` },
        text,
        ...extra,
      },
    });
  const caseOf = async (id: number) => (await s.request('GET', `/api/v1/cases/${id}`, { cookie: marie })).body;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    marie = await s.login('marie@airsocial.example');
    // Léa is on duty; nobody else of the French desk is.
    await db().pool.query(`update people set on_duty = (email = 'lea@airsocial.example')`);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('routes a French delay question to Customer care, assigned to Léa, and explains why (J1)', async () => {
    const r = await post(
      'j1',
      '@AirSocial mon vol AS1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?',
    );
    const c = await caseOf(r.body.case_id);
    expect(c.community.slug).toBe('airsocial-fr');
    expect(c.team.slug).toBe('customer_care');
    expect(c.assignee?.name).toBe('Léa Martin');
    expect(c.routing.rule).toBe('Delays → Customer care');
    expect(c.routing.reasons).toContain('topic delay');
    expect(c.routing.assignment).toMatch(/^assigned to Léa Martin: on duty, speaks fr, lowest load/);
    expect(c.routing.reassign_after_minutes).toBe(60);
    expect(c.first_response_due_at).not.toBeNull();
    expect(c.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'assigned']);
  });

  it('leaves a case in the team queue, saying why, when nobody who fits is on duty', async () => {
    await db().pool.query(`update people set on_duty = false where email = 'lea@airsocial.example'`);
    try {
      const r = await post('nobody', 'Mon vol pour Nice est annulé, que faire ?');
      const c = await caseOf(r.body.case_id);
      expect(c.assignee).toBeNull();
      expect(c.routing.assignment).toBe('left in the team queue: nobody of this community is on duty');
    } finally {
      await db().pool.query(`update people set on_duty = true where email = 'lea@airsocial.example'`);
    }
  });

  it('sends ideas to Innovation without assigning anyone', async () => {
    const r = await post(
      'idea',
      'Suggestion : ce serait génial d’afficher la porte d’embarquement sur l’écran verrouillé de l’app !',
    );
    const c = await caseOf(r.body.case_id);
    expect(c.team.slug).toBe('innovation');
    expect(c.assignee).toBeNull();
    expect(c.tags).toContain('idea');
  });

  it('lets only leaders read and change the policy, keeps versions, and applies a new version at once', async () => {
    const lea = await s.login('lea@airsocial.example');
    expect((await s.request('GET', '/api/v1/routing/policy', { cookie: lea })).status).toBe(403);
    const current = await s.request('GET', '/api/v1/routing/policy', { cookie: marie });
    expect(current.body.version).toBe(1);
    const rules = [
      {
        id: 'baggage',
        name: 'Baggage → Quality',
        when: { keywords: ['bagage'] },
        actions: { team: 'quality', assign: 'none', tags: ['baggage'] },
      },
      ...current.body.rules,
    ];
    const invalid = await s.request('PUT', '/api/v1/routing/policy', {
      cookie: marie,
      body: { rules: [{ ...rules[0], actions: { team: 'nope' } }, ...current.body.rules] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain('unknown team "nope"');
    const badRegex = await s.request('PUT', '/api/v1/routing/policy', {
      cookie: marie,
      body: { rules: [{ ...rules[0], when: { regex: '(a+)+' } }] },
    });
    expect(badRegex.status).toBe(400);
    expect(badRegex.body.field).toMatch(/^rules\.0\.when\.regex/);

    const saved = await s.request('PUT', '/api/v1/routing/policy', {
      cookie: marie,
      body: { rules, note: 'baggage to quality' },
    });
    expect(saved.body).toEqual({ version: 2 });
    const versions = await s.request('GET', '/api/v1/routing/policy/versions', { cookie: marie });
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[0]).toMatchObject({ note: 'baggage to quality', author: 'Marie Lefèvre' });

    const r = await post('bag', 'Mon bagage est perdu depuis hier à Genève');
    const c = await caseOf(r.body.case_id);
    expect(c.team.slug).toBe('quality');
    expect(c.routing).toMatchObject({
      policy_version: 2,
      rule: 'Baggage → Quality',
      reasons: expect.arrayContaining(['keyword "bagage"']),
    });
    const audit = await db().pool.query(
      `select count(*)::int as n from audit_events where action = 'routing.policy_saved'`,
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('previews rules on the latest messages before saving them', async () => {
    const preview = await s.request('POST', '/api/v1/routing/preview', {
      cookie: marie,
      body: {
        rules: [
          { id: 'ideas', name: 'Ideas', when: { intents: ['suggestion'] }, actions: { team: 'innovation' } },
          { id: 'rest', name: 'Rest', actions: { team: 'marketing' } },
        ],
      },
    });
    expect(preview.status).toBe(200);
    const total = await db().pool.query(`select count(*)::int as n from messages where direction = 'in'`);
    expect(preview.body.messages).toBe(total.rows[0].n);
    const byId = Object.fromEntries(preview.body.rules.map((r: { id: string; count: number }) => [r.id, r.count]));
    expect(byId.ideas + byId.rest).toBe(total.rows[0].n);
    expect(byId.ideas).toBeGreaterThanOrEqual(1);
    expect(preview.body.team_changes).toBeGreaterThan(0);
    expect(preview.body.rules[0].samples[0].excerpt).toContain('Suggestion');
  });

  it('reassigns a case its assignee has not answered in time, and releases cases of someone off duty', async () => {
    const orgId = s.ctx.directory().orgId;
    await db().pool.query(
      `update people set on_duty = (email in ('lea@airsocial.example', 'sophie@airsocial.example'))`,
    );
    const r = await post('late', 'Mon vol de demain est-il retardé ? Je pars à 7h de Genève');
    let c = await caseOf(r.body.case_id);
    const first = c.assignee.name;
    expect(['Léa Martin', 'Sophie Laurent']).toContain(first);
    // Nothing happens before the rule's 60 minutes.
    expect(await sweepAssignments(db().pool, orgId, 'stay')).toEqual({ reassigned: 0, released: 0 });
    await db().pool.query(`update cases set assigned_at = now() - interval '61 minutes' where id = $1`, [
      r.body.case_id,
    ]);
    expect((await sweepAssignments(db().pool, orgId, 'stay')).reassigned).toBeGreaterThanOrEqual(1);
    c = await caseOf(r.body.case_id);
    expect(c.assignee.name).not.toBe(first);
    const ev = c.events.find((e: { kind: string }) => e.kind === 'reassigned');
    expect(ev.data.reason).toBe('no answer within 60 minutes');

    // Its new assignee's shift ends: with the team-queue policy the case goes back to the queue.
    await db().pool.query(`update people set on_duty = false where id = $1`, [c.assignee.id]);
    expect((await sweepAssignments(db().pool, orgId, 'stay')).released).toBe(0);
    expect((await sweepAssignments(db().pool, orgId, 'team_queue')).released).toBeGreaterThanOrEqual(1);
    expect((await caseOf(r.body.case_id)).assignee).toBeNull();
  });

  it('lets people go on and off duty themselves, and leaders change schedules and release cases', async () => {
    const lea = await s.login('lea@airsocial.example');
    const me = (await s.request('GET', '/api/v1/me', { cookie: lea })).body;
    expect((await s.request('PATCH', `/api/v1/people/${me.id}`, { cookie: lea, body: { on_duty: true } })).status).toBe(
      200,
    );
    expect((await s.request('PATCH', `/api/v1/people/${me.id}`, { cookie: lea, body: { capacity: 99 } })).status).toBe(
      403,
    );
    const duty = await s.request('GET', '/api/v1/people/duty', { cookie: lea });
    expect(duty.body.find((p: { id: number }) => p.id === me.id)).toMatchObject({ on_duty: true, override: true });
    const bad = await s.request('PATCH', `/api/v1/people/${me.id}`, {
      cookie: marie,
      body: { schedule: [{ days: [8], from: '07:00', to: '15:00' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('schedule.0.days.0');
    const ok = await s.request('PATCH', `/api/v1/people/${me.id}`, {
      cookie: marie,
      body: {
        on_duty: null,
        schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }],
        timezone: 'Europe/Zurich',
      },
    });
    expect(ok.status).toBe(200);
    const again = await s.request('GET', '/api/v1/people/duty', { cookie: lea });
    expect(again.body.find((p: { id: number }) => p.id === me.id)).toMatchObject({ on_duty: true, override: null });

    await db().pool.query(`update cases set assignee_id = $1 where id in (select id from cases order by id limit 2)`, [
      me.id,
    ]);
    const released = await s.request('POST', `/api/v1/people/${me.id}/release-cases`, {
      cookie: marie,
      body: { to: 'team_queue' },
    });
    expect(released.status).toBe(200);
    expect(released.body.moved.length).toBeGreaterThanOrEqual(2);
    expect(released.body.moved.every((m: { assignee_id: number | null }) => m.assignee_id === null)).toBe(true);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { feedbackKpis } from '../../src/domain/feedback/kpis.ts';
import { similarity, termsOf } from '../../src/domain/feedback/similar.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** The ideas and incidents loop (journey J6): from cases to the backlog, and the status back to the cases. */

const COMPLAINTS = [
  'The app lost my boarding pass after the update, I had to queue at the desk',
  'After the latest app update my boarding pass disappeared from the app',
  'Since the update the app no longer shows my boarding pass, it is gone',
  'Your app update deleted my boarding pass. Where is my boarding pass?',
];
const IDEA = [
  'Could you show the gate on the lock screen? That would be great',
  'Please show the gate on the lock screen of my phone',
  'Idea: the gate number on the lock screen, like a live activity',
];

describeEachDatabase('ideas and incidents loop', (db) => {
  let s: TestServer;
  let lea: string;
  let anna: string;
  let marie: string;
  let hanna: string;
  let jonas: string;
  let paul: string;
  let leaId: number;
  const complaints: number[] = [];
  const unrelated: number[] = [];
  let incidentId: number;
  let n = 0;

  async function ingest(text: string, handle: string, account = '@AirSocial'): Promise<number> {
    n++;
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', external_id: `fb-${n}`, account, author: { handle }, text },
    });
    expect(r.status).toBe(202);
    return r.body.case_id;
  }

  beforeAll(async () => {
    s = await startTestServer(db().url);
    const cookies = await Promise.all(
      ['lea', 'anna', 'marie', 'hanna', 'jonas', 'paul'].map((p) => s.login(`${p}@airsocial.example`)),
    );
    [lea, anna, marie, hanna, jonas, paul] = cookies as [string, string, string, string, string, string];
    leaId = (await s.request('GET', '/api/v1/me', { cookie: lea })).body.id;
    for (let i = 0; i < 40; i++) complaints.push(await ingest(COMPLAINTS[i % COMPLAINTS.length]!, `@traveller${i}`));
    unrelated.push(await ingest('My suitcase never arrived in Geneva, reference GVA123', '@bags1'));
    unrelated.push(await ingest('Thank you for the lovely crew on the Nice flight', '@happy1'));
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('scores similar texts by shared terms and topic', () => {
    const a = termsOf(COMPLAINTS[0]);
    expect(similarity(a, termsOf(COMPLAINTS[1]), false).score).toBeGreaterThanOrEqual(0.4);
    expect(similarity(a, termsOf('My suitcase never arrived in Geneva'), false).score).toBe(0);
    expect(similarity(['app', 'update'], ['app', 'update', 'gate'], true)).toEqual({
      score: 1,
      shared: ['app', 'update'],
    });
    // One shared word is chance, not similarity.
    expect(similarity(['app', 'gate'], ['app', 'bag'], false).score).toBe(0);
  });

  it('raises one incident from 40 similar complaints, and the fix flows back to every case', async () => {
    const first = await s.request('POST', `/api/v1/cases/${complaints[0]}/incidents`, {
      cookie: lea,
      body: { title: 'The app loses boarding passes after an update', description: 'Reported on social media.' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'incident', status: 'open', cases: 1, linked: true });
    incidentId = first.body.id;

    // Passeur suggests merging the similar ones: the other 39 complaints, not the unrelated cases.
    const similar = await s.request('GET', `/api/v1/incidents/${incidentId}/similar-cases`, { cookie: lea });
    expect(similar.status).toBe(200);
    const suggested = similar.body.items.map((c: { id: number }) => c.id);
    expect(new Set(suggested)).toEqual(new Set(complaints.slice(1)));
    expect(similar.body.items[0].shared).toEqual(expect.arrayContaining(['app', 'boarding']));

    const linked = await s.request('POST', `/api/v1/incidents/${incidentId}/cases`, {
      cookie: lea,
      body: { case_ids: [...suggested, complaints[0]] },
    });
    expect(linked.status).toBe(200);
    expect(linked.body.cases).toBe(40);
    expect(linked.body.results.filter((r: { outcome: string }) => r.outcome === 'linked')).toHaveLength(39);
    expect(linked.body.results.find((r: { case_id: number }) => r.case_id === complaints[0]).outcome).toBe(
      'already_linked',
    );
    const after = await s.request('GET', `/api/v1/incidents/${incidentId}/similar-cases`, { cookie: lea });
    expect(after.body.items).toEqual([]);

    // A new complaint: the existing incident is suggested first.
    const late = await ingest(COMPLAINTS[3]!, '@late');
    const sim = await s.request('GET', `/api/v1/cases/${late}/feedback/similar?kind=incident`, { cookie: lea });
    expect(sim.status).toBe(200);
    expect(sim.body.items[0]).toMatchObject({ id: incidentId, cases: 40, linked: false });

    // Lea is the assignee of one open case: she is told when Quality fixes it.
    const assign = await s.request('PATCH', `/api/v1/cases/${complaints[5]}`, {
      cookie: lea,
      body: { assignee_id: leaId },
    });
    expect(assign.status).toBe(200);

    // Only Quality (Anna leads it) and leaders change the status.
    for (const who of [lea, hanna, paul]) {
      const refused = await s.request('PATCH', `/api/v1/incidents/${incidentId}`, {
        cookie: who,
        body: { status: 'fixed', note: 'nope' },
      });
      expect(refused.status).toBe(403);
    }
    const bad = await s.request('PATCH', `/api/v1/incidents/${incidentId}`, {
      cookie: anna,
      body: { status: 'accepted' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('status');

    const fixed = await s.request('PATCH', `/api/v1/incidents/${incidentId}`, {
      cookie: anna,
      body: { status: 'fixed', note: 'fixed in app 5.2' },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ status: 'fixed', status_note: 'fixed in app 5.2', cases: 40, cases_told: 40 });

    for (const id of complaints) {
      const f = await s.request('GET', `/api/v1/cases/${id}/feedback`, { cookie: lea });
      expect(f.body.incidents).toEqual([
        expect.objectContaining({ id: incidentId, status: 'fixed', status_note: 'fixed in app 5.2' }),
      ]);
    }
    const events = await db().pool.query<{ case_id: number; data: { note: string; status: string } }>(
      `select case_id, data from case_events where kind = 'incident_status' and case_id = any($1::bigint[])`,
      [complaints],
    );
    expect(new Set(events.rows.map((e) => Number(e.case_id)))).toEqual(new Set(complaints));
    expect(events.rows.every((e) => e.data.note === 'fixed in app 5.2' && e.data.status === 'fixed')).toBe(true);
    const c = await s.request('GET', `/api/v1/cases/${complaints[5]}`, { cookie: lea });
    expect(c.body.events.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['incident_linked', 'incident_status']),
    );
    const notes = await db().pool.query(
      `select data from notifications where person_id = $1 and kind = 'feedback_status' and case_id = $2`,
      [leaId, complaints[5]],
    );
    expect(notes.rows).toEqual([
      { data: expect.objectContaining({ item_kind: 'incident', item_id: incidentId, status: 'fixed' }) },
    ]);
    const audit = await db().pool.query(
      `select action from audit_events where subject_type = 'incident' and subject_id = $1 order by id`,
      [String(incidentId)],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'incident.created',
      'incident.cases_linked',
      'incident.cases_linked',
      'incident.status_changed',
    ]);

    const list = await s.request('GET', '/api/v1/incidents?status=fixed', { cookie: anna });
    expect(list.body.items).toEqual([expect.objectContaining({ id: incidentId, cases: 40 })]);
    const open = await s.request('GET', '/api/v1/incidents?status=open,investigating', { cookie: anna });
    expect(open.body.items).toEqual([]);
  });

  it('counts an idea’s votes as distinct customers: 13 customers, 13 votes', async () => {
    const origin = await ingest(IDEA[0]!, '@gate0');
    const idea = await s.request('POST', `/api/v1/cases/${origin}/ideas`, {
      cookie: lea,
      body: { title: 'Show the gate on the lock screen' },
    });
    expect(idea.status).toBe(201);
    expect(idea.body).toMatchObject({ kind: 'idea', status: 'new', votes: 1 });
    const ideaId = idea.body.id;
    for (let i = 1; i <= 12; i++) {
      const caseId = await ingest(IDEA[i % IDEA.length]!, `@gate${i}`);
      const sim = await s.request('GET', `/api/v1/cases/${caseId}/feedback/similar?kind=idea`, { cookie: lea });
      expect(sim.body.items[0]?.id).toBe(ideaId);
      const vote = await s.request('POST', `/api/v1/cases/${caseId}/ideas`, { cookie: lea, body: { id: ideaId } });
      expect(vote.status).toBe(200);
      expect(vote.body.votes).toBe(i + 1);
    }
    // A second case of a customer who already asked: linked, but no extra vote.
    const again = await db().pool.query<{ id: number }>(
      `insert into cases (org_id, community_id, contact_id, channel, subject, status)
       select org_id, community_id, contact_id, channel, 'Still want the gate on the lock screen', 'open'
       from cases where id = $1 returning id`,
      [origin],
    );
    const second = await s.request('POST', `/api/v1/cases/${again.rows[0]!.id}/ideas`, {
      cookie: lea,
      body: { id: ideaId },
    });
    expect(second.body).toMatchObject({ votes: 13, cases: 14, linked: true });
    const twice = await s.request('POST', `/api/v1/cases/${origin}/ideas`, { cookie: lea, body: { id: ideaId } });
    expect(twice.body).toMatchObject({ votes: 13, cases: 14, linked: false });

    const backlog = await s.request('GET', '/api/v1/ideas', { cookie: hanna });
    expect(backlog.status).toBe(200);
    expect(backlog.body.items[0]).toMatchObject({ id: ideaId, votes: 13 });
    // Hanna (Innovation) works no community: counts, but none of the cases themselves.
    const detail = await s.request('GET', `/api/v1/ideas/${ideaId}`, { cookie: hanna });
    expect(detail.body).toMatchObject({ votes: 13, linked_cases: [], hidden_cases: 14 });
    const leaDetail = await s.request('GET', `/api/v1/ideas/${ideaId}`, { cookie: lea });
    expect(leaDetail.body.linked_cases).toHaveLength(14);
    expect(leaDetail.body.hidden_cases).toBe(0);

    // Innovation decides; Quality may not.
    const refused = await s.request('PATCH', `/api/v1/ideas/${ideaId}`, { cookie: anna, body: { status: 'planned' } });
    expect(refused.status).toBe(403);
    const planned = await s.request('PATCH', `/api/v1/ideas/${ideaId}`, {
      cookie: hanna,
      body: { status: 'planned', note: 'Planned for app 5.4' },
    });
    expect(planned.status).toBe(200);
    expect(planned.body).toMatchObject({ status: 'planned', status_note: 'Planned for app 5.4', cases_told: 14 });
    const onCase = await s.request('GET', `/api/v1/cases/${origin}/feedback`, { cookie: lea });
    expect(onCase.body.ideas).toEqual([expect.objectContaining({ id: ideaId, status: 'planned', votes: 13 })]);
  });

  it('checks who may forward and link cases', async () => {
    const fr = complaints[0]!;
    // Jonas works the German communities: the French case does not exist for him.
    const hidden = await s.request('POST', `/api/v1/cases/${fr}/ideas`, { cookie: jonas, body: { title: 'Hidden' } });
    expect(hidden.status).toBe(404);
    const viewer = await s.request('POST', `/api/v1/cases/${fr}/ideas`, { cookie: paul, body: { title: 'Viewer' } });
    expect(viewer.status).toBe(403);
    const noTitle = await s.request('POST', `/api/v1/cases/${fr}/ideas`, { cookie: lea, body: { title: 'x' } });
    expect(noTitle.status).toBe(400);
    const missing = await s.request('POST', `/api/v1/cases/${fr}/incidents`, { cookie: lea, body: { id: 999999 } });
    expect(missing.status).toBe(404);
    const bulk = await s.request('POST', `/api/v1/incidents/${incidentId}/cases`, {
      cookie: jonas,
      body: { case_ids: [unrelated[0]] },
    });
    expect(bulk.body.results).toEqual([{ case_id: unrelated[0], outcome: 'not_found' }]);
    const byViewer = await s.request('POST', `/api/v1/incidents/${incidentId}/cases`, {
      cookie: paul,
      body: { case_ids: [unrelated[0]] },
    });
    expect(byViewer.body.results).toEqual([{ case_id: unrelated[0], outcome: 'forbidden' }]);
    const jonasSimilar = await s.request('GET', `/api/v1/cases/${fr}/feedback/similar?kind=incident`, {
      cookie: jonas,
    });
    expect(jonasSimilar.status).toBe(404);
    // Marie leads: she changes any status.
    const closed = await s.request('PATCH', `/api/v1/incidents/${incidentId}`, {
      cookie: marie,
      body: { status: 'closed' },
    });
    expect(closed.body).toMatchObject({ status: 'closed', status_note: 'fixed in app 5.2' });
  });

  it('moves a merged case’s ideas and incidents to the case it is merged into', async () => {
    const source = await ingest('Please show the gate on the lock screen, thanks', '@merge1');
    const target = await ingest('Another question about my booking', '@merge2');
    const idea = await s.request('POST', `/api/v1/cases/${source}/ideas`, {
      cookie: lea,
      body: { title: 'Gate on the lock screen (merge)' },
    });
    expect(idea.status).toBe(201);
    const merged = await s.request('POST', `/api/v1/cases/${source}/merge`, { cookie: lea, body: { into: target } });
    expect(merged.status).toBe(200);
    const onTarget = await s.request('GET', `/api/v1/cases/${target}/feedback`, { cookie: lea });
    expect(onTarget.body.ideas).toEqual([expect.objectContaining({ id: idea.body.id, cases: 1 })]);
    const onSource = await s.request('GET', `/api/v1/cases/${source}/feedback`, { cookie: lea });
    expect(onSource.body.ideas).toEqual([]);
  });

  it('computes the feedback KPIs of a period as counted by hand', async () => {
    const pool = db().pool;
    const org = s.ctx.directory().orgId;
    const base = await pool.query<{ id: number; community_id: number }>(
      `insert into cases (org_id, community_id, contact_id, channel, subject, status)
       select org_id, community_id, contact_id, channel, 'kpi ' || g, 'open' from cases, generate_series(1, 4) g
       where id = $1 returning id, community_id`,
      [unrelated[1]],
    );
    const [c1, c2, c3, c4] = base.rows.map((r) => r.id);
    const inc = async (created: string, fixed: string | null, cases: number[], linkedAt: string) => {
      const r = await pool.query<{ id: number }>(
        `insert into incidents (org_id, title, status, created_at, fixed_at) values ($1, 'kpi', $2, $3, $4) returning id`,
        [org, fixed ? 'fixed' : 'open', created, fixed],
      );
      for (const c of cases) {
        await pool.query(
          'insert into incident_cases (incident_id, case_id, org_id, linked_at) values ($1, $2, $3, $4)',
          [r.rows[0]!.id, c, org, linkedAt],
        );
      }
    };
    // Period: March 2031. Fixed in the period after 10 h, 20 h and 50 h; one raised in February, fixed in March.
    await inc('2031-03-02T00:00:00Z', '2031-03-02T10:00:00Z', [c1!, c2!], '2031-03-02T00:00:00Z');
    await inc('2031-03-03T00:00:00Z', '2031-03-03T20:00:00Z', [c3!], '2031-03-03T00:00:00Z');
    await inc('2031-02-27T22:00:00Z', '2031-03-02T00:00:00Z', [c4!], '2031-02-27T22:00:00Z');
    await inc('2031-03-10T00:00:00Z', null, [c1!], '2031-03-10T00:00:00Z');
    // Fixed after the period: not counted as fixed.
    await inc('2031-03-20T00:00:00Z', '2031-04-02T00:00:00Z', [c2!], '2031-03-20T00:00:00Z');
    const idea = await pool.query<{ id: number }>(
      `insert into ideas (org_id, title, status, created_at, accepted_at) values ($1, 'kpi', 'accepted', $2, $3) returning id`,
      [org, '2031-03-05T00:00:00Z', '2031-03-25T00:00:00Z'],
    );
    for (const [c, at] of [
      [c1, '2031-03-05T00:00:00Z'],
      [c2, '2031-03-06T00:00:00Z'],
      [c3, '2031-04-01T00:00:00Z'],
    ] as const) {
      await pool.query('insert into idea_cases (idea_id, case_id, org_id, linked_at) values ($1, $2, $3, $4)', [
        idea.rows[0]!.id,
        c,
        org,
        at,
      ]);
    }
    const filter = {
      orgId: org,
      from: new Date('2031-03-01T00:00:00Z'),
      to: new Date('2031-04-01T00:00:00Z'),
      communities: null,
      businessHours: false,
      tz: 'UTC',
      now: new Date('2031-04-01T00:00:00Z'),
    };
    const k = await feedbackKpis(pool, filter);
    // Raised in March: 4 (the February one is not); fixed in March: 3 after 10 h, 20 h, 50 h.
    // Median 20 h; p90 = 20 + 0.8 × (50 − 20) = 44 h. Links in March: 2 + 1 + 1 + 1 = 5.
    expect(k.incidents).toEqual({
      raised: 4,
      cases_linked: 5,
      fixed: 3,
      resolution_hours: { median: 20, p90: 44 },
    });
    expect(k.ideas).toEqual({ forwarded: 2, created: 1, accepted: 1 });
    // Narrowed to a community none of these cases are in: nothing.
    const other = [...s.ctx.directory().communities.keys()].find((id) => id !== base.rows[0]!.community_id)!;
    const none = await feedbackKpis(pool, { ...filter, communities: [other] });
    expect(none).toEqual({
      ideas: { forwarded: 0, created: 0, accepted: 0 },
      incidents: { raised: 0, cases_linked: 0, fixed: 0, resolution_hours: { median: null, p90: null } },
    });
    // The report summary carries them under kpis.extensions.feedback.
    const marie = await s.login('marie@airsocial.example');
    const summary = await s.request('GET', '/api/v1/reports/summary?from=2031-03-01&to=2031-04-01', { cookie: marie });
    expect(summary.status).toBe(200);
    expect(summary.body.kpis.extensions.feedback).toEqual(k);
  });
});

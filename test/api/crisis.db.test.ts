import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crisisDemoTraffic, playCrisisDemo } from '../../src/domain/crisis/demo.ts';
import { CrisisWatcher } from '../../src/domain/crisis/watcher.ts';
import { ingest } from '../../src/domain/ingest/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const TASK_FORCE = [
  'marie@airsocial.example',
  'lea@airsocial.example',
  'jonas@airsocial.example',
  'giulia@airsocial.example',
  'emma@airsocial.example',
  'luca@airsocial.example',
];

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 40_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describeEachDatabase('crisis mode: alert → declare → playbook applied → bulk reply → stand down → report', (db) => {
  let s: TestServer;
  let marie: string;
  let lea: string;
  let paul: string;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    marie = await s.login('marie@airsocial.example');
    lea = await s.login('lea@airsocial.example');
    paul = await s.login('paul@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
  });

  const snapshot = async () => {
    const pool = db().pool;
    const duty = await pool.query('select email, on_duty from people where email = any($1::text[]) order by email', [
      TASK_FORCE,
    ]);
    const canned = await pool.query('select id from canned_replies order by id');
    const policy = await pool.query('select rules from routing_policies order by version desc limit 1');
    const settings = await pool.query('select settings from organizations');
    return {
      duty: duty.rows,
      canned: canned.rows.map((r) => r.id),
      rules: (policy.rows[0].rules as { id: string }[]).map((r) => r.id),
      settings: settings.rows[0].settings,
    };
  };

  it('detects a surge in the worker, stores the evidence, notifies the leaders, and reverts every change on stand down', async () => {
    expect((await s.request('GET', '/api/v1/crisis/alerts', { cookie: paul })).status).toBe(403);
    const before = await snapshot();
    expect(before.duty.every((p) => p.on_duty === false)).toBe(true);

    // A baseline of usual traffic, then an ash cloud surge, through the normal ingest path.
    const traffic = crisisDemoTraffic({ community: 'airsocial-it', surgeMinutes: 2, surgeRate: 40, seed: 7 });
    await playCrisisDemo((batch) => ingest(s.ctx.ingestDeps, batch), traffic, { speed: 60 });
    const alert = await until('an alert', async () => {
      const r = await s.request('GET', '/api/v1/crisis/alerts', { cookie: marie });
      return r.body.find((a: { community: string }) => a.community === 'AirSocial · IT');
    });
    expect(alert.status).toBe('open');
    // The server's worker owns the detector: another process's watcher stays idle.
    const other = new CrisisWatcher({
      pool: db().pool,
      orgId: () => s.ctx.directory().orgId,
      log: pino({ level: 'silent' }),
    });
    expect(await other.tick()).toEqual([]);
    expect(other.isOwner).toBe(false);
    await other.stop();
    expect(alert.evidence.series).toHaveLength(60);
    expect(alert.evidence.series.at(-1).n + alert.evidence.series.at(-2).n).toBeGreaterThan(10);
    expect(alert.evidence.top_terms.length).toBeGreaterThan(0);
    expect(alert.evidence.sample_message_ids.length).toBeGreaterThan(0);
    const samples = await s.request('GET', `/api/v1/crisis/alerts/${alert.id}/messages`, { cookie: marie });
    expect(samples.body.length).toBe(alert.evidence.sample_message_ids.length);
    expect(samples.body[0].text.length).toBeGreaterThan(0);
    const notified = await db().pool.query(
      "select n.data from notifications n join people p on p.id = n.person_id where p.email = $1 and n.kind = 'crisis_alert'",
      ['marie@airsocial.example'],
    );
    expect(notified.rows.map((r) => Number(r.data.alert_id))).toContain(alert.id);

    // Declare from the alert: the playbook applies.
    const playbooks = await s.request('GET', '/api/v1/crisis/playbooks', { cookie: marie });
    const ash = playbooks.body.find((p: { slug: string }) => p.slug === 'volcanic-ash');
    expect(ash.definition.holding_statements).toHaveLength(4);
    expect(
      (await s.request('POST', '/api/v1/crisis/crises', { cookie: lea, body: { playbook_id: ash.id } })).status,
    ).toBe(403);
    const declared = await s.request('POST', '/api/v1/crisis/crises', {
      cookie: marie,
      body: { playbook_id: ash.id, alert_id: alert.id },
    });
    expect(declared.status).toBe(201);
    const crisisId = declared.body.id;
    const during = await snapshot();
    expect(during.duty.every((p) => p.on_duty === true)).toBe(true);
    expect(during.canned.length).toBe(before.canned.length + 8);
    expect(during.rules.slice(0, 2)).toEqual(['crisis-ash-urgent', 'crisis-ash-tag']);
    expect(during.rules.slice(2)).toEqual(before.rules);
    expect(during.settings.crisis.id).toBe(crisisId);
    const again = await s.request('POST', '/api/v1/crisis/crises', { cookie: marie, body: { playbook_id: ash.id } });
    expect(again.status).toBe(409);
    const alerts = await s.request('GET', '/api/v1/crisis/alerts', { cookie: marie });
    expect(alerts.body.find((a: { id: number }) => a.id === alert.id).status).toBe('declared');

    // The crisis room.
    const room = await s.request('GET', `/api/v1/crisis/crises/${crisisId}`, { cookie: marie });
    expect(room.status).toBe(200);
    expect(room.body.queue.length).toBeGreaterThan(3);
    expect(room.body.task_force.every((p: { on_duty: boolean }) => p.on_duty)).toBe(true);
    expect(room.body.timeline.map((t: { kind: string }) => t.kind)).toEqual(['declared', 'playbook_applied']);
    expect(room.body.changes.find((c: { kind: string }) => c.kind === 'duty').previous).toEqual({ on_duty: false });
    expect(room.body.deflected).toBe(0);

    // Bulk reply with the Italian holding statement: each case its own reply through the outbox.
    const ids = room.body.queue.slice(0, 3).map((c: { id: number }) => c.id);
    const it = room.body.holding_statements.find((h: { language: string }) => h.language === 'it');
    const free = await s.request('POST', `/api/v1/crisis/crises/${crisisId}/bulk-reply`, {
      cookie: marie,
      body: { case_ids: ids, text: 'Anything not approved', resolve: false },
    });
    expect(free.status).toBe(422);
    const bulk = await s.request('POST', `/api/v1/crisis/crises/${crisisId}/bulk-reply`, {
      cookie: marie,
      body: { case_ids: ids, text: it.body, resolve: true },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.sent).toBe(3);
    const outbox = await db().pool.query(
      'select case_id from outbox where case_id = any($1::bigint[]) order by case_id',
      [ids],
    );
    expect(outbox.rows.map((r) => Number(r.case_id))).toEqual([...ids].sort((a, b) => a - b));
    const room2 = await s.request('GET', `/api/v1/crisis/crises/${crisisId}`, { cookie: marie });
    const resolvedTopics = await db().pool.query(
      `select count(*)::int as n from cases where id = any($1::bigint[])
         and topics && array['cancellation', 'refund', 'booking', 'delay']`,
      [ids],
    );
    expect(room2.body.deflected).toBe(resolvedTopics.rows[0].n);

    // Stand down: everything the playbook changed is back as it was.
    expect((await s.request('POST', `/api/v1/crisis/crises/${crisisId}/stand-down`, { cookie: lea })).status).toBe(403);
    const down = await s.request('POST', `/api/v1/crisis/crises/${crisisId}/stand-down`, { cookie: marie });
    expect(down.status).toBe(200);
    expect(down.body.status).toBe('stood_down');
    const after = await snapshot();
    expect(after.duty).toEqual(before.duty);
    expect(after.canned).toEqual(before.canned);
    expect(after.rules).toEqual(before.rules);
    expect(after.settings).toEqual(before.settings);
    const open = await db().pool.query('select count(*)::int as n from crisis_changes where reverted_at is null');
    expect(open.rows[0].n).toBe(0);
    const audited = await db().pool.query("select action from audit_events where action like 'crisis.%' order by id");
    expect(audited.rows.map((r) => r.action)).toEqual(['crisis.declared', 'crisis.bulk_reply', 'crisis.stood_down']);

    // The report.
    const report = await s.request('GET', `/api/v1/crisis/crises/${crisisId}/report`, { cookie: lea });
    expect(report.body.windows.during.messages).toBeGreaterThanOrEqual(0);
    expect(report.body.windows.before.messages).toBeGreaterThan(50);
    expect(report.body.timeline.map((t: { kind: string }) => t.kind)).toEqual([
      'declared',
      'playbook_applied',
      'bulk_reply',
      'stood_down',
    ]);
    const csv = await fetch(`${s.base}/api/v1/crisis/crises/${crisisId}/report.csv`, { headers: { cookie: marie } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('window,from,to,messages');
    expect(text).toContain('stood_down');
    const pdf = await fetch(`${s.base}/api/v1/crisis/crises/${crisisId}/report.pdf`, { headers: { cookie: marie } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  }, 180_000);
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit/log.ts';
import { ANONYMIZED, applyRetention, retentionOf } from '../../src/domain/retention/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('retention policy', (db) => {
  let s: TestServer;
  let marie: string;
  let lea: string;
  let n = 0;
  const ingest = async (handle: string, text: string, extra: Record<string, unknown> = {}) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: `ret-${++n}`,
        account: '@AirSocial',
        author: { handle, name: 'Camille Durand' },
        text,
        ...extra,
      },
    });
    expect(r.status).toBe(202);
    return r.body as { message_id: number; case_id: number };
  };
  /** Ends a case at a given time, as if it had been resolved then. */
  const endAt = (caseId: number, status: 'resolved' | 'closed', at: string) =>
    db().pool.query(
      `update cases set status = $2, resolved_at = $3, closed_at = case when $2 = 'closed' then $3::timestamptz end where id = $1`,
      [caseId, status, at],
    );

  beforeAll(async () => {
    s = await startTestServer(db().url);
    marie = await s.login('marie@airsocial.example');
    lea = await s.login('lea@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is set by leaders only, audited, and shows what is due', async () => {
    const denied = await s.request('PUT', '/api/v1/organization/retention', { cookie: lea, body: { months: 12 } });
    expect(denied.status).toBe(403);
    expect((await s.request('GET', '/api/v1/organization/retention', { cookie: lea })).status).toBe(403);
    const bad = await s.request('PUT', '/api/v1/organization/retention', { cookie: marie, body: { months: 0 } });
    expect(bad.status).toBe(400);
    const ok = await s.request('PUT', '/api/v1/organization/retention', { cookie: marie, body: { months: 12 } });
    expect(ok.status).toBe(204);
    const got = await s.request('GET', '/api/v1/organization/retention', { cookie: marie });
    expect(got.body).toMatchObject({ months: 12 });
    const a = await db().pool.query(
      `select data from audit_events where action = 'retention.changed' order by id desc limit 1`,
    );
    expect(a.rows[0].data).toEqual({ months: 12 });
    expect(retentionOf({ retention: { months: 12 } })).toEqual({ months: 12 });
    expect(retentionOf({})).toEqual({ months: null });
  });

  it('anonymizes content of cases ended before the period, keeps their skeleton, and leaves the rest alone', async () => {
    const old = await ingest('@old-customer', 'Mon bagage AF123 est perdu, appelez-moi au 06 12 34 56 78');
    await ingest('@old-customer', 'Toujours rien !', { in_reply_to: `ret-${n}` });
    const reply = await s.request('POST', `/api/v1/cases/${old.case_id}/replies`, {
      cookie: marie,
      body: { text: 'Bonjour Camille, nous cherchons votre bagage.' },
    });
    expect([200, 201, 202]).toContain(reply.status);
    await endAt(old.case_id, 'closed', '2024-01-10T10:00:00Z');
    // A case of the same period that was reopened since is active again: never touched.
    const reopened = await ingest('@other', 'Remboursement du vol annulé ?');
    await endAt(reopened.case_id, 'resolved', '2024-01-11T10:00:00Z');
    await db().pool.query(`update cases set status = 'open' where id = $1`, [reopened.case_id]);
    // A recent resolved case of the same customer kept: the contact keeps its name until every case goes.
    const recentCustomer = await ingest('@recent', 'Merci pour votre aide');
    await endAt(recentCustomer.case_id, 'resolved', new Date(Date.now() - 86_400_000).toISOString());
    const before = await db().pool.query(
      'select id, sentiment, topics, team_id, community_id, created_at from cases where id = $1',
      [old.case_id],
    );

    // Archived first, for an organization that must keep the content elsewhere.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-archive-'));
    const file = path.join(dir, 'archive.jsonl.gz');
    const cli = spawnSync('bin/passeur', ['archive', '--before', '2025-01-01', '--out', file], {
      env: { ...process.env, DATABASE_URL: db().url },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.stdout).toContain('archived 1 cases');
    expect(cli.status).toBe(0);
    const lines = zlib
      .gunzipSync(fs.readFileSync(file))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual([old.case_id]);
    expect(lines[0].messages.map((m: { text: string }) => m.text)).toContain('Toujours rien !');
    fs.rmSync(dir, { recursive: true, force: true });
    const badDate = spawnSync('bin/passeur', ['archive', '--before', 'yesterday', '--out', file], { encoding: 'utf8' });
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toContain('--before must be a date');

    const r = await applyRetention(db().pool, (await db().pool.query('select id from organizations')).rows[0].id, {
      months: 12,
    });
    expect(r).toMatchObject({ cases: 1, contacts: 1, more: false });
    expect(r.messages).toBeGreaterThanOrEqual(2);

    const msgs = await db().pool.query(
      'select text, author_handle, author_name, meta from messages where case_id = $1',
      [old.case_id],
    );
    expect(msgs.rows.length).toBeGreaterThanOrEqual(3);
    for (const m of msgs.rows)
      expect(m).toEqual({ text: ANONYMIZED, author_handle: ANONYMIZED, author_name: null, meta: null });
    const after = await db().pool.query(
      'select id, sentiment, topics, team_id, community_id, created_at, subject, anonymized_at from cases where id = $1',
      [old.case_id],
    );
    expect(after.rows[0]).toMatchObject(before.rows[0]);
    expect(after.rows[0].subject).toBe('');
    expect(after.rows[0].anonymized_at).not.toBeNull();
    const contact = await db().pool.query(
      `select ct.display_name, array_agg(ci.handle) as handles from cases c join contacts ct on ct.id = c.contact_id
       join contact_identities ci on ci.contact_id = ct.id where c.id = $1 group by ct.display_name`,
      [old.case_id],
    );
    expect(contact.rows[0].display_name).toBe(ANONYMIZED);
    expect(contact.rows[0].handles.join()).not.toContain('old-customer');
    // Search no longer finds the content.
    const search = await s.request('GET', '/api/v1/cases?view=all&status=closed&q=bagage', { cookie: marie });
    expect(search.body.items.map((c: { id: number }) => c.id)).not.toContain(old.case_id);

    for (const id of [reopened.case_id, recentCustomer.case_id]) {
      const kept = await db().pool.query('select text from messages where case_id = $1', [id]);
      expect(kept.rows.every((m) => m.text !== ANONYMIZED)).toBe(true);
    }
    const audited = await db().pool.query(`select data from audit_events where action = 'retention.anonymized'`);
    expect(audited.rows).toHaveLength(1);
    expect(JSON.stringify(audited.rows[0].data)).not.toContain('bagage');
    expect(await verifyChain(db().pool, (await db().pool.query('select id from organizations')).rows[0].id)).toBeNull();

    // A second pass finds nothing more to do; the customer writing again starts a new contact.
    const again = await applyRetention(db().pool, (await db().pool.query('select id from organizations')).rows[0].id, {
      months: 12,
    });
    expect(again.cases).toBe(0);
    const back = await ingest('@old-customer', 'Re-bonjour');
    expect(back.case_id).not.toBe(old.case_id);
  });
});

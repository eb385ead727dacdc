import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifySignature } from '../../src/domain/webhooks/signature.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiving system: records every request; answers 500 to the next delivery when `failNext` is set. */
async function receiver() {
  const received: Received[] = [];
  const control = { failNext: false };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (control.failNext) {
        control.failNext = false;
        res.writeHead(500).end('try again');
        return;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/passeur`;
  return { url, received, control, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeEachDatabase('outgoing webhooks', (db) => {
  let s: TestServer;
  let marie: string;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let secret: string;
  let hookId: number;

  beforeAll(async () => {
    rx = await receiver();
    s = await startTestServer(db().url, { PASSEUR_ALLOW_PRIVATE_WEBHOOKS: '1' });
    marie = await s.login('marie@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
    await rx?.close();
  });

  it('lets leaders add a webhook whose secret is shown once and stored sealed', async () => {
    const lea = await s.login('lea@airsocial.example');
    const denied = await s.request('POST', '/api/v1/webhooks', {
      cookie: lea,
      body: { url: rx.url, events: ['case.created'] },
    });
    expect(denied.status).toBe(403);
    const r = await s.request('POST', '/api/v1/webhooks', {
      cookie: marie,
      body: { url: rx.url, events: ['case.created', 'case.assigned', 'case.replied', 'case.resolved'] },
    });
    expect(r.status).toBe(201);
    expect(r.body.secret).toMatch(/^whsec_/);
    secret = r.body.secret;
    hookId = r.body.id;
    const list = await s.request('GET', '/api/v1/webhooks', { cookie: marie });
    expect(list.body).toEqual([
      { id: hookId, url: rx.url, events: r.body.events, active: true, created_at: expect.any(String) },
    ]);
    const stored = await db().pool.query('select secret from webhooks where id = $1', [hookId]);
    expect(stored.rows[0].secret).not.toContain(secret);
    const bad = await s.request('POST', '/api/v1/webhooks', {
      cookie: marie,
      body: { url: rx.url, events: ['case.deleted'] },
    });
    expect(bad.status).toBe(400);
  });

  it('signs each delivery, and retries one that got a 500', async () => {
    // The receiving system is down for the first delivery.
    rx.control.failNext = true;
    const m = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'wh-1',
        account: '@AirSocial',
        author: { handle: '@wh' },
        text: 'Bonjour',
      },
    });
    const caseId = m.body.case_id;
    // Ingest queued the case.created delivery in the transaction that created the case.
    const queued = await db().pool.query(
      `select id from webhook_deliveries where event = 'case.created' and (payload->'case'->>'id')::bigint = $1`,
      [caseId],
    );
    expect(queued.rows).toHaveLength(1);
    const delivery = queued.rows[0].id;
    // First attempt: a 500, kept for a retry.
    const failed = await until('the first attempt', async () => {
      const r = await db().pool.query(
        'select status, attempts, response_status from webhook_deliveries where id = $1',
        [delivery],
      );
      return r.rows[0].attempts >= 1 && r.rows[0].status === 'pending' && r.rows[0];
    });
    expect(failed).toMatchObject({ attempts: 1, response_status: 500 });
    // Skip the backoff.
    await db().pool.query('update webhook_deliveries set not_before = now() where id = $1', [delivery]);
    await until('the retry', async () => {
      const r = await db().pool.query('select status from webhook_deliveries where id = $1', [delivery]);
      return r.rows[0].status === 'delivered';
    });
    const attempts = rx.received.filter((x) => x.headers['x-passeur-delivery'] === String(delivery));
    expect(attempts).toHaveLength(2);
    for (const a of attempts) {
      expect(a.headers['x-passeur-event']).toBe('case.created');
      expect(a.headers['content-type']).toBe('application/json');
      expect(a.headers['x-passeur-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      const ok = verifySignature(
        secret,
        {
          timestamp: a.headers['x-passeur-timestamp'] as string,
          signature: a.headers['x-passeur-signature'] as string,
        },
        a.body,
      );
      expect(ok).toBe(true);
      expect(
        verifySignature(
          'whsec_wrong',
          {
            timestamp: a.headers['x-passeur-timestamp'] as string,
            signature: a.headers['x-passeur-signature'] as string,
          },
          a.body,
        ),
      ).toBe(false);
      const body = JSON.parse(a.body);
      expect(body).toMatchObject({ id: delivery, event: 'case.created', case: { id: caseId, status: 'new' } });
      expect(JSON.stringify(body)).not.toContain('Bonjour');
    }
    const log = await s.request('GET', `/api/v1/webhooks/${hookId}/deliveries`, { cookie: marie });
    expect(log.body[0]).toMatchObject({ id: delivery, status: 'delivered', attempts: 2, response_status: 204 });
  });

  it('sends case.assigned, case.replied and case.resolved from the changes that cause them', async () => {
    const m = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'wh-2',
        account: '@AirSocial',
        author: { handle: '@wh2' },
        text: 'Retard',
      },
    });
    const caseId = m.body.case_id;
    const marieId = (await s.request('GET', '/api/v1/me', { cookie: marie })).body.id;
    await s.request('PATCH', `/api/v1/cases/${caseId}`, { cookie: marie, body: { assignee_id: null } });
    await s.request('PATCH', `/api/v1/cases/${caseId}`, { cookie: marie, body: { assignee_id: marieId } });
    const reply = await s.request('POST', `/api/v1/cases/${caseId}/replies`, {
      cookie: marie,
      body: { text: 'Nous regardons.', resolve: true },
    });
    expect(reply.status).toBe(202);
    s.ctx.kickOutbox();
    const events = await until('three events', async () => {
      const got = rx.received
        .map((x) => JSON.parse(x.body))
        .filter((b) => b.case?.id === caseId)
        .map((b) => b.event);
      const need = ['case.assigned', 'case.resolved', 'case.replied'];
      return need.every((e) => got.includes(e)) && got;
    });
    const assigned = rx.received
      .map((x) => JSON.parse(x.body))
      .filter((b) => b.event === 'case.assigned' && b.case.id === caseId && b.data.assignee_id === marieId);
    expect(assigned).toHaveLength(1);
    expect(events.filter((e: string) => e === 'case.resolved')).toHaveLength(1);
    expect(assigned[0].case.assignee).toMatchObject({ id: marieId, name: 'Marie Lefèvre' });
  });

  it('removes a webhook with its deliveries', async () => {
    expect((await s.request('DELETE', `/api/v1/webhooks/${hookId}`, { cookie: marie })).status).toBe(204);
    expect((await s.request('DELETE', `/api/v1/webhooks/${hookId}`, { cookie: marie })).status).toBe(404);
    const left = await db().pool.query('select count(*)::int as n from webhook_deliveries');
    expect(left.rows[0].n).toBe(0);
  });
});

describeEachDatabase('outgoing webhooks never reach private addresses', (db) => {
  let s: TestServer;
  let marie: string;
  let rx: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    rx = await receiver();
    s = await startTestServer(db().url);
    marie = await s.login('marie@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
    await rx?.close();
  });

  it('refuses to save loopback, private and link-local targets, and non-http URLs', async () => {
    for (const url of [
      rx.url,
      'http://localhost:9/hook',
      'http://10.1.2.3/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/',
      'ftp://example.com/hook',
      'https://user:pw@example.com/hook',
    ]) {
      const r = await s.request('POST', '/api/v1/webhooks', { cookie: marie, body: { url, events: ['case.created'] } });
      expect(r.status, url).toBe(400);
      expect(r.body.field).toBe('url');
    }
  });

  it('refuses at delivery time too (a target saved before, or a name that now resolves locally)', async () => {
    const orgId = s.ctx.directory().orgId;
    const hook = await db().pool.query(
      `insert into webhooks (org_id, url, secret, events) values ($1, $2, 'whsec_test', '{case.created}') returning id`,
      [orgId, rx.url.replace('127.0.0.1', 'localhost')],
    );
    await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', external_id: 'ssrf-1', account: '@AirSocial', author: { handle: '@x' }, text: 'x' },
    });
    const row = await until('the refusal', async () => {
      const r = await db().pool.query(
        'select status, attempts, last_error from webhook_deliveries where webhook_id = $1',
        [hook.rows[0].id],
      );
      return r.rows[0]?.status === 'failed' && r.rows[0];
    });
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/^refused: .*private or local address/);
    expect(rx.received).toEqual([]);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('POST /api/v1/messages (contract)', (db) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(db().url, { PASSEUR_BODY_LIMIT: '65536' });
  });
  afterAll(async () => {
    await s?.close();
  });

  const body = (external_id: string, extra: Record<string, unknown> = {}) => ({
    channel: 'sandbox',
    external_id,
    account: '@AirSocial',
    author: { handle: '@lea_client', name: 'Jeanne' },
    text: 'Mon vol AS123 est annulé, que faire ?',
    ...extra,
  });

  it('answers 202 with the message and case ids, and the same ids on a replay', async () => {
    const a = await s.request('POST', '/api/v1/messages', { token: s.token, body: body('api-1') });
    expect(a.status).toBe(202);
    expect(a.body).toEqual({ message_id: expect.any(Number), case_id: expect.any(Number) });
    const b = await s.request('POST', '/api/v1/messages', { token: s.token, body: body('api-1') });
    expect(b.status).toBe(202);
    expect(b.body).toEqual(a.body);
    const c = await s.request('GET', `/api/v1/cases/${a.body.case_id}`, { token: s.token });
    expect(c.status).toBe(200);
    expect(c.body.messages).toHaveLength(1);
    expect(c.body.messages[0]).toMatchObject({ external_id: 'api-1', channel: 'sandbox', direction: 'in' });
    expect(c.body.messages[0].text).toContain('AS123');
  });

  it('refuses an invalid body with 400 naming the field, and keeps it as a dead letter', async () => {
    const missing = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', author: { handle: 'x' }, text: 'no id' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('external_id');
    const badDate = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: body('api-2', { created_at: 'yesterday' }),
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.field).toBe('created_at');
    const badChannel = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: body('api-3', { channel: 'Blue Sky!' }),
    });
    expect(badChannel.body.field).toBe('channel');
    const unknown = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: body('api-4', { in_reply_too: 'x' }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('in_reply_too');
    const dead = await db().pool.query(`select reason from dead_letters where source like 'api:%' order by id`);
    expect(dead.rows.map((r) => r.reason).join('\n')).toContain('external_id');
    expect(dead.rowCount).toBeGreaterThanOrEqual(4);
  });

  it('refuses broken JSON, wrong media types and oversized bodies cleanly', async () => {
    const broken = await s.request('POST', '/api/v1/messages', { token: s.token, body: '{"channel": "sandbox",' });
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('invalid_json');
    const huge = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: body('api-big', { text: 'x'.repeat(70_000) }),
    });
    expect(huge.status).toBe(413);
    const res = await fetch(`${s.base}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/xml' },
      body: '<message/>',
    });
    expect(res.status).toBe(415);
    const health = await s.request('GET', '/healthz');
    expect(health.status).toBe(200);
  });

  it('needs a valid token with the ingest scope', async () => {
    expect((await s.request('POST', '/api/v1/messages', { body: body('api-5') })).status).toBe(401);
    expect((await s.request('POST', '/api/v1/messages', { token: 'psr_forged', body: body('api-5') })).status).toBe(
      401,
    );
    const cookie = await s.login('lea@airsocial.example');
    const asPerson = await s.request('POST', '/api/v1/messages', { cookie, body: body('api-5') });
    expect(asPerson.status).toBe(403);
  });

  it('rate-limits a token with 429 and Retry-After', async () => {
    // A server of its own with a tiny limit (5/s, bursts of 10), so the outcome does not depend on timing.
    const limited = await startTestServer(db().url, { PASSEUR_TOKEN_RATE: '5' });
    try {
      const statuses: { status: number; headers: Headers }[] = [];
      for (let i = 0; i < 30; i++) {
        statuses.push(
          await limited.request('POST', '/api/v1/messages', { token: limited.token, body: body(`rl-${i}`) }),
        );
      }
      const refused = statuses.filter((r) => r.status === 429);
      expect(refused.length).toBeGreaterThanOrEqual(10);
      expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((r) => r.status === 202).length).toBeGreaterThanOrEqual(10);
      // Another token keeps its own budget.
      expect(
        (await limited.request('POST', '/api/v1/messages', { token: s.token, body: body('rl-other') })).status,
      ).toBe(202);
    } finally {
      await limited.close();
    }
  });

  it('serves the OpenAPI description with the ingest contract', async () => {
    const r = await s.request('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    const op = r.body.paths['/api/v1/messages'].post;
    expect(Object.keys(op.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['channel', 'external_id', 'author', 'text', 'in_reply_to']),
    );
  });

  it('reports readiness and metrics', async () => {
    expect((await s.request('GET', '/readyz')).body.status).toBe('ready');
    const m = await fetch(`${s.base}/metrics`);
    expect(await m.text()).toContain('passeur_http_requests_total');
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDatabase } from '../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../test/support/server.ts';
import { type Connector, SendError } from './connector.ts';

/**
 * A network of the test's own: its "server" is an in-memory list of posts, read by polling with an index
 * cursor; it can be told to fail. Exercises the platform every real connector relies on.
 */
const feed: unknown[] = [];
let failNext: SendError | null = null;
let polls = 0;
const sent: { text: string; token: string }[] = [];

const testnet: Connector<{ label: string }, { token: string }> = {
  manifest: {
    network: 'testnet',
    displayName: 'Test network',
    maxLength: 280,
    supportsPrivate: false,
    inbound: ['poll'],
    kinds: ['account', 'monitor'],
    canReply: true,
  },
  configSchema: z.strictObject({ label: z.string().min(1) }),
  credentialsSchema: z.strictObject({ token: z.string().min(8) }),
  defaultPollMs: 50,
  async poll(_rt, account) {
    polls++;
    if (failNext) {
      const e = failNext;
      failNext = null;
      throw e;
    }
    const from = typeof account.cursor === 'number' ? account.cursor : 0;
    return { messages: feed.slice(from, from + 5), cursor: Math.min(feed.length, from + 5), nextPollMs: 50 };
  },
  async send(_db, post, account) {
    sent.push({ text: post.text, token: account.credentials.token });
    return { externalId: `tn-${post.idempotencyKey}` };
  },
  async test(_rt, account) {
    return { ok: account.credentials.token.startsWith('good'), detail: `label ${account.config.label}` };
  },
};

const post = (i: number) => ({
  channel: 'testnet',
  external_id: `tn-in-${i}`,
  account: '@brand_tn',
  author: { handle: `@c${i}` },
  text: `Bonjour, mon vol numéro ${i} est en retard`,
});

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

describeEachDatabase('channel accounts and the inbound runner', (db) => {
  let s: TestServer;
  let marie: string;
  let accountId: number;
  const count = async () =>
    (await db().pool.query(`select count(*)::int as n from messages where channel = 'testnet' and direction = 'in'`))
      .rows[0].n;

  beforeAll(async () => {
    feed.length = 0;
    s = await startTestServer(db().url, {}, { connectors: [testnet] });
    marie = await s.login('marie@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('connects an account with validated settings; credentials are encrypted and never returned', async () => {
    const fr = s.ctx.directory().communities.values().next().value!;
    const bad = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: fr.id,
        network: 'testnet',
        handle: '@brand_tn',
        config: { label: '' },
        credentials: { token: 'x' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(['config.label']);
    const lea = await s.login('lea@airsocial.example');
    expect(
      (
        await s.request('POST', '/api/v1/accounts', {
          cookie: lea,
          body: { community_id: fr.id, network: 'testnet', handle: '@x' },
        })
      ).status,
    ).toBe(403);
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: fr.id,
        network: 'testnet',
        handle: '@brand_tn',
        config: { label: 'main' },
        credentials: { token: 'good-secret-token' },
      },
    });
    expect(r.status).toBe(201);
    accountId = r.body.id;
    expect(r.body).toMatchObject({ network: 'testnet', has_credentials: true, config: { label: 'main' } });
    expect(JSON.stringify(r.body)).not.toContain('good-secret-token');
    const list = await s.request('GET', '/api/v1/accounts', { cookie: marie });
    expect(JSON.stringify(list.body)).not.toContain('good-secret-token');
    const stored = await db().pool.query('select credentials from channel_accounts where id = $1', [accountId]);
    expect(stored.rows[0].credentials.toString('latin1')).not.toContain('good-secret-token');
    expect((await s.request('POST', `/api/v1/accounts/${accountId}/test`, { cookie: marie })).body).toEqual({
      ok: true,
      detail: 'label main',
    });
    const dup = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: { community_id: fr.id, network: 'testnet', handle: '@Brand_TN', config: { label: 'x' } },
    });
    expect(dup.status).toBe(409);
  });

  it('polls messages in, saves the cursor after each commit, and dead-letters invalid payloads', async () => {
    feed.push(post(1), post(2), { channel: 'testnet', external_id: 'tn-bad', author: {}, text: 'no handle' }, post(3));
    await until(async () => (await count()) === 3);
    const dead = await db().pool.query(`select source, reason from dead_letters where source like 'testnet:%'`);
    expect(dead.rows).toEqual([{ source: 'testnet:@brand_tn', reason: 'author.handle: required' }]);
    await until(
      async () =>
        (await db().pool.query('select cursor from channel_accounts where id = $1', [accountId])).rows[0].cursor === 4,
    );
    // Replies go out through the connector with the account's decrypted credentials.
    const m = await db().pool.query(`select case_id from messages where external_id = 'tn-in-1'`);
    const lea = await s.login('lea@airsocial.example');
    const reply = await s.request('POST', `/api/v1/cases/${m.rows[0].case_id}/replies`, {
      cookie: lea,
      body: { text: 'Nous regardons.' },
    });
    expect(reply.status).toBe(202);
    s.ctx.kickOutbox();
    await until(async () => sent.length === 1);
    expect(sent[0]).toEqual({ text: 'Nous regardons.', token: 'good-secret-token' });
  });

  it('resumes from its cursor after a restart: nothing lost, nothing read twice', async () => {
    await s.close();
    feed.push(post(4), post(5));
    const pollsBefore = polls;
    s = await startTestServer(db().url, {}, { connectors: [testnet] });
    marie = await s.login('marie@airsocial.example');
    await until(async () => (await count()) === 5);
    expect(polls).toBeGreaterThan(pollsBefore);
    const ids = await db().pool.query(
      `select external_id from messages where channel = 'testnet' and direction = 'in' order by id`,
    );
    expect(ids.rows.map((r) => r.external_id)).toEqual(['tn-in-1', 'tn-in-2', 'tn-in-3', 'tn-in-4', 'tn-in-5']);
  });

  it('backs off after a transient error and parks the account on an authentication error', async () => {
    failNext = new SendError('transient', 'HTTP 503 from the network');
    await until(
      async () =>
        (await db().pool.query('select failure_count from channel_accounts where id = $1', [accountId])).rows[0]
          .failure_count === 0 && failNext === null,
    );
    feed.push(post(6));
    await until(async () => (await count()) === 6);
    failNext = new SendError('auth', 'token revoked');
    await until(
      async () =>
        (await db().pool.query('select status from channel_accounts where id = $1', [accountId])).rows[0].status ===
        'needs_reconnect',
    );
    const health = (await s.request('GET', '/api/v1/accounts', { cookie: marie })).body.find(
      (a: { id: number }) => a.id === accountId,
    );
    expect(health).toMatchObject({ status: 'needs_reconnect', health: { last_error: 'auth: token revoked' } });
    const pollsParked = polls;
    feed.push(post(7));
    await new Promise((r) => setTimeout(r, 400));
    expect(polls).toBe(pollsParked);
    // The admin fixes the credentials: polling resumes and catches up.
    const fixed = await s.request('PATCH', `/api/v1/accounts/${accountId}`, {
      cookie: marie,
      body: { credentials: { token: 'good-new-token' } },
    });
    expect(fixed.body.status).toBe('active');
    await until(async () => (await count()) === 7);
  });

  it('pauses a whole community with the kill switch: replies wait', async () => {
    const acc = (await s.request('GET', '/api/v1/accounts', { cookie: marie })).body.find(
      (a: { id: number }) => a.id === accountId,
    );
    const paused = await s.request('POST', `/api/v1/communities/${acc.community_id}/pause`, {
      cookie: marie,
      body: { paused: true },
    });
    expect(paused.body.paused).toBe(true);
    const m = await db().pool.query(`select case_id from messages where external_id = 'tn-in-2'`);
    const r = await s.request('POST', `/api/v1/cases/${m.rows[0].case_id}/replies`, {
      cookie: marie,
      body: { text: 'Hello' },
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('account_paused');
    await s.request('POST', `/api/v1/communities/${acc.community_id}/pause`, {
      cookie: marie,
      body: { paused: false },
    });
    const audit = await db().pool.query(
      `select action from audit_events where action like 'community.%' or action like 'account.%' order by id`,
    );
    expect(audit.rows.map((x) => x.action)).toEqual([
      'account.connected',
      'account.updated',
      'community.paused',
      'community.resumed',
    ]);
  });
});

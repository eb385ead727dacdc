import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeAccount, startFakeMastodon } from '../../../test/fixtures/mastodon/fake-mastodon.ts';
import {
  communityId,
  countMessages,
  deadLetters,
  messageRow,
  reply,
  until,
} from '../../../test/fixtures/social/harness.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

const TOKEN = 'mastodon-app-token-0001';
const ME: FakeAccount = { id: '100', username: 'airsocial', acct: 'airsocial', display_name: 'AirSocial' };
const CAMILLE: FakeAccount = { id: '200', username: 'camille', acct: 'camille@piaille.fr', display_name: 'Camille' };
const HANS: FakeAccount = { id: '201', username: 'hans', acct: 'hans', display_name: 'Hans' };

describeEachDatabase('Mastodon through masto: streaming, notifications catch-up and statuses', (db) => {
  let s: TestServer;
  let fake: Awaited<ReturnType<typeof startFakeMastodon>>;
  let lea: string;
  let accountId: number;
  const start = () => startTestServer(db().url, { PASSEUR_ALLOW_PRIVATE_FETCH: '1' });
  const cursor = async () =>
    (await db().pool.query('select cursor from channel_accounts where id = $1', [accountId])).rows[0].cursor;
  const posted = () =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses').map((r) => JSON.parse(r.body));

  beforeAll(async () => {
    fake = await startFakeMastodon({ token: TOKEN, me: ME, maxCharacters: 300 });
    fake.mention({ from: CAMILLE, text: '@airsocial mon vol AF1234 a 3 h de retard, que faire ?' });
    s = await start();
    const marie = await s.login('marie@airsocial.example');
    lea = await s.login('lea@airsocial.example');
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: communityId(s, 'airsocial-fr'),
        network: 'mastodon',
        handle: '@airsocial@fake.example',
        config: { instance_url: fake.url, poll_interval_seconds: 30 },
        credentials: { access_token: TOKEN },
      },
    });
    expect(r.status).toBe(201);
    accountId = r.body.id;
  });
  afterAll(async () => {
    await s?.close();
    await fake?.close();
  });

  it('reads the latest mentions first, into the account’s community, and keeps the cursor', async () => {
    await until(async () => (await countMessages(db(), 'mastodon')) === 1);
    const [status] = [...fake.statuses.values()];
    expect(await messageRow(db(), 'mastodon', status!.id as string)).toMatchObject({
      kind: 'mention',
      author_handle: '@camille@piaille.fr',
      text: '@airsocial mon vol AF1234 a 3 h de retard, que faire ?',
      community_id: communityId(s, 'airsocial-fr'),
    });
    await until(async () => (await cursor())?.since_id !== undefined);
    const list = fake.requests.find((r) => r.path === '/api/v1/notifications')!;
    expect(list.query.getAll('types[]')).toEqual(['mention']);
  });

  it('streams mentions as they happen; leaves out its own statuses and other notifications', async () => {
    await until(() => fake.streamSubscribers > 0);
    const direct = fake.mention({ from: HANS, text: '@airsocial Bonjour, mon dossier ABC123', visibility: 'direct' });
    const t0 = Date.now();
    await until(async () => (await messageRow(db(), 'mastodon', direct.status.id)) !== undefined, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await messageRow(db(), 'mastodon', direct.status.id)).toMatchObject({
      kind: 'dm',
      author_handle: `@hans@${new URL(fake.url).host}`,
    });
    const before = await countMessages(db(), 'mastodon');
    const own = fake.mention({ from: ME, text: '@airsocial note to self' });
    fake.favourite(CAMILLE, own.status.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(await countMessages(db(), 'mastodon')).toBe(before);
  });

  it('dead-letters a malformed notification with the reason', async () => {
    fake.streamRaw({
      id: '1',
      type: 'mention',
      account: {},
      status: { id: '424242', content: '<p>hi</p>', visibility: 'public', account: {} },
    });
    await until(async () => (await deadLetters(db(), 'mastodon:')).length === 1);
    const [dead] = await deadLetters(db(), 'mastodon:');
    expect(dead!.reason).toBe('author.handle: required');
    expect(JSON.parse(dead!.payload)).toMatchObject({ type: 'mention', status: { id: '424242' } });
  });

  it('answers in the thread with the customer’s visibility, mentioning them, cut to the instance’s limit', async () => {
    const [first] = [...fake.statuses.values()];
    const m = await messageRow(db(), 'mastodon', first!.id as string);
    fake.requests.length = 0;
    const sent = await reply(s, db(), lea, m.case_id, {
      text: 'Bonjour Camille, nous regardons votre correspondance.',
    });
    expect(sent.status).toBe('sent');
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/api/v1/statuses/${first!.id}`)).toBe(true);
    expect(posted()).toEqual([
      {
        status: '@camille@piaille.fr Bonjour Camille, nous regardons votre correspondance.',
        visibility: 'unlisted',
        in_reply_to_id: first!.id,
      },
    ]);
    const req = fake.requests.find((r) => r.method === 'POST')!;
    expect(req.headers['idempotency-key']).toMatch(/:0$/);
    expect((await messageRow(db(), 'mastodon', sent.external_id!)).direction).toBe('out');

    const direct = (
      await db().pool.query(`select case_id, external_id from messages where channel = 'mastodon' and kind = 'dm'`)
    ).rows[0];
    fake.requests.length = 0;
    const long = `${'Nous avons bien reçu votre dossier et nous le traitons en priorité. '.repeat(6)}Merci.`;
    const answered = await reply(s, db(), lea, direct.case_id, { text: long });
    expect(answered.status).toBe('sent');
    const parts = posted();
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.visibility === 'direct' && p.status.startsWith('@hans '))).toBe(true);
    expect(parts.every((p) => [...p.status].length <= 300)).toBe(true);
    expect(parts[0].in_reply_to_id).toBe(direct.external_id);
    expect(parts[1].in_reply_to_id).toBe(answered.external_id);
  });

  it('resumes from its cursor after a restart: nothing lost, nothing read twice', async () => {
    await s.close();
    const saved = (await cursor()).since_id;
    const before = await countMessages(db(), 'mastodon');
    const a = fake.mention({ from: CAMILLE, text: '@airsocial toujours rien ?', stream: false });
    const b = fake.mention({ from: HANS, text: '@airsocial et maintenant ?', inReplyTo: a.status.id, stream: false });
    fake.requests.length = 0;
    s = await start();
    lea = await s.login('lea@airsocial.example');
    await until(async () => (await countMessages(db(), 'mastodon')) === before + 2);
    const read = fake.requests.find((r) => r.path === '/api/v1/notifications')!;
    expect(read.query.get('min_id')).toBe(saved);
    expect((await messageRow(db(), 'mastodon', b.status.id)).in_reply_to).toBe(a.status.id);
    await until(async () => (await cursor()).since_id === b.notification.id);
    expect(await countMessages(db(), 'mastodon')).toBe(before + 2);
  });

  it('waits for X-RateLimit-Reset when the instance answers 429, then catches up', async () => {
    await s.close();
    fake.state.limited = 1;
    fake.state.limitSeconds = 2;
    const before = await countMessages(db(), 'mastodon');
    fake.mention({ from: CAMILLE, text: '@airsocial allô ?', stream: false });
    fake.requests.length = 0;
    s = await start();
    await until(
      async () =>
        (await db().pool.query('select status, last_error from channel_accounts where id = $1', [accountId])).rows[0]
          .status === 'rate_limited',
    );
    expect(
      (await db().pool.query('select last_error from channel_accounts where id = $1', [accountId])).rows[0].last_error,
    ).toBe('rate_limited: Mastodon 429: Too many requests');
    await until(async () => (await countMessages(db(), 'mastodon')) === before + 1);
    // The next call waited for the reset time the refusal announced (2 s).
    const refused = fake.requests.findIndex((r) => r.path === '/api/v1/accounts/verify_credentials');
    const after = fake.requests.slice(refused + 1).find((r) => r.path === '/api/v1/accounts/verify_credentials')!;
    expect(after.at - fake.requests[refused]!.at).toBeGreaterThanOrEqual(1500);
  });

  it('refuses an instance on a private address unless the deployment allows it; masto never calls it', async () => {
    await s.close();
    s = await startTestServer(db().url);
    const marie = await s.login('marie@airsocial.example');
    fake.requests.length = 0;
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: communityId(s, 'airsocial-de'),
        network: 'mastodon',
        handle: '@airsocial_de@fake.example',
        config: { instance_url: fake.url },
        credentials: { access_token: 'another-token-0002' },
      },
    });
    await until(
      async () =>
        (await db().pool.query('select status from channel_accounts where id = $1', [r.body.id])).rows[0].status ===
        'failed',
    );
    const row = (await db().pool.query('select last_error from channel_accounts where id = $1', [r.body.id])).rows[0];
    expect(row.last_error).toMatch(/^permanent: instance unreachable: .*private or local address/);
    expect(fake.requests.filter((q) => q.headers.authorization === 'Bearer another-token-0002')).toEqual([]);
  });
});

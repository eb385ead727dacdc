import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blueskySuiteEnabled, LocalBluesky, type LocalUser } from '../../../test/fixtures/bluesky/network.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { createBlueskyConnector } from './connector.ts';
import type { FetchLike } from './http.ts';

/**
 * Bluesky against the official local network (PLC + PDS + AppView from @atproto/dev-env): customers post on the
 * PDS, the AppView indexes, Passeur reads the brand's notifications and the PDS firehose, and publishes replies
 * that are checked on the AppView.
 */
const enabled = await blueskySuiteEnabled('Bluesky connector');
const suite = enabled ? describeEachDatabase : (title: string, _body: unknown) => describe.skip(title, () => {});

/** Rate limits the local PDS does not have: the next calls to a method answer 429 with a reset time. */
const faults: { method: string; times: number; resetInSeconds: number }[] = [];
const wrapFetch = (f: FetchLike): FetchLike => {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const fault = faults.find((x) => x.times > 0 && url.includes(`/xrpc/${x.method}`));
    if (fault) {
      fault.times--;
      return new Response(JSON.stringify({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }), {
        status: 429,
        headers: {
          'content-type': 'application/json',
          'ratelimit-limit': '3000',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + fault.resetInSeconds),
        },
      });
    }
    return f(input, init);
  };
};

async function until<T>(check: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('Bluesky connector', (db) => {
  let bsky: LocalBluesky;
  let s: TestServer;
  let brand: LocalUser;
  let brandEn: LocalUser;
  let alice: LocalUser;
  let bruno: LocalUser;
  let carla: LocalUser;
  let dave: LocalUser;
  let marie: string;
  let frCommunity: number;
  let enCommunity: number;
  let accountId: number;
  let mention: { uri: string; cid: string };
  let reply: { uri: string; caseId: number };
  let answer: { uri: string; cid: string };
  const connector = createBlueskyConnector({ wrapFetch });
  const start = () => startTestServer(db().url, { PASSEUR_ALLOW_PRIVATE_FETCH: '1' }, { connectors: [connector] });

  const message = async (uri: string) =>
    (
      await db().pool.query(
        `select m.id, m.case_id, m.account_id, m.kind, m.author_handle, m.in_reply_to, m.meta, m.direction,
           c.community_id
         from messages m join cases c on c.id = m.case_id where m.channel = 'bluesky' and m.external_id = $1`,
        [uri],
      )
    ).rows[0];
  const sendReply = async (caseId: number, text: string) => {
    const r = await s.request('POST', `/api/v1/cases/${caseId}/replies`, { cookie: marie, body: { text } });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    s.ctx.kickOutbox();
    return r.body.message_id as number;
  };
  const outbox = async (messageId: number) =>
    (await db().pool.query('select status, last_error, external_id from outbox where message_id = $1', [messageId]))
      .rows[0];
  const thread = async (uri: string) => {
    const r = await bsky.appview().app.bsky.feed.getPosts({ uris: [uri] });
    return r.data.posts[0];
  };

  beforeAll(async () => {
    bsky = await LocalBluesky.start(db().url);
    brand = await bsky.user('airsocial');
    brandEn = await bsky.user('airsocial-en');
    alice = await bsky.user('alice');
    bruno = await bsky.user('bruno');
    carla = await bsky.user('carla');
    dave = await bsky.user('dave');
    s = await start();
    marie = await s.login('marie@airsocial.example');
    const communities = [...s.ctx.directory().communities.values()];
    const brandId = s.ctx.directory().brands.find((b) => b.name === 'AirSocial')!.id;
    frCommunity = communities.find((c) => c.brandId === brandId && c.language === 'fr')!.id;
    enCommunity = communities.find((c) => c.brandId === brandId && c.language === 'en')!.id;
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await bsky?.close();
  });

  it('connects the brand account with an app password', async () => {
    const bad = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: frCommunity,
        network: 'bluesky',
        handle: '@airsocial.test',
        config: { service: 'ftp://nowhere' },
        credentials: { identifier: 'airsocial.test' },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(['config.service']);
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: frCommunity,
        network: 'bluesky',
        handle: '@airsocial.test',
        config: { service: bsky.pdsUrl, poll_interval_seconds: 1, web_url: 'https://bsky.example' },
        credentials: { identifier: brand.handle, app_password: await bsky.appPassword(brand) },
      },
    });
    expect(r.status).toBe(201);
    accountId = r.body.id;
    const test = await s.request('POST', `/api/v1/accounts/${accountId}/test`, { cookie: marie });
    expect(test.body).toMatchObject({ ok: true });
    expect(test.body.detail).toContain(brand.did);
  });

  it('turns a mention of the brand into a case of its community', async () => {
    mention = await bsky.post(
      alice,
      '@airsocial.test mon vol AS1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?',
    );
    const m = await until(() => message(mention.uri));
    expect(m).toMatchObject({ community_id: frCommunity, account_id: accountId, kind: 'post', direction: 'in' });
    expect(m.author_handle).toBe('@alice.test');
    expect(m.meta).toMatchObject({ reason: 'mention', author_did: alice.did, cid: mention.cid });
    expect(m.meta.url).toBe(`https://bsky.example/profile/alice.test/post/${mention.uri.split('/').pop()}`);
    // The cursor moves once the message is committed, and names the brand for the monitors.
    const cursor = await until(async () => {
      const r = await db().pool.query('select cursor from channel_accounts where id = $1', [accountId]);
      return r.rows[0].cursor?.seen_at ? r.rows[0].cursor : undefined;
    });
    expect(cursor).toMatchObject({ did: brand.did });
  });

  it('publishes a threaded reply with facets for mentions and links', async () => {
    const m = await message(mention.uri);
    const id = await sendReply(
      m.case_id,
      'Bonjour @alice.test, nous regardons votre correspondance : https://airsocial.example/aide',
    );
    const sent = await until(async () => {
      const o = await outbox(id);
      return o?.status === 'sent' ? o : undefined;
    });
    expect(sent.external_id).toMatch(new RegExp(`^at://${brand.did}/app\\.bsky\\.feed\\.post/`));
    await bsky.settle();
    const post = await thread(sent.external_id);
    const record = post!.record as {
      reply: { root: { uri: string }; parent: { uri: string } };
      facets: { features: { $type: string; did?: string; uri?: string }[] }[];
      langs: string[];
    };
    expect(record.reply.parent.uri).toBe(mention.uri);
    expect(record.reply.root.uri).toBe(mention.uri);
    expect(record.langs).toEqual(['fr']);
    const features = record.facets.flatMap((f) => f.features);
    expect(features).toContainEqual(expect.objectContaining({ did: alice.did }));
    expect(features).toContainEqual(expect.objectContaining({ uri: 'https://airsocial.example/aide' }));
    reply = { uri: sent.external_id, caseId: m.case_id };
  });

  it('keeps a customer answering the brand in the same case, and never takes the brand’s posts in', async () => {
    const parent = await thread(reply.uri);
    answer = await bsky.post(alice, 'merci, et pour mon bagage ?', {
      root: { uri: mention.uri, cid: mention.cid },
      parent: { uri: reply.uri, cid: parent!.cid },
    });
    const m = await until(() => message(answer.uri));
    expect(m).toMatchObject({ case_id: reply.caseId, kind: 'reply', in_reply_to: reply.uri });
    const inbound = await db().pool.query(
      `select count(*)::int as n from messages where channel = 'bluesky' and direction = 'in' and author_handle = $1`,
      [`@${brand.handle}`],
    );
    expect(inbound.rows[0].n).toBe(0);
  });

  it('splits a long reply into a thread, each part answering the previous one', async () => {
    const m = await message(mention.uri);
    const long = Array.from(
      { length: 14 },
      (_, i) => `Point ${i + 1} : nous avons bien noté votre demande et revenons vers vous rapidement.`,
    ).join(' ');
    const id = await sendReply(m.case_id, long);
    const sent = await until(async () => {
      const o = await outbox(id);
      return o?.status === 'sent' ? o : undefined;
    });
    await bsky.settle();
    const client = bsky.appview();
    const posts: {
      uri: string;
      record: { text: string; reply: { root: { uri: string }; parent: { uri: string } } };
    }[] = [];
    let uri: string | undefined = sent.external_id;
    // Walk the thread down from the first part.
    while (uri) {
      const t = await client.app.bsky.feed.getPostThread({ uri, depth: 1 });
      const node = t.data.thread as unknown as {
        post: { uri: string; record: (typeof posts)[number]['record'] };
        replies?: { post: { uri: string; author: { did: string } } }[];
      };
      posts.push({ uri: node.post.uri, record: node.post.record });
      uri = node.replies?.find((r) => r.post.author.did === brand.did)?.post.uri;
    }
    expect(posts.length).toBeGreaterThanOrEqual(3);
    // The reply answers the customer's latest message in the case, in the thread of her first post.
    expect(posts[0]!.record.reply.parent.uri).toBe(answer.uri);
    for (const [i, p] of posts.entries()) {
      expect([...new Intl.Segmenter().segment(p.record.text)].length).toBeLessThanOrEqual(300);
      expect(p.record.text).toMatch(new RegExp(`${i + 1}/${posts.length}$`));
      expect(p.record.reply.root.uri).toBe(mention.uri);
      if (i > 0) expect(p.record.reply.parent.uri).toBe(posts[i - 1]!.uri);
    }
  });

  it('resumes from its notification cursor after a restart: nothing lost, nothing read twice', async () => {
    await s.close();
    const b = await bsky.post(bruno, '@airsocial.test ma valise n’est pas arrivée à Genève');
    const c = await bsky.post(carla, '@airsocial.test remboursement du vol annulé AS88 ?');
    s = await start();
    marie = await s.login('marie@airsocial.example');
    await until(() => message(b.uri));
    await until(() => message(c.uri));
    const all = await db().pool.query(
      `select external_id, count(*)::int as n from messages where channel = 'bluesky' and direction = 'in'
       group by external_id having count(*) > 1`,
    );
    expect(all.rows).toEqual([]);
    const ins = await db().pool.query(
      `select count(*)::int as n from messages where channel = 'bluesky' and direction = 'in'`,
    );
    expect(ins.rows[0].n).toBe(4);
  });

  it('backs off when the network rate-limits reading and publishing, then catches up', async () => {
    faults.push({ method: 'app.bsky.notification.listNotifications', times: 1, resetInSeconds: 2 });
    await until(async () => {
      const r = await db().pool.query('select status, last_error from channel_accounts where id = $1', [accountId]);
      return r.rows[0].status === 'rate_limited' && String(r.rows[0].last_error).startsWith('rate_limited:');
    });
    const d = await bsky.post(dave, '@airsocial.test is the lounge in Geneva open?');
    await until(() => message(d.uri));
    faults.push({ method: 'com.atproto.repo.createRecord', times: 1, resetInSeconds: 2 });
    const m = await message(d.uri);
    const id = await sendReply(m.case_id, 'Yes, from 5:00.');
    const limited = await until(async () => {
      const o = await outbox(id);
      return o?.last_error?.startsWith('rate_limited:') ? o : undefined;
    });
    expect(limited.status).toBe('pending');
    const sent = await until(async () => {
      const o = await outbox(id);
      return o?.status === 'sent' ? o : undefined;
    });
    expect(sent.last_error).toBeNull();
  });

  it('hears untagged posts with a keyword monitor: mentions to consider, not reply targets', async () => {
    const en = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: enCommunity,
        network: 'bluesky',
        handle: '@airsocial-en.test',
        config: { service: bsky.pdsUrl, poll_interval_seconds: 1 },
        credentials: { identifier: brandEn.handle, app_password: await bsky.appPassword(brandEn) },
      },
    });
    expect(en.status).toBe(201);
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: enCommunity,
        network: 'bluesky',
        handle: 'airsocial-en-listening',
        kind: 'monitor',
        config: { keywords: ['AirSocial'], firehose: bsky.firehoseUrl, appview: bsky.appviewUrl },
      },
    });
    expect(r.status).toBe(201);
    const monitorId = r.body.id;
    // Let the monitor connect before the posts it must hear.
    await until(async () => {
      const a = await db().pool.query('select last_success_at, cursor from channel_accounts where id = $1', [
        monitorId,
      ]);
      return a.rows[0].cursor !== null || a.rows[0].last_success_at !== null || undefined;
    }, 5000).catch(() => {});
    const untagged = await bsky.post(dave, 'never flying AirSocial again, 4h on the tarmac');
    const partOfWord = await bsky.post(carla, 'the airsocialite magazine is out');
    const own = await bsky.post(brand, 'AirSocial summer schedule is online');
    const addressed = await bsky.post(bruno, '@airsocial.test AirSocial lost my bag again');
    const m = await until(() => message(untagged.uri));
    expect(m).toMatchObject({ community_id: enCommunity, account_id: monitorId, kind: 'mention' });
    expect(m.author_handle).toBe('@dave.test');
    expect(m.meta).toMatchObject({ keywords: ['AirSocial'], monitor: true, proactive_replies: false });
    const viaBrand = await until(() => message(addressed.uri));
    expect(viaBrand.account_id).toBe(accountId);
    expect(await message(partOfWord.uri)).toBeUndefined();
    expect(await message(own.uri)).toBeUndefined();
    // Replying to someone who did not address the brand needs the leader's consent, whichever account answers.
    const id = await sendReply(m.case_id, 'Sorry to hear that, can we help?');
    const failed = await until(async () => {
      const o = await outbox(id);
      return o?.status === 'failed' ? o : undefined;
    });
    expect(failed.last_error).toContain('proactive replies are off');
  });

  it('dead-letters a malformed post from the network with the reason', async () => {
    const bad = await alice.agent.com.atproto.repo.createRecord({
      repo: alice.did,
      collection: 'app.bsky.feed.post',
      validate: false,
      record: {
        $type: 'app.bsky.feed.post',
        text: 'AirSocial is the worst',
        createdAt: new Date().toISOString(),
        reply: {
          root: { uri: `at://${'x'.repeat(600)}`, cid: 'bafy' },
          parent: { uri: `at://${'x'.repeat(600)}`, cid: 'bafy' },
        },
      },
    });
    const dead = await until(async () => {
      const r = await db().pool.query(`select source, reason, payload from dead_letters where payload like $1`, [
        `%${bad.data.uri}%`,
      ]);
      return r.rows[0];
    });
    expect(dead.source).toBe('bluesky:airsocial-en-listening');
    expect(dead.reason).toContain('in_reply_to');
    expect(await message(bad.data.uri)).toBeUndefined();
  });
});

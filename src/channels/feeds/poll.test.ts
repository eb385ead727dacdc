import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FeedPeer,
  fixture,
  publishSamples,
  rssItem,
  SAMPLE_FEEDS,
  withItems,
} from '../../../test/fixtures/feeds/peer.ts';
import { inboundMessageSchema } from '../../domain/ingest/model.ts';
import type { Queryable } from '../../server/db/database.ts';
import { safeFetch } from '../../server/http/safe-fetch.ts';
import { type ChannelRuntime, SendError } from '../connector.ts';
import { type FeedsConfig, feedsConfigSchema } from './config.ts';
import { pollFeeds } from './poll.ts';

/**
 * The poll cycle against a local feed server, with the clock in the test's hands: what is read, what is
 * kept, what the cursor remembers, and how failures wait.
 */
const peer = new FeedPeer();
let ingested: { external_id: string; text: string; [k: string]: unknown }[] = [];

const rt: ChannelRuntime = {
  async ingest(_source, payloads) {
    // The same validation the platform applies: a payload the runtime would dead-letter fails the test.
    for (const p of payloads) ingested.push(inboundMessageSchema.parse(p) as (typeof ingested)[number]);
    return { results: payloads.map(() => null), refused: 0 };
  },
  async deadLetter() {},
  fetch: (url, init = {}) =>
    safeFetch(url, {
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(init.timeoutMs ? { timeoutMs: init.timeoutMs } : {}),
      ...(init.maxBytes ? { maxBytes: init.maxBytes } : {}),
      allowPrivate: true,
    }),
  accounts: async () => [],
  db: { query: async () => ({ rows: [{ name: 'AirSocial', keywords: ['airsocial'] }] }) } as unknown as Queryable,
  log: pino({ level: 'silent' }),
};

function monitor(config: Partial<FeedsConfig> & { feeds: string[] }, credentials = {}, status = 'active') {
  let cursor: unknown = null;
  const parsed = feedsConfigSchema.parse({ interval_seconds: 60, ...config });
  return {
    get cursor() {
      return cursor as { feeds: Record<string, { seen: string[]; etag?: string; error?: unknown; retry_at?: string }> };
    },
    /** One poll as the runner does it: ingest, then save the cursor; errors are returned, not thrown. */
    async poll(now: Date): Promise<{ ids: string[]; error?: SendError }> {
      const before = ingested.length;
      const account = {
        account: {
          id: 1,
          communityId: 1,
          network: 'feeds',
          handle: 'airsocial-fr-presse',
          displayName: 'Presse fr',
          kind: 'monitor',
          paused: false,
          status,
        },
        config: parsed,
        credentials: { basic_auth: {}, ...credentials },
        cursor,
        saveCursor: async (c: unknown) => {
          cursor = JSON.parse(JSON.stringify(c));
        },
      };
      try {
        const r = await pollFeeds(rt, account, now);
        await rt.ingest('test', r.messages);
        await account.saveCursor(r.cursor);
        return { ids: ingested.slice(before).map((m) => m.external_id) };
      } catch (err) {
        if (!(err instanceof SendError)) throw err;
        return { ids: ingested.slice(before).map((m) => m.external_id), error: err };
      }
    },
  };
}

const at = (s: number) => new Date(Date.parse('2025-06-03T12:00:00Z') + s * 1000);
const J7 = 'voyages-leman.example/2025/06/airsocial-bagages-geneve';
const KEYWORDS = ['AirSocial + bagage*', 'AirSocial + retard*', 'AirSocial + valise*'];

const ALL = [...SAMPLE_FEEDS];

beforeAll(async () => {
  await peer.start();
});
afterAll(() => peer.close());
beforeEach(() => {
  ingested = [];
  publishSamples(peer);
});

describe('polling feeds', () => {
  it('reads every format, keeps matching items once across feeds, then asks conditionally', async () => {
    const m = monitor({ feeds: ALL.map((p) => peer.url(p)), keywords: KEYWORDS, languages: ['fr'] });
    const first = await m.poll(at(0));
    expect(first.error).toBeUndefined();
    expect(new Set(first.ids)).toEqual(
      new Set([
        J7,
        'voyages-leman.example/breves/retard-airsocial-matin',
        `${J7}#comment-4411`,
        'gazette-romande.example/economie/2025/06/02/retards-airsocial-cointrin',
        'unterwegs-reiseblog.example/fr/2025/06/airsocial-bagages-lyon',
        'aeroports-chronique.example/chronique.php?id=311&lang=fr',
        'forum-voyageurs.example/t/airsocial-retard-5h/9921',
        'forum-voyageurs.example/t/valise-cassee/9930',
      ]),
    );
    const j7 = ingested.find((x) => x.external_id === J7)!;
    expect(j7).toEqual({
      channel: 'feeds',
      external_id: J7,
      account: 'airsocial-fr-presse',
      author: { handle: 'voyages-leman.example', name: 'Le Blog du Voyageur Léman' },
      text: expect.stringMatching(
        /^AirSocial perd encore des bagages à Genève\n\nTroisième valise égarée cette année à l’aéroport de Genève : une famille attend ses bagages/,
      ),
      created_at: '2025-06-03T06:15:00.000Z',
      meta: {
        kind: 'article',
        url: 'https://www.voyages-leman.example/2025/06/airsocial-bagages-geneve/',
        title: 'AirSocial perd encore des bagages à Genève',
        feed: peer.url('/voyages.rss'),
        site: 'Le Blog du Voyageur Léman',
        author: 'Claire Dumoulin',
        matched: ['AirSocial + bagage*', 'AirSocial + valise*'],
      },
    });
    const comment = ingested.find((x) => x.external_id === `${J7}#comment-4411`)!;
    expect(comment).toMatchObject({ in_reply_to: J7, meta: { author: 'Marc Rochat' } });
    // No date in the feed: the time it was first seen.
    expect(ingested.find((x) => x.external_id.includes('breves'))!.created_at).toBe(at(0).toISOString());
    expect(ingested.map((x) => x.created_at)).toEqual(ingested.map((x) => x.created_at).sort());

    const second = await m.poll(at(61));
    expect(second).toEqual({ ids: [] });
    for (const path of ALL) {
      const last = peer.to(path).at(-1)!;
      expect(last.status, path).toBe(304);
      // The gazette sends no ETag: Last-Modified alone validates.
      expect(last.headers[path === '/gazette.rdf' ? 'if-modified-since' : 'if-none-match'], path).toBeDefined();
    }
  });

  it('finds the items published between two polls, and only those', async () => {
    const m = monitor({ feeds: [peer.url('/voyages.rss'), peer.url('/gazette.rdf')], keywords: KEYWORDS });
    await m.poll(at(0));
    peer.set('/voyages.rss', {
      body: withItems(
        fixture('voyages.rss'),
        rssItem({
          title: 'AirSocial : mes bagages enfin retrouvés',
          link: 'https://www.voyages-leman.example/2025/06/bagages-retrouves/',
          description: 'Après six jours, la valise est revenue.',
          date: 'Wed, 04 Jun 2025 09:00:00 +0200',
        }),
      ),
      contentType: 'application/rss+xml',
    });
    const next = await m.poll(at(60));
    expect(next).toEqual({ ids: ['voyages-leman.example/2025/06/bagages-retrouves'] });
    expect(m.cursor.feeds[peer.url('/voyages.rss')]!.seen).toHaveLength(5);
  });

  it('waits as long as a 429 asks, keeps what the other feeds brought, and resumes', async () => {
    const m = monitor({ feeds: [peer.url('/gazette.rdf'), peer.url('/forum.rss')], keywords: KEYWORDS });
    await m.poll(at(0));
    const extra = rssItem({
      title: 'AirSocial : nouveau retard à Cointrin',
      link: 'https://gazette-romande.example/economie/2025/06/04/nouveau-retard',
      description: 'Encore.',
    });
    peer.set('/forum.rss', { body: withItems(fixture('forum-broken.rss'), extra), contentType: 'text/xml' });
    peer.fail('/gazette.rdf', 429, { 'retry-after': '120' });
    const limited = await m.poll(at(60));
    expect(limited.ids).toEqual(['gazette-romande.example/economie/2025/06/04/nouveau-retard']);
    expect(limited.error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
    expect(limited.error!.message).toContain(`${peer.url('/gazette.rdf')}: HTTP 429`);
    // The messages were committed and the cursor saved before the error was reported.
    expect(m.cursor.feeds[peer.url('/forum.rss')]!.seen).toHaveLength(3);
    const asked = peer.to('/gazette.rdf').length;
    await m.poll(at(150));
    expect(peer.to('/gazette.rdf')).toHaveLength(asked);
    const after = await m.poll(at(181));
    expect(peer.to('/gazette.rdf')).toHaveLength(asked + 1);
    expect(after.error).toBeUndefined();
    expect(m.cursor.feeds[peer.url('/gazette.rdf')]!.error).toBeUndefined();
  });

  it('backs off longer after each transient failure', async () => {
    const m = monitor({ feeds: [peer.url('/forum.rss')], keywords: KEYWORDS });
    peer.fail('/forum.rss', 503, {}, 3);
    const attempts: number[] = [];
    for (const t of [0, 30, 61, 150, 182, 400, 423]) {
      const before = peer.to('/forum.rss').length;
      const r = await m.poll(at(t));
      if (peer.to('/forum.rss').length > before) attempts.push(t);
      if (t < 423) expect(r.error?.kind, `t=${t}`).toBe('transient');
      else expect(r).toEqual({ ids: expect.any(Array) });
    }
    // Retried 60 s, then 120 s, then 240 s after each failure; the items come once it answers.
    expect(attempts).toEqual([0, 61, 182, 423]);
    expect(ingested).toHaveLength(2);
  });

  it('records a malformed feed as an error and loses none of its items once it is fixed', async () => {
    const m = monitor({ feeds: [peer.url('/voyages.rss'), peer.url('/late.rss')], keywords: KEYWORDS });
    peer.set('/late.rss', { body: fixture('truncated.rss'), contentType: 'application/rss+xml' });
    const bad = await m.poll(at(0));
    expect(bad.error).toMatchObject({ kind: 'transient' });
    expect(bad.error!.message).toMatch(/1 of 2 feeds failed: .*late\.rss: the document ends inside <rss>/);
    expect(m.cursor.feeds[peer.url('/late.rss')]).toMatchObject({ seen: [] });
    expect(m.cursor.feeds[peer.url('/late.rss')]!.etag).toBeUndefined();
    const fixedBody = Buffer.from(
      fixture('voyages.rss').toString().replaceAll('voyages-leman.example', 'late.example'),
    );
    peer.set('/late.rss', { body: fixedBody, contentType: 'application/rss+xml' });
    const fixed = await m.poll(at(60));
    expect(fixed.error).toBeUndefined();
    expect(fixed.ids.sort()).toEqual([
      'late.example/2025/06/airsocial-bagages-geneve',
      'late.example/breves/retard-airsocial-matin',
    ]);
  });

  it('sends basic authentication to the feed it is for; refused credentials mean "reconnect"', async () => {
    peer.set('/private.rss', {
      body: fixture('gazette.rdf'),
      contentType: 'application/rdf+xml',
      auth: 'presse:s3cret',
    });
    const anonymous = monitor({ feeds: [peer.url('/private.rss')], keywords: KEYWORDS });
    expect((await anonymous.poll(at(0))).error).toMatchObject({ kind: 'auth' });
    const mixed = monitor({ feeds: [peer.url('/private.rss'), peer.url('/forum.rss')], keywords: KEYWORDS });
    expect((await mixed.poll(at(0))).error).toMatchObject({ kind: 'transient' });
    const good = monitor(
      { feeds: [peer.url('/private.rss')], keywords: KEYWORDS },
      {
        basic_auth: { [peer.url('/private.rss')]: { username: 'presse', password: 's3cret' } },
      },
    );
    expect(await good.poll(at(0))).toEqual({
      ids: ['gazette-romande.example/economie/2025/06/02/retards-airsocial-cointrin'],
    });
  });

  it('retries a refused feed at once only when an admin reconnected the account', async () => {
    peer.set('/private.rss', {
      body: fixture('gazette.rdf'),
      contentType: 'application/rdf+xml',
      auth: 'presse:s3cret',
    });
    const feeds = [peer.url('/private.rss'), peer.url('/forum.rss')];
    const failing = monitor({ feeds, keywords: KEYWORDS }, {}, 'error');
    await failing.poll(at(0));
    const asked = peer.to('/private.rss').length;
    expect((await failing.poll(at(10))).error).toMatchObject({ kind: 'transient' });
    expect(peer.to('/private.rss')).toHaveLength(asked);
    const reconnected = monitor({ feeds, keywords: KEYWORDS }, {}, 'active');
    await reconnected.poll(at(0));
    await reconnected.poll(at(10));
    expect(peer.to('/private.rss')).toHaveLength(asked + 2);
  });

  it('defaults to the brand keywords; applies the regex, excluded hosts and the age limit', async () => {
    const feeds = [peer.url('/voyages.rss'), peer.url('/reiseblog.json')];
    const byBrand = await monitor({ feeds }).poll(at(0));
    // "AirSocial" as a whole word: the AirSocialite article is not about the brand.
    expect(byBrand.ids).toHaveLength(4);
    expect(byBrand.ids).not.toContain('voyages-leman.example/2025/05/airsocialite');
    const regex = await monitor({ feeds, regex: 'gepäck|randonn' }).poll(at(0));
    expect(regex.ids.sort()).toEqual([
      'unterwegs-reiseblog.example/2025/06/airsocial-gepaeck-genf',
      'voyages-leman.example/2025/05/randonnees-leman',
    ]);
    const own = await monitor({ feeds, exclude_hosts: ['voyages-leman.example'] }).poll(at(0));
    expect(own.ids.every((id) => id.startsWith('unterwegs-reiseblog.example'))).toBe(true);
    const recent = await monitor({ feeds, max_age_days: 1 }).poll(at(0));
    expect(recent.ids.sort()).toEqual([
      'unterwegs-reiseblog.example/2025/06/airsocial-gepaeck-genf',
      'unterwegs-reiseblog.example/fr/2025/06/airsocial-bagages-lyon',
      'voyages-leman.example/2025/06/airsocial-bagages-geneve',
      'voyages-leman.example/breves/retard-airsocial-matin',
    ]);
  });
});

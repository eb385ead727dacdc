import net from 'node:net';
import { AtpAgent, RichText } from '@atproto/api';
import type { TestNetwork } from '@atproto/dev-env';
import pg from 'pg';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../demo/organization.ts';
import { loadConfig } from '../../server/config.ts';
import { startPasseur } from '../../server/main.ts';
import { parseOptions } from '../args.ts';

export const summary = 'the demo organization on a local Bluesky network: a mention arrives, you reply in a thread';

const USAGE = 'passeur demo bluesky [--port N] [--data DIR]';
const MENTION =
  '@airsocial.test mon vol AS1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?';
const UNTAGGED = 'never flying AirSocial again, 4h on the tarmac';
const FOLLOW_UP = 'merci, et pour mon bagage ?';

/**
 * "@AirSocial_de" → "airsocial-de.test", "@AirSocialExpress_fr" → "asexpress-fr.test": handles of the local network
 * end in .test, have no underscores, and their first label has at most 18 characters.
 */
const localHandle = (handle: string) =>
  `${handle.replace(/^@/, '').toLowerCase().replace('airsocialexpress', 'asexpress').replace(/_/g, '-').slice(0, 18)}.test`;

/**
 * Starts the official local Bluesky network (PLC, PDS, AppView) next to Passeur, gives every demo community a
 * brand account on it (plus a keyword monitor for AirSocial-en), connects them through the accounts API, and
 * posts as customers: a mention of @airsocial.test, and an untagged complaint the monitor hears. When the brand
 * answers the mention, the customer writes back in the thread. Runs until Ctrl-C.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { port: { type: 'string' }, data: { type: 'string' } }, USAGE);
  const redis = process.env.REDIS_HOST ?? '127.0.0.1:6379';
  if (!(await reachable(redis))) {
    process.stderr.write(
      `passeur demo bluesky: the local Bluesky network needs Redis at ${redis}\n` +
        'start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n',
    );
    return 1;
  }
  let devEnv: typeof import('@atproto/dev-env');
  try {
    devEnv = await import('@atproto/dev-env');
  } catch (err) {
    process.stderr.write(`passeur demo bluesky: @atproto/dev-env is not installed (npm ci installs it): ${err}\n`);
    return 1;
  }
  const config = loadConfig(process.env, {
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    demoStream: false,
  });
  // The local network listens on loopback: Passeur must be allowed to reach it.
  const passeur = await startPasseur(
    { ...config, allowPrivateFetch: true },
    { banner: (lines) => process.stdout.write(`\n${lines.join('\n')}\n`) },
  );
  const schema = `demo_${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
  process.env.REDIS_HOST = redis;
  process.stdout.write('\nStarting the local Bluesky network (PLC, PDS, AppView)…\n');
  let network: TestNetwork | undefined;
  const stop = async () => {
    await network?.close().catch(() => {});
    await dropSchemas(passeur.ctx.database.url, schema);
    await passeur.close();
  };
  try {
    network = await devEnv.TestNetwork.create({ dbPostgresUrl: passeur.ctx.database.url, dbPostgresSchema: schema });
    const demo = await connectDemo(passeur.url, network);
    process.stdout.write(
      `${[
        '',
        `Local Bluesky network: PDS ${network.pds.url}, AppView ${network.bsky.url}`,
        `Brand accounts connected: ${demo.brands.join(', ')}; keyword monitor "AirSocial" for AirSocial-en.`,
        `@alice.test posted: « ${MENTION} »`,
        `@bruno.test posted (no tag): « ${UNTAGGED} »`,
        '',
        `See it: open ${passeur.url}, sign in as lea@airsocial.example (password ${DEMO_PASSWORD}),`,
        '  Inbox → the case from @alice.test (AirSocial-fr) arrives within a few seconds; reply from the composer.',
        '  The reply is posted by @airsocial.test under her post; she answers « merci, et pour mon bagage ? »,',
        '  which lands in the same case. marie@airsocial.example (leader) sees the AirSocial-en mention from the monitor.',
        `Check the thread on the network: ${network.bsky.url}/xrpc/app.bsky.feed.getPostThread?uri=${encodeURIComponent(demo.mention)}`,
        '',
        'Ctrl-C stops the network and Passeur.',
      ].join('\n')}\n`,
    );
    await untilInterrupted(async () => {
      await network!.processAll().catch(() => {});
      await demo.followUp().catch(() => {});
    });
  } finally {
    process.stdout.write('\nStopping…\n');
    await stop();
  }
  return 0;
}

interface DemoState {
  brands: string[];
  mention: string;
  followUp(): Promise<void>;
}

async function connectDemo(passeurUrl: string, network: TestNetwork): Promise<DemoState> {
  const api = await apiClient(passeurUrl);
  const accounts = (await api('GET', '/api/v1/accounts')) as {
    id: number;
    community_id: number;
    network: string;
    handle: string;
    kind: string;
  }[];
  const pds = network.pds.url;
  const brands: string[] = [];
  const sandbox = accounts.filter((a) => a.network === 'sandbox' && a.kind === 'account');
  for (const a of sandbox) {
    const handle = localHandle(a.handle);
    const user = await createUser(pds, handle);
    const app = await user.agent.com.atproto.server.createAppPassword({ name: 'passeur' });
    const body = {
      config: { service: pds, poll_interval_seconds: 2 },
      credentials: { identifier: handle, app_password: app.data.password },
    };
    await upsertAccount(api, accounts, { community_id: a.community_id, handle: `@${handle}`, kind: 'account' }, body);
    brands.push(`@${handle}`);
  }
  const en = sandbox.find((a) => a.handle === '@AirSocial_en');
  if (en) {
    await upsertAccount(
      api,
      accounts,
      { community_id: en.community_id, handle: 'airsocial-en-listening', kind: 'monitor' },
      { config: { keywords: ['AirSocial'], firehose: pds.replace(/^http/, 'ws'), appview: network.bsky.url } },
    );
  }
  // Give the runner a moment to sign the accounts in, so the posts below are news to them.
  await new Promise((r) => setTimeout(r, 3000));
  const alice = await createUser(pds, 'alice.test', 'Alice Martin');
  const bruno = await createUser(pds, 'bruno.test', 'Bruno Keller');
  const mention = await post(alice.agent, MENTION);
  await post(bruno.agent, UNTAGGED);
  await network.processAll();
  let answered = false;
  return {
    brands,
    mention: mention.uri,
    // The customer answers the brand's first reply under her post, once.
    async followUp() {
      if (answered) return;
      const r = await alice.agent.app.bsky.notification.listNotifications({ limit: 20 });
      // A reply that also names her comes as a mention.
      const reply = r.data.notifications.find(
        (n) => (n.reason === 'reply' || n.reason === 'mention') && brands.includes(`@${n.author.handle}`),
      );
      if (!reply) return;
      answered = true;
      await post(alice.agent, FOLLOW_UP, { root: mention, parent: { uri: reply.uri, cid: reply.cid } });
    },
  };
}

type Api = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** The accounts API, signed in as the demo leader. */
async function apiClient(base: string): Promise<Api> {
  const leader = AIRSOCIAL.people.find((p) => p.role === 'leader')!;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: leader.email, password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`signing in as ${leader.email}: HTTP ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  return async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, 'x-requested-with': 'passeur', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** Connects an account, or (from an earlier run of the demo) points it at this run's network. */
async function upsertAccount(
  api: Api,
  existing: { id: number; network: string; handle: string }[],
  key: { community_id: number; handle: string; kind: 'account' | 'monitor' },
  body: { config: unknown; credentials?: unknown },
) {
  const found = existing.find((a) => a.network === 'bluesky' && a.handle.toLowerCase() === key.handle.toLowerCase());
  if (found) await api('PATCH', `/api/v1/accounts/${found.id}`, { ...body, reconnect: true, paused: false });
  else await api('POST', '/api/v1/accounts', { ...key, network: 'bluesky', ...body });
}

async function createUser(pds: string, handle: string, displayName?: string) {
  const agent = new AtpAgent({ service: pds });
  const name = handle.replace(/\.test$/, '');
  await agent.createAccount({ handle, email: `${name}@demo.test`, password: `demo-${name}-password` });
  if (displayName) await agent.upsertProfile((p) => ({ ...p, displayName }));
  return { agent };
}

async function post(
  agent: AtpAgent,
  text: string,
  reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } },
) {
  const rt = new RichText({ text });
  await rt.detectFacets(agent);
  return agent.post({ text: rt.text, ...(rt.facets ? { facets: rt.facets } : {}), ...(reply ? { reply } : {}) });
}

async function dropSchemas(url: string, schema: string) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    for (const prefix of ['appview', 'bsync', 'ozone'])
      await client.query(`drop schema if exists ${prefix}_${schema} cascade`);
  } catch {
    // The demo's schemas are named after the run; a later run does not reuse them.
  } finally {
    await client.end().catch(() => {});
  }
}

function reachable(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const s = net.connect({ host: host || '127.0.0.1', port: Number(port || 6379) });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Calls `tick` every 2 s until SIGINT or SIGTERM. */
function untilInterrupted(tick: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void tick().finally(() => {
        busy = false;
      });
    }, 2000);
    const done = () => {
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

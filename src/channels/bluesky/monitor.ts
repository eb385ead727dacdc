import { IdResolver } from '@atproto/identity';
import { Firehose } from '@atproto/sync';
import { type AccountContext, type ChannelRuntime, SendError } from '../connector.ts';
import { DEFAULT_JETSTREAM, readConfig } from './config.ts';
import type { FetchLike } from './http.ts';
import { ProfileResolver } from './identity.ts';
import { KeywordListener } from './listener.ts';
import { POST_COLLECTION, type PostRecord } from './posts.ts';

/**
 * A keyword monitor's stream: new posts from Jetstream (JSON over a WebSocket, the default) or from a firehose
 * (`com.atproto.sync.subscribeRepos`, CBOR frames: a relay, or a single PDS such as a local test network), each
 * passed through the keyword filter. The position (Jetstream's time_us, the firehose's seq) is the account's cursor.
 */
export async function runMonitor(
  rt: ChannelRuntime,
  account: AccountContext<unknown, unknown>,
  signal: AbortSignal,
  fetch: FetchLike,
): Promise<void> {
  const config = readConfig(account.config);
  if (!config.keywords?.length) {
    throw new SendError('permanent', 'this keyword monitor has no keywords: add some to its settings');
  }
  const source = config.firehose ?? config.jetstream ?? DEFAULT_JETSTREAM;
  await preflight(rt, source);
  const listener = new KeywordListener(rt, account, config, new ProfileResolver(config.appview, fetch));
  const timer = setInterval(() => void listener.flushNow(), 1000);
  try {
    if (config.firehose) await readFirehose(config.firehose, account.cursor, listener, signal);
    else await readJetstream(source, account.cursor, listener, signal);
  } finally {
    clearInterval(timer);
    await listener.flushNow();
  }
  if (listener.failure) throw listener.failure;
}

/**
 * WebSockets do not go through the platform's HTTP client: the address of the source is checked with it first,
 * so the private-address policy applies to monitors too.
 */
async function preflight(rt: ChannelRuntime, source: string) {
  const url = new URL(source);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '/xrpc/_health';
  url.search = '';
  try {
    await rt.fetch(url.toString(), { timeoutMs: 10_000, maxBytes: 64 * 1024 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const refused = err instanceof Error && err.constructor.name === 'FetchRefused';
    throw new SendError(refused ? 'permanent' : 'transient', `cannot reach ${source}: ${message}`);
  }
}

/** Resolves when `signal` aborts; rejects when the listener failed (so the runner backs off and restarts). */
function untilStopped(listener: KeywordListener, signal: AbortSignal, onStop: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      if (listener.failure) finish();
    }, 200);
    const finish = () => {
      clearInterval(check);
      signal.removeEventListener('abort', finish);
      onStop();
      if (listener.failure && !signal.aborted) reject(listener.failure);
      else resolve();
    };
    if (signal.aborted) finish();
    else signal.addEventListener('abort', finish);
  });
}

async function readFirehose(service: string, cursor: unknown, listener: KeywordListener, signal: AbortSignal) {
  let seq = typeof cursor === 'number' ? cursor : undefined;
  const firehose = new Firehose({
    service,
    // Records are only read, never trusted for identity: signatures are not checked, so no DID resolution runs.
    idResolver: new IdResolver(),
    unauthenticatedCommits: true,
    unauthenticatedHandles: true,
    excludeIdentity: true,
    excludeAccount: true,
    excludeSync: true,
    filterCollections: [POST_COLLECTION],
    getCursor: () => seq,
    handleEvent: async (evt) => {
      if (evt.event !== 'create') return;
      seq = evt.seq;
      await listener.push(evt.seq, {
        uri: evt.uri.toString(),
        cid: evt.cid.toString(),
        did: evt.did,
        record: evt.record as PostRecord,
      });
    },
    onError: (err) => listener.log(err),
  });
  const running = firehose.start();
  await untilStopped(listener, signal, () => void firehose.destroy());
  await running.catch(() => {});
}

interface JetstreamEvent {
  did?: string;
  time_us?: number;
  kind?: string;
  commit?: { operation?: string; collection?: string; rkey?: string; cid?: string; record?: PostRecord };
}

/** Jetstream's cursor is a time in microseconds; reconnecting a few seconds earlier loses nothing on a switch. */
async function readJetstream(base: string, cursor: unknown, listener: KeywordListener, signal: AbortSignal) {
  const url = new URL('/subscribe', base);
  url.searchParams.set('wantedCollections', POST_COLLECTION);
  if (typeof cursor === 'number') url.searchParams.set('cursor', String(cursor - 5_000_000));
  const ws = new WebSocket(url);
  const closed = new Promise<void>((resolve, reject) => {
    ws.addEventListener('close', (e) =>
      signal.aborted ? resolve() : reject(new SendError('transient', `Jetstream closed the connection (${e.code})`)),
    );
    ws.addEventListener('error', () => reject(new SendError('transient', `Jetstream connection to ${base} failed`)));
  });
  closed.catch(() => {});
  ws.addEventListener('message', (e) => {
    let evt: JetstreamEvent;
    try {
      evt = JSON.parse(String(e.data)) as JetstreamEvent;
    } catch {
      return;
    }
    if (typeof evt.time_us !== 'number') return;
    const c = evt.commit;
    const post =
      evt.kind === 'commit' && c?.operation === 'create' && c.collection === POST_COLLECTION && evt.did && c.rkey
        ? {
            uri: `at://${evt.did}/${POST_COLLECTION}/${c.rkey}`,
            cid: c.cid ?? '',
            did: evt.did,
            record: c.record ?? {},
          }
        : undefined;
    void listener.push(evt.time_us, post);
  });
  await Promise.race([untilStopped(listener, signal, () => ws.close()), closed]);
}

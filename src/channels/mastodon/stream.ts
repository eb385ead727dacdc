import { createStreamingAPIClient } from 'masto';
import type { AccountContext, ChannelRuntime } from '../connector.ts';
import { ingestCandidates, obj, str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { call, type MastodonSession, mastodonError, openSession } from './client.ts';
import { catchUp, type Me, mentionCandidate } from './notifications.ts';

/**
 * The account's inbound, run by the channel runner:
 * - the notifications list is read at start and every `poll_interval_seconds`; only these reads move the
 *   cursor, so a notification missed while the stream was down is read then, and a restart resumes where the
 *   last committed read stopped;
 * - the streaming API (`user:notification`, https://docs.joinmastodon.org/methods/streaming/) brings mentions
 *   within a second meanwhile. masto reconnects it by itself; what it delivers is ingested at once (stored once
 *   even when the next read sees it again).
 * With `streaming: false`, or where the instance has no streaming, the reads alone bring the messages.
 */
export async function streamMentions(rt: ChannelRuntime, ctx: AccountContext, signal: AbortSignal): Promise<void> {
  bindRuntime(rt);
  const session = await openSession(ctx, rt);
  const account = obj(await call(() => session.rest.v1.accounts.verifyCredentials()));
  const me: Me = { id: str(account.id) ?? '', handle: ctx.account.handle };
  let cursor = str(obj(ctx.cursor).since_id);
  let reading: Promise<void> = Promise.resolve();
  const read = () => {
    reading = reading.then(async () => {
      cursor = await catchUp(rt, session, me, cursor, (sinceId) => ctx.saveCursor({ since_id: sinceId }));
    });
    return reading;
  };
  await read();
  const stopStream = session.config.streaming ? listen(rt, session, me, ctx.account.handle) : () => {};
  try {
    while (!signal.aborted) {
      await sleep(session.config.poll_interval_seconds * 1000, signal);
      if (!signal.aborted) await read();
    }
  } finally {
    stopStream();
  }
}

/** Ingests mentions as the stream delivers them; returns how to stop. */
function listen(rt: ChannelRuntime, session: MastodonSession, me: Me, handle: string): () => void {
  const streaming = createStreamingAPIClient({
    streamingApiUrl: session.instance.streamingUrl,
    accessToken: session.credentials.access_token,
    log: 'error',
  });
  const subscription = streaming.user.notification.subscribe();
  void (async () => {
    for await (const event of subscription) {
      if (event.event !== 'notification') continue;
      const candidate = mentionCandidate(event.payload, me, session.host);
      if (!candidate) continue;
      await ingestCandidates(rt, `mastodon:${handle}`, [candidate]).catch((err: unknown) =>
        rt.log.warn({ err: mastodonError(err).message, account: handle }, 'mastodon stream: ingest failed'),
      );
    }
  })().catch((err: unknown) => rt.log.debug({ err: String(err), account: handle }, 'mastodon stream ended'));
  return () => {
    subscription.unsubscribe();
    streaming.close();
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

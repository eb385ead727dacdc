import { type AtpAgent, RichText } from '@atproto/api';
import { splitThread } from '../../domain/composer/thread.ts';
import type { Queryable } from '../../server/db/database.ts';
import { type OutboundPost, SendError, type SendResult } from '../connector.ts';
import type { BlueskyConfig } from './config.ts';
import { POST_COLLECTION, type PostRecord, postUrl } from './posts.ts';

const MAX_GRAPHEMES = 300;

interface StrongRef {
  uri: string;
  cid: string;
}

/** The reply references of a reply to `parentUri`: the parent itself, and the root of its thread. */
async function replyRefs(agent: AtpAgent, parentUri: string): Promise<{ root: StrongRef; parent: StrongRef }> {
  const r = await agent.app.bsky.feed.getPosts({ uris: [parentUri] });
  const post = r.data.posts[0];
  if (!post) throw new SendError('permanent', `the post replied to (${parentUri}) was deleted or cannot be seen`);
  const parent = { uri: post.uri, cid: post.cid };
  const record = post.record as PostRecord;
  const rootUri = record.reply?.root?.uri;
  const rootCid = record.reply?.root?.cid;
  const root = typeof rootUri === 'string' && typeof rootCid === 'string' ? { uri: rootUri, cid: rootCid } : parent;
  return { root, parent };
}

/**
 * Posts the brand already published that a retry must not publish again: the outbox retries with the same
 * idempotency key, but Bluesky has no such key, so a retry first looks for a recent post of the brand with the
 * same parent and the same text (an answer sent, whose confirmation was lost).
 */
async function recentPosts(agent: AtpAgent, did: string): Promise<Map<string, StrongRef>> {
  const out = new Map<string, StrongRef>();
  const r = await agent.com.atproto.repo.listRecords({ repo: did, collection: POST_COLLECTION, limit: 50 });
  const since = Date.now() - 24 * 3_600_000;
  for (const rec of r.data.records) {
    const v = rec.value as PostRecord;
    const at = typeof v.createdAt === 'string' ? Date.parse(v.createdAt) : Number.NaN;
    if (!(at >= since) || typeof v.text !== 'string') continue;
    const parent = typeof v.reply?.parent?.uri === 'string' ? v.reply.parent.uri : '';
    out.set(`${parent}\n${v.text}`, { uri: rec.uri, cid: rec.cid });
  }
  return out;
}

/** Publishes `post.text` from the signed-in brand account: one post, or a thread when it is too long. */
export async function publish(
  db: Queryable,
  session: { agent: AtpAgent; did: string; handle: string; config: BlueskyConfig },
  post: OutboundPost,
  communityId: number,
): Promise<SendResult> {
  const { agent, did, handle, config } = session;
  if (post.visibility === 'private') {
    throw new SendError('permanent', 'Bluesky direct messages are not supported: reply publicly or by another channel');
  }
  const parts = splitThread(post.text, MAX_GRAPHEMES);
  if (parts.length === 0) throw new SendError('permanent', 'nothing to publish');
  const lang = (await db.query<{ language: string }>('select language from communities where id = $1', [communityId]))
    .rows[0]?.language;
  let refs = post.inReplyTo ? await replyRefs(agent, post.inReplyTo) : undefined;
  const already = await recentPosts(agent, did);
  const published: StrongRef[] = [];
  for (const text of parts) {
    const rt = new RichText({ text });
    await rt.detectFacets(agent);
    const found = already.get(`${refs?.parent.uri ?? ''}\n${rt.text}`);
    const ref =
      found ??
      (await agent.post({
        text: rt.text,
        ...(rt.facets?.length ? { facets: rt.facets } : {}),
        ...(refs ? { reply: refs } : {}),
        ...(lang ? { langs: [lang] } : {}),
        createdAt: new Date().toISOString(),
      }));
    published.push({ uri: ref.uri, cid: ref.cid });
    // Each part of a thread answers the previous one, in the same thread.
    refs = { root: refs?.root ?? ref, parent: ref };
  }
  const [first, ...rest] = published;
  return {
    externalId: first!.uri,
    url: postUrl(config, first!.uri, handle),
    ...(rest.length > 0 ? { extraExternalIds: rest.map((p) => p.uri) } : {}),
  };
}

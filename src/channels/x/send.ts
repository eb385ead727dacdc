import { splitThread } from '../../domain/composer/thread.ts';
import type { Queryable } from '../../server/db/database.ts';
import { type AccountContext, type OutboundPost, SendError, type SendResult } from '../connector.ts';
import { obj, str } from '../social/normalized.ts';
import { storedMessage } from '../social/parent.ts';
import { xRequest } from './api.ts';
import { type XConfig, type XCredentials, xConfigSchema } from './settings.ts';

export const POST_MAX = 280;
const DM_MAX = 10_000;

/**
 * X counts characters by weight (https://docs.x.com/resources/fundamentals/counting-characters): most Latin,
 * Greek and Cyrillic characters and some punctuation count 1, others (CJK, emoji) 2, and every URL 23.
 */
export function weightedLength(text: string): number {
  let n = 0;
  const withoutUrls = text.replace(/https?:\/\/\S+/g, () => {
    n += 23;
    return '';
  });
  for (const ch of withoutUrls) {
    const c = ch.codePointAt(0)!;
    const light = c <= 4351 || (c >= 8192 && c <= 8205) || (c >= 8208 && c <= 8223) || (c >= 8242 && c <= 8247);
    n += light ? 1 : 2;
  }
  return n;
}

/** The text as posts of at most 280 weighted characters ("… 1/3" markers included). */
export function splitForX(text: string): string[] {
  for (let max = POST_MAX; max > 40; max -= 10) {
    const parts = splitThread(text, max);
    if (parts.every((p) => weightedLength(p) <= POST_MAX)) return parts;
  }
  throw new SendError('permanent', 'the reply cannot be cut into posts of 280 characters');
}

/**
 * Publishes from the brand's X account:
 * - an answer to a direct message (or a private answer): a DM (`POST /2/dm_conversations/with/:id/messages`,
 *   https://docs.x.com/x-api/direct-messages/manage/introduction);
 * - else posts (`POST /2/tweets`, https://docs.x.com/x-api/posts/creation-of-a-post), each replying to the
 *   previous one with `reply.in_reply_to_tweet_id`, so a long answer is a thread under the customer's post.
 * X accepts no idempotency key: a retry after a lost answer may be refused as duplicate content.
 */
export async function sendX(
  db: Queryable,
  post: OutboundPost,
  ctx: AccountContext<XConfig, XCredentials>,
): Promise<SendResult> {
  const config = xConfigSchema.parse(ctx.config);
  const parent = await storedMessage(db, post.account.id, 'x', post.inReplyTo);
  const meta = obj(parent?.meta);
  if (parent && (parent.kind === 'dm' || post.visibility === 'private')) {
    const participant = str(meta.sender_id) ?? str(meta.author_id);
    if (!participant) throw new SendError('permanent', `no X user id is known for ${post.inReplyTo}`);
    const ids: string[] = [];
    for (const part of splitThread(post.text, DM_MAX)) {
      const { json } = await xRequest(
        config,
        ctx.credentials,
        'POST',
        `/2/dm_conversations/with/${participant}/messages`,
        {
          json: { text: part },
        },
      );
      const id = str(obj(json.data).dm_event_id);
      if (!id) throw new SendError('transient', 'X answered without a dm_event_id');
      ids.push(id);
    }
    return { externalId: ids[0]!, ...(ids.length > 1 ? { extraExternalIds: ids.slice(1) } : {}) };
  }
  const ids: string[] = [];
  let previous = post.inReplyTo;
  for (const part of splitForX(post.text)) {
    const { json } = await xRequest(config, ctx.credentials, 'POST', '/2/tweets', {
      json: { text: part, ...(previous ? { reply: { in_reply_to_tweet_id: previous } } : {}) },
    });
    const id = str(obj(json.data).id);
    if (!id) throw new SendError('transient', 'X answered without a post id');
    ids.push(id);
    previous = id;
  }
  const username = ctx.account.handle.replace(/^@/, '');
  return {
    externalId: ids[0]!,
    url: `https://x.com/${username}/status/${ids[0]}`,
    ...(ids.length > 1 ? { extraExternalIds: ids.slice(1) } : {}),
  };
}

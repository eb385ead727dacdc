import { splitThread, textLength } from '../../domain/composer/thread.ts';
import type { Queryable } from '../../server/db/database.ts';
import { type AccountContext, type OutboundPost, SendError, type SendResult } from '../connector.ts';
import { obj, str } from '../social/normalized.ts';
import { call, openSession } from './client.ts';
import type { MastodonConfig, MastodonCredentials } from './settings.ts';

type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

/**
 * The visibility of an answer: a direct or followers-only status is answered directly (only the customer sees
 * it); a public or unlisted one as the account is configured, unless the agent chose a private answer.
 */
export function replyVisibility(
  parent: string | undefined,
  chosen: OutboundPost['visibility'],
  config: Pick<MastodonConfig, 'public_reply_visibility'>,
): Visibility {
  if (parent === 'direct' || parent === 'private' || chosen === 'private') return 'direct';
  return config.public_reply_visibility;
}

/**
 * Publishes a status from the brand account (`POST /api/v1/statuses`, https://docs.joinmastodon.org/methods/statuses/#create)
 * through masto:
 * - in reply to the customer's status (`in_reply_to_id`), read first (`GET /api/v1/statuses/:id`) for its
 *   visibility and author; the answer starts with the author's @mention, without which a direct answer would
 *   reach nobody;
 * - cut to the instance's `configuration.statuses.max_characters` (500 by default) into a thread, each part
 *   answering the previous one and mentioning the customer;
 * - with an `Idempotency-Key` per part, so a retry after a lost answer publishes nothing twice.
 */
export async function sendMastodon(
  _db: Queryable,
  post: OutboundPost,
  ctx: AccountContext<MastodonConfig, MastodonCredentials>,
): Promise<SendResult> {
  const session = await openSession(ctx);
  const parent = post.inReplyTo ? obj(await call(() => session.rest.v1.statuses.$select(post.inReplyTo!).fetch())) : {};
  const author = obj(parent.account);
  const acct = str(author.acct);
  const visibility = replyVisibility(str(parent.visibility), post.visibility, session.config);
  const mention = acct && !post.text.toLowerCase().includes(`@${acct.toLowerCase()}`) ? `@${acct} ` : '';
  const room = session.instance.maxCharacters - textLength(mention);
  if (room < 20)
    throw new SendError('permanent', `the instance allows only ${session.instance.maxCharacters} characters`);
  const ids: string[] = [];
  const urls: string[] = [];
  let previous = post.inReplyTo ?? undefined;
  for (const [i, part] of splitThread(post.text, room).entries()) {
    const status = obj(
      await call(() =>
        session.rest.v1.statuses.create(
          {
            status: `${i === 0 || visibility === 'direct' ? mention : ''}${part}`,
            visibility,
            ...(previous ? { inReplyToId: previous } : {}),
          },
          { requestInit: { headers: { 'Idempotency-Key': `${post.idempotencyKey}:${i}` } } },
        ),
      ),
    );
    const id = str(status.id);
    if (!id) throw new SendError('transient', 'the instance answered without a status id');
    ids.push(id);
    const url = str(status.url);
    if (url) urls.push(url);
    previous = id;
  }
  return {
    externalId: ids[0]!,
    ...(urls[0] ? { url: urls[0] } : {}),
    ...(ids.length > 1 ? { extraExternalIds: ids.slice(1) } : {}),
  };
}

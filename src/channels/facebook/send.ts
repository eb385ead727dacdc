import { splitThread } from '../../domain/composer/thread.ts';
import type { Queryable } from '../../server/db/database.ts';
import { type AccountContext, type OutboundPost, SendError, type SendResult } from '../connector.ts';
import { graphCall } from '../meta/graph.ts';
import { sendDirect } from '../meta/messaging.ts';
import {
  type FacebookConfig,
  type FacebookCredentials,
  facebookAccess,
  facebookConfigSchema,
} from '../meta/settings.ts';
import { str } from '../social/normalized.ts';
import { storedMessage } from '../social/parent.ts';

/** A comment holds up to 8,000 characters; a Messenger text message up to 2,000. */
export const COMMENT_MAX = 8000;
const MESSENGER_MAX = 2000;

/**
 * Publishes a reply from the Page:
 * - to a Messenger conversation: the Send API, within the 24-hour window;
 * - to a comment or a visitor post: a comment under it (`POST /{object-id}/comments`,
 *   https://developers.facebook.com/docs/graph-api/reference/object/comments/#publish), or, when the agent chose
 *   a private answer, a private reply to that comment through Messenger (`recipient: {comment_id}`);
 * - without a parent: a post on the Page's feed.
 */
export async function sendFacebook(
  db: Queryable,
  post: OutboundPost,
  ctx: AccountContext<FacebookConfig, FacebookCredentials>,
): Promise<SendResult> {
  const config = facebookConfigSchema.parse(ctx.config);
  const access = facebookAccess(config, ctx.credentials);
  const parent = await storedMessage(db, post.account.id, 'facebook', post.inReplyTo);
  const meta = parent?.meta ?? {};
  if (post.inReplyTo && (parent?.kind === 'dm' || (!parent && post.inReplyTo.startsWith('m_')))) {
    const recipient = str(meta.sender_id) ?? parent?.author_handle;
    if (!recipient) throw new SendError('permanent', `no Messenger recipient is known for ${post.inReplyTo}`);
    return sendDirect(access, { id: recipient }, post.text, {
      lastCustomerMessageAt: parent?.created_at,
      maxLength: MESSENGER_MAX,
    });
  }
  if (!post.inReplyTo) {
    const r = await graphCall(access, 'POST', `${config.page_id}/feed`, { message: post.text });
    const id = str(r.id);
    if (!id) throw new SendError('transient', 'the Graph API answered without an id');
    return { externalId: id, url: `https://www.facebook.com/${id}` };
  }
  const target = str(meta.reply_target) ?? post.inReplyTo;
  if (post.visibility === 'private' && parent?.kind === 'reply') {
    return sendDirect(access, { comment_id: post.inReplyTo }, post.text, {
      lastCustomerMessageAt: parent.created_at,
      maxLength: MESSENGER_MAX,
    });
  }
  const ids: string[] = [];
  for (const part of splitThread(post.text, COMMENT_MAX)) {
    const r = await graphCall(access, 'POST', `${target}/comments`, { message: part });
    const id = str(r.id);
    if (!id) throw new SendError('transient', 'the Graph API answered without an id');
    ids.push(id);
  }
  return {
    externalId: ids[0]!,
    url: `https://www.facebook.com/${ids[0]}`,
    ...(ids.length > 1 ? { extraExternalIds: ids.slice(1) } : {}),
  };
}

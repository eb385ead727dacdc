import { splitThread } from '../../domain/composer/thread.ts';
import type { Queryable } from '../../server/db/database.ts';
import { type AccountContext, type OutboundPost, SendError, type SendResult } from '../connector.ts';
import { graphCall } from '../meta/graph.ts';
import { sendDirect } from '../meta/messaging.ts';
import {
  type InstagramConfig,
  type InstagramCredentials,
  instagramAccess,
  instagramConfigSchema,
} from '../meta/settings.ts';
import { str } from '../social/normalized.ts';
import { storedMessage } from '../social/parent.ts';

/** An Instagram comment holds up to 2,200 characters; a direct message up to 1,000. */
export const IG_COMMENT_MAX = 2200;
const IG_DM_MAX = 1000;

/**
 * Publishes a reply from the Instagram account:
 * - to a comment: `POST /{ig-comment-id}/replies`
 *   (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies);
 * - to an @mention: `POST /{ig-user-id}/mentions` with the media and comment ids
 *   (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentions);
 * - to a direct message: the Send API, within the 24-hour window.
 * Instagram has no API to publish a text-only post, so a reply always answers something.
 */
export async function sendInstagram(
  db: Queryable,
  post: OutboundPost,
  ctx: AccountContext<InstagramConfig, InstagramCredentials>,
): Promise<SendResult> {
  const config = instagramConfigSchema.parse(ctx.config);
  const access = instagramAccess(config, ctx.credentials);
  if (!post.inReplyTo) {
    throw new SendError('permanent', 'Instagram accepts replies only: there is no text-only post to publish');
  }
  const parent = await storedMessage(db, post.account.id, 'instagram', post.inReplyTo);
  const meta = parent?.meta ?? {};
  if (parent?.kind === 'dm') {
    const recipient = str(meta.sender_id) ?? parent.author_handle;
    return sendDirect(access, { id: recipient }, post.text, {
      lastCustomerMessageAt: parent.created_at,
      maxLength: IG_DM_MAX,
    });
  }
  const ids: string[] = [];
  for (const part of splitThread(post.text, IG_COMMENT_MAX)) {
    const r =
      parent?.kind === 'mention'
        ? await graphCall(access, 'POST', `${config.ig_user_id}/mentions`, {
            media_id: str(meta.media_id),
            ...(str(meta.comment_id) ? { comment_id: str(meta.comment_id) } : {}),
            message: part,
          })
        : await graphCall(access, 'POST', `${str(meta.reply_target) ?? post.inReplyTo}/replies`, { message: part });
    const id = str(r.id);
    if (!id) throw new SendError('transient', 'the Graph API answered without an id');
    ids.push(id);
  }
  return { externalId: ids[0]!, ...(ids.length > 1 ? { extraExternalIds: ids.slice(1) } : {}) };
}

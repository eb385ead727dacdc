import { type Candidate, isoTime, list, obj, str } from '../social/normalized.ts';

/** Page feed items that are a customer speaking: a comment, or a visitor's post on the page. */
const POST_ITEMS = new Set(['post', 'status', 'photo', 'video', 'share']);

/**
 * Page `feed` changes (https://developers.facebook.com/docs/graph-api/webhooks/reference/page/#feed) as
 * messages. Only additions are messages; edits, removals, reactions and likes are not. The page's own posts and
 * comments (its replies coming back) are left out.
 */
export function feedCandidates(accountHandle: string, pageId: string, entry: Record<string, unknown>): Candidate[] {
  const out: Candidate[] = [];
  for (const rawChange of list(entry.changes)) {
    const change = obj(rawChange);
    if (change.field !== 'feed') continue;
    const value = obj(change.value);
    const item = str(value.item);
    if (value.verb !== 'add' || (item !== 'comment' && !POST_ITEMS.has(item ?? ''))) continue;
    const from = obj(value.from);
    if (str(from.id) === pageId) continue;
    const isComment = item === 'comment';
    const postId = str(value.post_id);
    const parentId = str(value.parent_id);
    const externalId = isComment ? str(value.comment_id) : postId;
    // Facebook nests comments one level deep: an answer to a reply goes under the top-level comment.
    const replyTarget = isComment && parentId && parentId !== postId ? parentId : externalId;
    out.push({
      raw: rawChange,
      message: {
        channel: 'facebook',
        external_id: externalId,
        account: accountHandle,
        author: { handle: str(from.id), ...(str(from.name) ? { name: str(from.name) } : {}) },
        text: str(value.message),
        created_at: isoTime(value.created_time) ?? isoTime(entry.time),
        ...(isComment ? { in_reply_to: parentId ?? postId } : {}),
        meta: {
          kind: isComment ? 'reply' : 'post',
          ...(externalId ? { url: `https://www.facebook.com/${externalId}` } : {}),
          ...(postId ? { post_id: postId } : {}),
          ...(replyTarget ? { reply_target: replyTarget } : {}),
        },
      },
    });
  }
  return out;
}

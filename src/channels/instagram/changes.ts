import { type ChannelRuntime, SendError } from '../connector.ts';
import { type GraphAccess, graphCall } from '../meta/graph.ts';
import { type Candidate, isoTime, list, obj, str } from '../social/normalized.ts';

interface Change {
  field: string | undefined;
  value: Record<string, unknown>;
  raw: unknown;
}

/**
 * An entry's changes, in both forms Meta delivers: `entry[].changes[] = {field, value}`, and the entry itself
 * carrying `field` and `value` (https://developers.facebook.com/docs/instagram-platform/webhooks).
 */
export function entryChanges(entry: Record<string, unknown>): Change[] {
  const changes = list(entry.changes).map((c) => ({ field: str(obj(c).field), value: obj(obj(c).value), raw: c }));
  if (entry.field !== undefined) changes.push({ field: str(entry.field), value: obj(entry.value), raw: entry });
  return changes;
}

/**
 * Comments on the brand's media and @mentions of the brand, as messages. A comment carries its text; a mention
 * carries only ids, so its text is read from the Graph API (`mentioned_comment` / `mentioned_media`). The
 * account's own comments (its replies coming back) are left out.
 */
export async function instagramCandidates(
  account: { handle: string; igUserId: string; access: GraphAccess },
  entry: Record<string, unknown>,
  rt: ChannelRuntime,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const own = account.handle.replace(/^@/, '').toLowerCase();
  for (const change of entryChanges(entry)) {
    const v = change.value;
    if (change.field === 'comments') {
      const from = obj(v.from);
      if (str(from.id) === account.igUserId || str(from.username)?.toLowerCase() === own) continue;
      const id = str(v.id);
      const parent = str(v.parent_id);
      const mediaId = str(obj(v.media).id);
      out.push({
        raw: change.raw,
        message: {
          channel: 'instagram',
          external_id: id,
          account: account.handle,
          author: { handle: str(from.username) ?? str(from.id) },
          text: str(v.text),
          created_at: isoTime(entry.time),
          ...(parent || mediaId ? { in_reply_to: parent ?? mediaId } : {}),
          meta: {
            kind: 'reply',
            ...(str(from.id) ? { author_id: str(from.id) } : {}),
            ...(mediaId ? { media_id: mediaId } : {}),
            // Instagram nests replies one level deep: an answer to a reply goes under the top-level comment.
            ...(parent || id ? { reply_target: parent ?? id } : {}),
          },
        },
      });
    } else if (change.field === 'mentions') {
      out.push(await mentionCandidate(account, v, change.raw, rt));
    }
  }
  return out;
}

async function mentionCandidate(
  account: { handle: string; igUserId: string; access: GraphAccess },
  v: Record<string, unknown>,
  raw: unknown,
  rt: ChannelRuntime,
): Promise<Candidate> {
  const mediaId = str(v.media_id);
  const commentId = str(v.comment_id);
  if (!mediaId) return { raw, message: undefined, refused: 'mentions: value.media_id is required' };
  let found: Record<string, unknown>;
  try {
    found = await lookUpMention(account, mediaId, commentId, rt);
  } catch (err) {
    // A passing failure is retried by Meta (the webhook answers an error); a refusal will not get better.
    if (!(err instanceof SendError) || err.kind === 'transient' || err.kind === 'rate_limited') throw err;
    return { raw, message: undefined, refused: `mention lookup refused: ${err.message}` };
  }
  const url = str(found.permalink) ?? str(obj(found.media).permalink);
  return {
    raw,
    message: {
      channel: 'instagram',
      external_id: commentId ?? mediaId,
      account: account.handle,
      author: { handle: str(found.username) },
      text: str(commentId ? found.text : found.caption),
      created_at: isoTime(found.timestamp),
      meta: {
        kind: 'mention',
        media_id: mediaId,
        ...(commentId ? { comment_id: commentId } : {}),
        ...(url ? { url } : {}),
      },
    },
  };
}

/**
 * The mentioning comment or caption, which the webhook does not carry:
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_comment
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/mentioned_media
 */
async function lookUpMention(
  account: { igUserId: string; access: GraphAccess },
  mediaId: string,
  commentId: string | undefined,
  rt: ChannelRuntime,
): Promise<Record<string, unknown>> {
  const fields = commentId
    ? `mentioned_comment.comment_id(${commentId}){id,text,timestamp,username,media{id,permalink}}`
    : `mentioned_media.media_id(${mediaId}){id,caption,timestamp,username,permalink}`;
  const r = await graphCall(account.access, 'GET', account.igUserId, { fields }, rt);
  return obj(commentId ? r.mentioned_comment : r.mentioned_media);
}

import type { ChannelRuntime } from '../connector.ts';
import { type Candidate, ingestCandidates, isoTime, languageCode, list, obj, str } from '../social/normalized.ts';
import { call, type MastodonSession } from './client.ts';
import { htmlToText } from './text.ts';

const PAGE = 40;
const MAX_PAGES = 25;

/** Mastodon ids are ordered strings of digits (or of fixed-length letters elsewhere): longer is newer. */
export function newer(a: string, b: string | undefined): boolean {
  if (b === undefined) return true;
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** The brand account as the instance knows it. */
export interface Me {
  id: string;
  handle: string;
}

/** `@user@instance` for every account, local ones included. */
export function fullAcct(account: Record<string, unknown>, host: string): string | undefined {
  const acct = str(account.acct);
  if (!acct) return undefined;
  return `@${acct.includes('@') ? acct : `${acct}@${host}`}`;
}

/**
 * A `mention` notification (https://docs.joinmastodon.org/entities/Notification/) as a message: the status's
 * text, threaded on `in_reply_to_id`, with its visibility kept so the answer can match it. A status of the
 * brand itself is left out. Field names are masto's (camelCase).
 */
export function mentionCandidate(notification: unknown, me: Me, host: string): Candidate | undefined {
  const n = obj(notification);
  if (n.type !== 'mention') return undefined;
  const status = obj(n.status);
  const author = obj(status.account ?? n.account);
  if (str(author.id) === me.id) return undefined;
  const visibility = str(status.visibility);
  const parent = str(status.inReplyToId);
  const content = typeof status.content === 'string' ? htmlToText(status.content) : undefined;
  const warning = str(status.spoilerText);
  const url = str(status.url) ?? str(status.uri);
  const lang = languageCode(status.language);
  return {
    raw: notification,
    message: {
      channel: 'mastodon',
      external_id: str(status.id),
      account: me.handle,
      author: {
        handle: fullAcct(author, host),
        ...(str(author.displayName) || str(author.username)
          ? { name: str(author.displayName) || str(author.username) }
          : {}),
      },
      text: content === undefined ? undefined : warning ? `[${warning}]\n\n${content}` : content,
      created_at: isoTime(status.createdAt),
      ...(parent ? { in_reply_to: parent } : {}),
      meta: {
        kind: visibility === 'direct' ? 'dm' : parent ? 'reply' : 'mention',
        visibility,
        author_id: str(author.id),
        ...(lang ? { lang } : {}),
        ...(url ? { url } : {}),
      },
    },
  };
}

/**
 * Reads the mentions the cursor has not seen (`GET /api/v1/notifications?types[]=mention&min_id=…`,
 * https://docs.joinmastodon.org/methods/notifications/#get), page after page from the oldest, ingests them and
 * moves the cursor only past what is committed. The first read takes the latest page only: history is not
 * imported.
 */
export async function catchUp(
  rt: ChannelRuntime,
  session: MastodonSession,
  me: Me,
  cursor: string | undefined,
  save: (sinceId: string) => Promise<void>,
): Promise<string | undefined> {
  let position = cursor;
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = list(
      await call(() =>
        session.rest.v1.notifications.list({
          types: ['mention'],
          limit: PAGE,
          ...(position ? { minId: position } : {}),
        }),
      ),
    );
    if (batch.length === 0) break;
    const ordered = [...batch].sort((a, b) => (newer(str(obj(a).id) ?? '', str(obj(b).id)) ? 1 : -1));
    const candidates = ordered.map((n) => mentionCandidate(n, me, session.host)).filter((c) => c !== undefined);
    await ingestCandidates(rt, `mastodon:${me.handle}`, candidates);
    const last = str(obj(ordered.at(-1)).id);
    if (!last || !newer(last, position)) break;
    position = last;
    await save(position);
    if (batch.length < PAGE || cursor === undefined) break;
  }
  return position;
}

import { splitThread } from '../../domain/composer/thread.ts';
import type { ChannelRuntime } from '../connector.ts';
import { SendError } from '../connector.ts';
import { type Candidate, isoTime, list, obj, str } from '../social/normalized.ts';
import { type GraphAccess, graphCall } from './graph.ts';

/** Messenger and Instagram messaging let a business answer within 24 hours of the person's last message. */
export const REPLY_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Direct messages from `entry.messaging[]` (Messenger Platform webhooks, also used for Instagram messaging):
 * https://developers.facebook.com/docs/messenger-platform/webhooks#event-notifications
 * Echoes of what the brand itself sent, and every event sent by the brand's own id, are left out, so a reply
 * never comes back as a customer message.
 */
export function messagingCandidates(
  channel: 'facebook' | 'instagram',
  accountHandle: string,
  ownId: string,
  entry: Record<string, unknown>,
): Candidate[] {
  const out: Candidate[] = [];
  for (const raw of list(entry.messaging)) {
    const event = obj(raw);
    const message = event.message === undefined ? undefined : obj(event.message);
    if (!message) continue; // deliveries, reads, reactions, postbacks: no customer text to answer
    const sender = str(obj(event.sender).id);
    if (message.is_echo === true || sender === ownId || message.is_deleted === true) continue;
    const replyTo = str(obj(message.reply_to).mid);
    out.push({
      raw,
      message: {
        channel,
        external_id: str(message.mid),
        account: accountHandle,
        author: { handle: sender },
        text: messageText(message),
        created_at: isoTime(event.timestamp),
        ...(replyTo ? { in_reply_to: replyTo } : {}),
        meta: { kind: 'dm', sender_id: sender },
      },
    });
  }
  return out;
}

/** The text, with attachments shown as "[image] https://…" lines (customer text is shown, links not followed). */
function messageText(message: Record<string, unknown>): string | undefined {
  const lines: string[] = [];
  const text = str(message.text);
  if (text !== undefined) lines.push(text);
  for (const a of list(message.attachments)) {
    const att = obj(a);
    const url = str(obj(att.payload).url);
    lines.push(`[${str(att.type) ?? 'attachment'}]${url ? ` ${url}` : ''}`);
  }
  return lines.length > 0 ? lines.join('\n') : text;
}

/**
 * Answers a person by direct message through the Send API (`POST /me/messages`, `messaging_type: RESPONSE`):
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api/
 * Refused before any call when the person's last message is older than the 24-hour window: outside it, Meta
 * accepts only tagged messages, which customer care must not use for ordinary replies.
 */
export async function sendDirect(
  access: GraphAccess,
  recipient: { id: string } | { comment_id: string },
  text: string,
  opts: { lastCustomerMessageAt?: Date | undefined; maxLength: number; now?: number },
  rt?: ChannelRuntime,
): Promise<{ externalId: string; extraExternalIds?: string[] }> {
  const now = opts.now ?? Date.now();
  if (opts.lastCustomerMessageAt && now - opts.lastCustomerMessageAt.getTime() > REPLY_WINDOW_MS) {
    throw new SendError(
      'permanent',
      `outside the 24-hour messaging window: the customer last wrote at ${opts.lastCustomerMessageAt.toISOString()}; ` +
        'Meta accepts a reply only within 24 hours of their last message (answer publicly, or wait for them to write)',
    );
  }
  const ids: string[] = [];
  for (const part of splitThread(text, opts.maxLength)) {
    const r = await graphCall(
      access,
      'POST',
      'me/messages',
      { recipient, messaging_type: 'RESPONSE', message: { text: part } },
      rt,
    );
    const id = str(r.message_id);
    if (!id) throw new SendError('transient', 'the Send API answered without a message_id');
    ids.push(id);
  }
  return { externalId: ids[0]!, ...(ids.length > 1 ? { extraExternalIds: ids.slice(1) } : {}) };
}

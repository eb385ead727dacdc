import { createHash } from 'node:crypto';

/**
 * Message-IDs are the email messages' external ids. They are stored without their angle brackets and
 * whitespace, so `<A@b>` in one header and ` <A@b >` in another name the same message.
 */
export function normalizeMessageId(value: string): string | undefined {
  const inner = /<([^<>]+)>/.exec(value)?.[1] ?? value;
  const id = inner.replace(/\s+/g, '');
  return id.length > 0 && id.length <= 500 ? id : undefined;
}

/** The ids of a References (or In-Reply-To) header, oldest first. */
export function messageIdList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const bracketed = [...text.matchAll(/<([^<>]+)>/g)].map((m) => m[1]!);
  const raw = bracketed.length > 0 ? bracketed : text.split(/[\s,]+/);
  return raw.map((v) => normalizeMessageId(v)).filter((v): v is string => v !== undefined);
}

/**
 * The Message-ID of a reply, derived from the outbox's idempotency key: a retry of the same reply carries
 * the same id, so it is recognisable (in the Sent folder, and by the customer's mail program).
 */
export function replyMessageId(idempotencyKey: string, address: string): string {
  const domain = address.split('@')[1] ?? 'passeur.invalid';
  const key = idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '');
  return `passeur.${key || createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}`;
}

/** An id for a message that has none: the digest of its bytes, stable when the mailbox is read again. */
export function digestMessageId(sha256Hex: string): string {
  return `sha256.${sha256Hex}@no-message-id.invalid`;
}

/** References for a reply: the parent's own references, then the parent; long chains keep both ends. */
export function replyReferences(parentReferences: readonly string[], parentId: string): string[] {
  const chain = [...parentReferences.filter((r) => r !== parentId), parentId];
  return chain.length <= 20 ? chain : [chain[0]!, ...chain.slice(-19)];
}

import type { Queryable } from '../../server/db/database.ts';
import type { Connector, OutboundPost, SendResult } from '../connector.ts';

/**
 * The built-in test network: "publishing" records the post in `sandbox_posts`, keyed by the idempotency
 * key, exactly as a real network that honours idempotency keys would behave.
 */
export const sandboxConnector: Connector = {
  manifest: {
    network: 'sandbox',
    displayName: 'Sandbox',
    maxLength: 5000,
    supportsPrivate: true,
    inbound: ['push'],
    kinds: ['account'],
    canReply: true,
  },
  async send(db: Queryable, post: OutboundPost): Promise<SendResult> {
    const externalId = `sbx-${post.idempotencyKey}`;
    const r = await db.query<{ external_id: string }>(
      `insert into sandbox_posts (account_handle, external_id, in_reply_to, visibility, text, idempotency_key)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (idempotency_key) do update set idempotency_key = excluded.idempotency_key
       returning external_id`,
      [post.account.handle, externalId, post.inReplyTo, post.visibility, post.text, post.idempotencyKey],
    );
    return { externalId: r.rows[0]!.external_id };
  },
};

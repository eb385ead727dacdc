import type { Queryable } from '../../server/db/database.ts';

export interface StoredMessage {
  kind: string | null;
  author_handle: string;
  created_at: Date;
  meta: Record<string, unknown> | null;
}

/**
 * The stored message a reply answers (kind, author, when, what the connector noted about it), if Passeur has
 * it. Looked up in the organization of the account that replies, on the unique (org, channel, external id).
 */
export async function storedMessage(
  db: Queryable,
  accountId: number,
  channel: string,
  externalId: string | null,
): Promise<StoredMessage | undefined> {
  if (!externalId) return undefined;
  const r = await db.query<StoredMessage>(
    `select kind, author_handle, created_at, meta from messages
     where org_id = (select org_id from channel_accounts where id = $1) and channel = $2 and external_id = $3`,
    [accountId, channel, externalId],
  );
  return r.rows[0];
}

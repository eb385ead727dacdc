import type { AccountContext } from '../../channels/connector.ts';
import type { Queryable } from '../../server/db/database.ts';
import type { Keyring } from '../../server/secrets/keyring.ts';
import type { ChannelAccount } from '../organization/directory.ts';

interface AccountRow {
  id: number;
  community_id: number;
  network: string;
  handle: string;
  display_name: string;
  kind: string;
  paused: boolean;
  status: string;
  config: unknown;
  credentials: Buffer | null;
  cursor: unknown;
}

/** Accounts with their decrypted credentials and cursor, ready to hand to a connector. */
export async function accountContexts(
  db: Queryable,
  keyring: Keyring,
  filter: { orgId: number; network?: string; id?: number },
): Promise<AccountContext[]> {
  const r = await db.query<AccountRow>(
    `select id, community_id, network, handle, display_name, kind, paused, status, config, credentials, cursor
     from channel_accounts
     where org_id = $1 and ($2::text is null or network = $2) and ($3::int is null or id = $3) and status <> 'removed'
     order by id`,
    [filter.orgId, filter.network ?? null, filter.id ?? null],
  );
  return r.rows.map((row) => {
    const account: ChannelAccount = {
      id: row.id,
      communityId: row.community_id,
      network: row.network,
      handle: row.handle,
      displayName: row.display_name,
      kind: row.kind,
      paused: row.paused,
      status: row.status,
    };
    return {
      account,
      config: row.config,
      credentials: row.credentials ? keyring.decrypt(row.credentials) : {},
      cursor: row.cursor,
      saveCursor: (cursor: unknown) => saveCursor(db, row.id, cursor),
    };
  });
}

export async function saveCursor(db: Queryable, id: number, cursor: unknown): Promise<void> {
  await db.query('update channel_accounts set cursor = $2 where id = $1', [id, JSON.stringify(cursor ?? null)]);
}

export async function markSuccess(db: Queryable, id: number): Promise<void> {
  await db.query(
    `update channel_accounts set last_success_at = now(), failure_count = 0,
       status = case when status in ('error', 'rate_limited') then 'active' else status end
     where id = $1`,
    [id],
  );
}

/**
 * Records a failure. An authentication failure marks the account "needs reconnect" and a permanent one
 * "failed": the runner leaves it alone until an admin fixes it (a PATCH sets it active again).
 */
export async function markError(db: Queryable, id: number, kind: string, message: string): Promise<void> {
  await db.query(
    `update channel_accounts set last_error = $3, last_error_at = now(), failure_count = failure_count + 1,
       status = case $2 when 'auth' then 'needs_reconnect' when 'permanent' then 'failed'
         when 'rate_limited' then 'rate_limited' else 'error' end
     where id = $1`,
    [id, kind, `${kind}: ${message}`.slice(0, 1000)],
  );
}

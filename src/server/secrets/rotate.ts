import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type pg from 'pg';
import { audit } from '../../domain/audit/log.ts';
import { transaction } from '../db/database.ts';
import { type Key, type Keyring, parseKeys } from './keyring.ts';

/** Webhook secrets are stored as `kr1:` + base64 of the keyring's blob (see domain/webhooks/store.ts). */
const SEALED = 'kr1:';

export interface RotationResult {
  /** The key everything is now encrypted with. */
  keyId: string;
  accounts: number;
  webhooks: number;
  /** Authenticator-app secrets of people and single sign-on client secrets. */
  signIn: number;
  /** Already under the current key: left as they were. */
  unchanged: number;
}

/**
 * Re-encrypts every stored credential (channel accounts, outgoing webhook secrets) that is not under the
 * keyring's first key, in one transaction: either all are rotated or none. Each organization's audit log records
 * the rotation (key id and counts, never a secret).
 */
export async function reencryptAll(pool: pg.Pool, keyring: Keyring): Promise<RotationResult> {
  return transaction(pool, async (tx) => {
    const result: RotationResult = { keyId: keyring.keys[0]!.id, accounts: 0, webhooks: 0, signIn: 0, unchanged: 0 };
    const perOrg = new Map<number, { accounts: number; webhooks: number; signIn: number }>();
    const count = (org: number, what: 'accounts' | 'webhooks' | 'signIn') => {
      const c = perOrg.get(org) ?? { accounts: 0, webhooks: 0, signIn: 0 };
      c[what]++;
      perOrg.set(org, c);
      result[what]++;
    };
    const accounts = await tx.query<{ id: number; org_id: number; credentials: Buffer }>(
      'select id, org_id, credentials from channel_accounts where credentials is not null order by id for update',
    );
    for (const a of accounts.rows) {
      if (!keyring.isStale(a.credentials)) {
        result.unchanged++;
        continue;
      }
      const value = keyring.decrypt(a.credentials);
      await tx.query('update channel_accounts set credentials = $2 where id = $1', [a.id, keyring.encrypt(value)]);
      count(a.org_id, 'accounts');
    }
    const hooks = await tx.query<{ id: number; org_id: number; secret: string }>(
      `select id, org_id, secret from webhooks where secret like 'kr1:%' order by id for update`,
    );
    for (const h of hooks.rows) {
      const blob = Buffer.from(h.secret.slice(SEALED.length), 'base64');
      if (!keyring.isStale(blob)) {
        result.unchanged++;
        continue;
      }
      const sealed = `${SEALED}${keyring.encrypt(keyring.decrypt(blob)).toString('base64')}`;
      await tx.query('update webhooks set secret = $2 where id = $1', [h.id, sealed]);
      count(h.org_id, 'webhooks');
    }
    // Sign-in secrets: people's authenticator-app secrets and the single sign-on client secret.
    const sealedSignIn = [
      { table: 'people', key: 'id', column: 'totp_secret' },
      { table: 'sign_in_settings', key: 'org_id', column: 'oidc_client_secret' },
    ] as const;
    for (const t of sealedSignIn) {
      const rows = await tx.query<{ k: number; org_id: number; blob: Buffer }>(
        `select ${t.key} as k, org_id, ${t.column} as blob from ${t.table} where ${t.column} is not null
         order by ${t.key} for update`,
      );
      for (const r of rows.rows) {
        if (!keyring.isStale(r.blob)) {
          result.unchanged++;
          continue;
        }
        await tx.query(`update ${t.table} set ${t.column} = $2 where ${t.key} = $1`, [
          r.k,
          keyring.encrypt(keyring.decrypt(r.blob)),
        ]);
        count(r.org_id, 'signIn');
      }
    }
    for (const [orgId, c] of perOrg) {
      await audit(tx, {
        orgId,
        action: 'secrets.rotate',
        subjectType: 'keyring',
        subjectId: result.keyId,
        data: { accounts: c.accounts, webhooks: c.webhooks, ...(c.signIn ? { sign_in: c.signIn } : {}) },
      });
    }
    return result;
  });
}

/** A new key, named after the day (a suffix keeps several rotations on one day apart). */
export function newKey(existing: readonly Key[], now = new Date()): Key {
  const day = `k${now.toISOString().slice(0, 10).replaceAll('-', '')}`;
  let id = day;
  for (let i = 2; existing.some((k) => k.id === id); i++) id = `${day}-${i}`;
  return { id, key: randomBytes(32) };
}

/**
 * Puts a new key first in a key file, keeping the old ones after it (they still decrypt what was encrypted with
 * them, until the rotation is done). Written to a temporary file and renamed, so a crash leaves the old file.
 */
export function prependKey(file: string, key: Key): void {
  const old = parseKeys(fs.readFileSync(file, 'utf8'));
  const lines = [
    '# Passeur credentials keys: the first encrypts, all decrypt (keep this file with your backups)',
    ...[key, ...old].map((k) => `${k.id}:${k.key.toString('base64')}`),
  ];
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Leaves only the first key in a key file (once nothing is encrypted with the others). */
export function dropOldKeys(file: string): number {
  const keys = parseKeys(fs.readFileSync(file, 'utf8'));
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(
    tmp,
    `# Passeur credentials key (keep it with your backups)\n${keys[0]!.id}:${keys[0]!.key.toString('base64')}\n`,
    { mode: 0o600 },
  );
  fs.renameSync(tmp, file);
  return keys.length - 1;
}

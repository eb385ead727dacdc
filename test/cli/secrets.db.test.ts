import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../src/demo/organization.ts';
import { seedOrganization } from '../../src/domain/organization/seed.ts';
import { Keyring, parseKeys } from '../../src/server/secrets/keyring.ts';
import { describeEachDatabase } from '../support/db.ts';

function passeur(args: string[], env: Record<string, string>) {
  const r = spawnSync('bin/passeur', args, {
    env: { ...process.env, PASSEUR_SECRET_KEY: '', PASSEUR_SECRET_KEY_FILE: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SEALED = 'kr1:';

/** `passeur secrets rotate`: every channel credential and webhook secret ends up under the new key. */
describeEachDatabase('passeur secrets rotate', (db) => {
  const old = { id: 'old', key: randomBytes(32) };
  const oldRing = new Keyring([old], 'test');
  let accountId: number;
  let webhookId: number;

  async function seal() {
    const pool = db().pool;
    const org = (await pool.query<{ id: number }>('select id from organizations')).rows[0]!.id;
    const a = await pool.query<{ id: number }>(
      `update channel_accounts set credentials = $1
       where id = (select min(id) from channel_accounts) returning id`,
      [oldRing.encrypt({ access_token: 'tok-123' })],
    );
    accountId = a.rows[0]!.id;
    const w = await pool.query<{ id: number }>(
      `insert into webhooks (org_id, url, secret, events) values ($1, 'https://crm.example/hook', $2, '{case.created}')
       returning id`,
      [org, `${SEALED}${oldRing.encrypt('whsec-456').toString('base64')}`],
    );
    webhookId = w.rows[0]!.id;
  }

  async function stored() {
    const pool = db().pool;
    const a = await pool.query<{ credentials: Buffer }>('select credentials from channel_accounts where id = $1', [
      accountId,
    ]);
    const w = await pool.query<{ secret: string }>('select secret from webhooks where id = $1', [webhookId]);
    return {
      credentials: a.rows[0]!.credentials,
      secret: Buffer.from(w.rows[0]!.secret.slice(SEALED.length), 'base64'),
    };
  }

  beforeAll(async () => {
    await seedOrganization(db().pool, AIRSOCIAL, DEMO_PASSWORD);
    await seal();
  });

  it('with a key file: adds a new key first, re-encrypts everything under it, then drops the old key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-keys-'));
    const file = path.join(dir, 'secret.key');
    fs.writeFileSync(file, `old:${old.key.toString('base64')}\n`, { mode: 0o600 });

    const r = passeur(['secrets', 'rotate', '--data', dir], { DATABASE_URL: db().url });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/re-encrypted under key "k\d{8}": 1 channel account\(s\), 1 webhook secret\(s\)/);
    const keys = parseKeys(fs.readFileSync(file, 'utf8'));
    expect(keys.map((k) => k.id)).toEqual([expect.stringMatching(/^k\d{8}$/), 'old']);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const ring = new Keyring(keys, file);
    const s = await stored();
    expect(ring.isStale(s.credentials)).toBe(false);
    expect(ring.isStale(s.secret)).toBe(false);
    expect(new Keyring([keys[0]!], 'new only').decrypt(s.credentials)).toEqual({ access_token: 'tok-123' });
    expect(new Keyring([keys[0]!], 'new only').decrypt(s.secret)).toBe('whsec-456');
    expect(() => oldRing.decrypt(s.credentials)).toThrow(/does not have/);
    const audited = await db().pool.query(`select subject_id, data from audit_events where action = 'secrets.rotate'`);
    expect(audited.rows).toEqual([{ subject_id: keys[0]!.id, data: { accounts: 1, webhooks: 1 } }]);

    // Again with --drop-old: another new key, then only it is left in the file; everything still opens.
    const again = passeur(['secrets', 'rotate', '--data', dir, '--drop-old'], { DATABASE_URL: db().url });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('removed 2 old key(s)');
    const left = parseKeys(fs.readFileSync(file, 'utf8'));
    expect(left).toHaveLength(1);
    expect(left[0]!.id).not.toBe(keys[0]!.id);
    const s2 = await stored();
    expect(new Keyring(left, 'left').decrypt(s2.credentials)).toEqual({ access_token: 'tok-123' });
    expect(new Keyring(left, 'left').decrypt(s2.secret)).toBe('whsec-456');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with PASSEUR_SECRET_KEY: re-encrypts under the first key, and refuses clearly without the old one', async () => {
    await db().pool.query('delete from webhooks where id = $1', [webhookId]);
    await seal();
    const next = { id: 'next', key: randomBytes(32) };
    const line = (k: { id: string; key: Buffer }) => `${k.id}:${k.key.toString('base64')}`;

    const missing = passeur(['secrets', 'rotate'], { DATABASE_URL: db().url, PASSEUR_SECRET_KEY: line(next) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nothing was rotated');
    expect(missing.stderr).toContain('"old"');
    expect(oldRing.decrypt((await stored()).credentials)).toEqual({ access_token: 'tok-123' });

    const r = passeur(['secrets', 'rotate'], {
      DATABASE_URL: db().url,
      PASSEUR_SECRET_KEY: `${line(next)}\n${line(old)}`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('re-encrypted under key "next": 1 channel account(s), 1 webhook secret(s)');
    const s = await stored();
    const ring = new Keyring([next], 'next');
    expect(ring.decrypt(s.credentials)).toEqual({ access_token: 'tok-123' });
    expect(ring.decrypt(s.secret)).toBe('whsec-456');
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../src/demo/organization.ts';
import { audit, verifyChain } from '../../src/domain/audit/log.ts';
import { parseInbound } from '../../src/domain/ingest/model.ts';
import { ingest } from '../../src/domain/ingest/service.ts';
import { ingestDepsFor } from '../../src/domain/ingest/setup.ts';
import { seedOrganization } from '../../src/domain/organization/seed.ts';
import { type Database, openDatabase } from '../../src/server/db/database.ts';
import { describeEachDatabase } from '../support/db.ts';

function passeur(args: string[], env: Record<string, string>) {
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  // An empty value means "not set": the embedded database of --data.
  for (const [k, v] of Object.entries(env)) if (v === '') delete merged[k];
  const r = spawnSync('bin/passeur', args, { env: merged, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every row of the tables that matter, in a stable order, as text. */
async function fingerprint(pool: Database['pool']) {
  const out: Record<string, string> = {};
  for (const t of [
    'organizations',
    'people',
    'contacts',
    'contact_identities',
    'cases',
    'conversations',
    'messages',
    'audit_events',
  ]) {
    const r = await pool.query(
      `select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h, count(*)::int as n from ${t} x`,
    );
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

const opened: Database[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describeEachDatabase('passeur backup and restore', (db) => {
  it('restores a running database into a new data folder: same rows, ids continue, audit chain intact', async () => {
    const { orgId } = await seedOrganization(db().pool, AIRSOCIAL, DEMO_PASSWORD);
    const deps = await ingestDepsFor(db().pool, orgId);
    // Texts that stress the file format: tabs, newlines, backslashes, quotes, emoji, right-to-left text.
    const awkward = [
      'tab\there',
      'line\nbreak\r\nand CR',
      'back\\slash \\. \\N',
      '"quoted" \'single\'',
      '✈️ 🧳 مرحبا',
      '\\.',
    ];
    await ingest(
      deps,
      Array.from({ length: 120 }, (_, i) =>
        parseInbound({
          channel: 'sandbox',
          external_id: `b-${i}`,
          author: { handle: `@cust${i % 17}`, name: `Client ${i}` },
          text: `${awkward[i % awkward.length]} — bagage perdu vol AF${i}`,
          ...(i % 5 === 4 ? { in_reply_to: `b-${i - 1}` } : {}),
        }),
      ),
    );
    for (const action of ['case.viewed', 'reply.sent', 'policy.changed']) {
      await audit(db().pool, { orgId, action, subjectType: 'case', subjectId: 1, data: { note: 'tab\there' } });
    }
    expect((await db().pool.query('select count(*)::int as n from audit_events')).rows[0].n).toBeGreaterThanOrEqual(3);
    const before = await fingerprint(db().pool);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-backup-'));
    fs.chmodSync(dir, 0o755); // the embedded server's system user must reach the data folder
    dirs.push(dir);
    const file = path.join(dir, 'passeur.backup.gz');
    const b = passeur(['backup', '--out', file], { DATABASE_URL: db().url });
    expect(b.stderr + b.stdout).toContain('backup written');
    expect(b.code).toBe(0);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    expect(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')[0]).toBe('PASSEUR BACKUP 1');

    const target = path.join(dir, 'restored');
    const r = passeur(['restore', file, '--data', target], { DATABASE_URL: '' });
    expect(r.stderr + r.stdout).toMatch(/restored \d+ tables, \d+ rows/);
    expect(r.code).toBe(0);

    const restored = await openDatabase({ dataDir: target });
    opened.push(restored);
    expect(await fingerprint(restored.pool)).toEqual(before);
    expect(await verifyChain(restored.pool, orgId)).toBeNull();
    // New rows continue after the restored ids instead of colliding with them.
    const rdeps = await ingestDepsFor(restored.pool, orgId);
    const [fresh] = await ingest(rdeps, [
      parseInbound({ channel: 'sandbox', external_id: 'after-restore', author: { handle: '@new' }, text: 'hello' }),
    ]);
    const max = await db().pool.query('select max(id)::int as m from messages');
    expect(fresh!.message_id).toBeGreaterThan(max.rows[0].m);
    // The same message again is still recognised in the restored copy.
    const [again] = await ingest(rdeps, [
      parseInbound({ channel: 'sandbox', external_id: 'b-7', author: { handle: '@cust7' }, text: 'again' }),
    ]);
    expect(again!.created).toBe(false);

    // Restoring into a database that has rows is refused, and changes nothing.
    const twice = passeur(['restore', file], { DATABASE_URL: db().url });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/is not empty/);
    expect(await fingerprint(db().pool)).toEqual(before);
  }, 180_000);

  it('refuses a truncated or foreign file and restores nothing from it', async () => {
    await seedOrganization(db().pool, AIRSOCIAL, DEMO_PASSWORD);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-backup-'));
    fs.chmodSync(dir, 0o755); // the embedded server's system user must reach the data folder
    dirs.push(dir);
    const file = path.join(dir, 'full.gz');
    expect(passeur(['backup', '--out', file], { DATABASE_URL: db().url }).code).toBe(0);
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
    const cut = path.join(dir, 'cut.gz');
    fs.writeFileSync(cut, zlib.gzipSync(text.slice(0, Math.floor(text.length * 0.6))));
    const target = path.join(dir, 'restored');
    const r = passeur(['restore', cut, '--data', target], { DATABASE_URL: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('truncated');
    const restored = await openDatabase({ dataDir: target });
    opened.push(restored);
    expect((await restored.pool.query('select count(*)::int as n from people')).rows[0].n).toBe(0);

    const foreign = path.join(dir, 'foreign.gz');
    fs.writeFileSync(foreign, zlib.gzipSync('-- PostgreSQL database dump\n'));
    const f = passeur(['restore', foreign, '--data', path.join(dir, 'other')], { DATABASE_URL: '' });
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('not a Passeur backup');
    const missing = passeur(['backup'], { DATABASE_URL: db().url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--out FILE is required');
  }, 180_000);
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { SCOPE_SETS } from '../../src/domain/access/principal.ts';
import { digest } from '../../src/domain/access/secrets.ts';
import { describeEachDatabase } from '../support/db.ts';

function passeur(args: string[], env: Record<string, string>) {
  const r = spawnSync('bin/passeur', args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeEachDatabase('passeur CLI', (db) => {
  it('token create seeds the organization and prints the token alone on the last line', () => {
    const r = passeur(['token', 'create', '--name', 'crm'], { DATABASE_URL: db().url });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const token = lines.at(-1)!;
    expect(token).toMatch(/^psr_[A-Za-z0-9_-]{40,}$/);
    expect(r.stdout.endsWith(`${token}\n`)).toBe(true);
    return db()
      .pool.query('select name, scopes from api_tokens where token_hash = $1', [digest(token)])
      .then((q) => expect(q.rows).toEqual([{ name: 'crm', scopes: SCOPE_SETS.integration }]));
  });

  it('start on a port already taken ends at once with a clear error instead of running half-started', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const r = passeur(['start', '--port', String(port), '--no-demo-stream'], {
        DATABASE_URL: db().url,
        HOST: '127.0.0.1',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} is already in use`);
    } finally {
      taken.close();
    }
  });

  it('token create refuses an unknown scope or a missing name with a usage message', () => {
    const noName = passeur(['token', 'create'], { DATABASE_URL: db().url });
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('--name is required');
    const badScope = passeur(['token', 'create', '--name', 'x', '--scope', 'root'], { DATABASE_URL: db().url });
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain('unknown scope');
  });

  it('imports JSONL and CSV through the ingest path, reporting bad lines by number and skipping them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-import-'));
    const jsonl = path.join(dir, 'messages.jsonl');
    fs.writeFileSync(
      jsonl,
      [
        JSON.stringify({
          channel: 'sandbox',
          external_id: 'imp-1',
          account: '@AirSocial',
          author: { handle: '@a' },
          text: 'Bonjour, mon bagage ?',
        }),
        '{not json',
        JSON.stringify({ channel: 'sandbox', author: { handle: '@b' }, text: 'no id' }),
        '',
        JSON.stringify({
          channel: 'sandbox',
          external_id: 'imp-2',
          author: { handle: '@a' },
          text: 'merci',
          in_reply_to: 'imp-1',
        }),
      ].join('\n'),
    );
    const r = passeur(['import', jsonl], { DATABASE_URL: db().url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('messages.jsonl:2: skipped: not valid JSON');
    expect(r.stderr).toMatch(/messages\.jsonl:3: skipped: external_id: required/);
    expect(r.stderr).toContain('done: 2 new messages, 0 already known, 2 lines refused');

    const again = passeur(['import', jsonl], { DATABASE_URL: db().url });
    expect(again.stderr).toContain('done: 0 new messages, 2 already known');

    const csv = path.join(dir, 'messages.csv');
    fs.writeFileSync(
      csv,
      'channel,external_id,account,author_handle,author_name,text,created_at,in_reply_to\n' +
        'sandbox,csv-1,@AirSocial_de,@hans,Hans,"Mein Koffer, bitte ""schnell""",2026-11-20T10:00:00Z,\n' +
        'sandbox,csv-2,,@hans,,Danke,not-a-date,csv-1\n',
    );
    const c = passeur(['import', csv], { DATABASE_URL: db().url });
    expect(c.stderr).toMatch(/messages\.csv:3: skipped: created_at/);
    const rows = await db().pool.query(
      `select m.external_id, m.text, m.case_id = (select case_id from messages where external_id = 'imp-1') as same_case
       from messages m where m.external_id in ('imp-2', 'csv-1') order by m.external_id`,
    );
    expect(rows.rows).toEqual([
      { external_id: 'csv-1', text: 'Mein Koffer, bitte "schnell"', same_case: false },
      { external_id: 'imp-2', text: 'merci', same_case: true },
    ]);
    const dead = await db().pool.query(`select count(*)::int as n from dead_letters where source like 'import:%'`);
    expect(dead.rows[0].n).toBe(5);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

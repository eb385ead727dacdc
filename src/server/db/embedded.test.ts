import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolderError, type EmbeddedServer, startEmbedded } from './embedded.ts';

const node = path.resolve('node_modules/.bin/node');
const dirs: string[] = [];
const servers: EmbeddedServer[] = [];

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-embedded-'));
  fs.chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('recovers after its owner is killed: stale lock, orphaned server, data kept', async () => {
    const dir = path.join(tempDir(), 'data');
    const child = spawn(node, ['test/support/embedded-child.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const orphanPid = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The owner is gone without cleaning up: its lock file and its server remain.
    expect(fs.existsSync(path.join(dir, 'passeur.lock'))).toBe(true);
    expect(() => process.kill(orphanPid, 0)).not.toThrow();

    const server = await startEmbedded({ dataDir: dir });
    servers.push(server);
    expect(() => process.kill(orphanPid, 0)).toThrow();
    expect(await query(server.url, 'select note from survivors')).toEqual([{ note: 'written before the crash' }]);
  });

  it('never runs two servers on one folder; a CLI may share the running one', async () => {
    const dir = tempDir();
    const first = await startEmbedded({ dataDir: dir });
    servers.push(first);
    await expect(startEmbedded({ dataDir: dir })).rejects.toThrow(/already running/);
    const shared = await startEmbedded({ dataDir: dir, shareIfHeld: true });
    expect(shared.owned).toBe(false);
    expect(shared.port).toBe(first.port);
    expect(await query(shared.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('starts a stopped folder again quickly and keeps its logs out of stdout', async () => {
    const dir = tempDir();
    const a = await startEmbedded({ dataDir: dir });
    await query(a.url, "create table t (v text); insert into t values ('kept')");
    await a.stop();
    expect(fs.existsSync(path.join(dir, 'passeur.lock'))).toBe(false);
    const b = await startEmbedded({ dataDir: dir });
    servers.push(b);
    expect(await query(b.url, 'select v from t')).toEqual([{ v: 'kept' }]);
    expect(fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8')).toContain('ready to accept connections');
  });

  it.runIf(process.getuid?.() === 0)(
    'explains what to change when the postgres user cannot reach the folder',
    async () => {
      const parent = tempDir();
      fs.chmodSync(parent, 0o700);
      const err = await startEmbedded({ dataDir: path.join(parent, 'data') }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFolderError);
      expect(String(err)).toMatch(/cannot reach .* --data DIR/);
    },
  );
});

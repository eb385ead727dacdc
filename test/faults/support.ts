import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** A Passeur server running as a child process (`bin/passeur start`), so a test can kill it for real. */
export interface ServerProcess {
  child: ChildProcess;
  base: string;
  port: number;
  /** Resolves once the process has exited. */
  exited: Promise<number | null>;
}

export const TEST_SECRET_KEY = `test:${Buffer.alloc(32, 7).toString('base64')}`;

export async function startServerProcess(
  databaseUrl: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(path.resolve('bin/passeur'), ['start', '--port', String(port), '--role', 'all'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PASSEUR_DEMO_STREAM: '0',
      LOG_LEVEL: 'error',
      PASSEUR_SECRET_KEY: TEST_SECRET_KEY,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`passeur exited with ${child.exitCode} during start`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base, port, exited };
    await sleep(250);
  }
  child.kill('SIGKILL');
  throw new Error('passeur did not become ready');
}

export async function stopServerProcess(p: ServerProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  await p.exited;
  clearTimeout(timer);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface Attempt {
  /** HTTP status, or `network` when the connection failed (refused, reset, timed out). */
  status: number | 'network';
  retryAfter: string | null;
  at: number;
}

/**
 * Sends one message the way an integration does: on a connection error, a 503 or a 429 it waits and sends
 * the same message again (same external id) until it is accepted or refused for good.
 */
export async function sendWithRetry(
  url: string,
  token: string,
  body: string,
  log: Attempt[],
  opts: { timeoutMs?: number; giveUpAfterMs?: number } = {},
): Promise<{ status: number; body: { message_id?: number; case_id?: number; error?: string } }> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (Date.now() - started > (opts.giveUpAfterMs ?? 150_000)) throw new Error(`gave up on ${body.slice(0, 80)}`);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch {
      log.push({ status: 'network', retryAfter: null, at: Date.now() });
      await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)));
      continue;
    }
    const text = await res.text().catch(() => '');
    log.push({ status: res.status, retryAfter: res.headers.get('retry-after'), at: Date.now() });
    if (res.status === 503 || res.status === 429) {
      await sleep(Math.min(1000, 100 * 2 ** Math.min(attempt, 4)));
      continue;
    }
    let parsed: { message_id?: number; case_id?: number; error?: string } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {}
    return { status: res.status, body: parsed };
  }
}

/**
 * A TCP proxy between Passeur and PostgreSQL that a test can cut (every connection reset, new ones refused)
 * and restore, to play a database outage without touching the database itself.
 */
export class CuttableProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  readonly port: number;
  private readonly target: { host: string; port: number };

  constructor(port: number, target: { host: string; port: number }) {
    this.port = port;
    this.target = target;
  }

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Resets every open connection and refuses new ones until `open()`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

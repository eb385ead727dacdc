import pino from 'pino';
import type { AnyConnector } from '../../src/channels/connector.ts';
import { DEMO_PASSWORD } from '../../src/demo/organization.ts';
import { createToken } from '../../src/domain/access/service.ts';
import { loadConfig } from '../../src/server/config.ts';
import { type RunningPasseur, startPasseur } from '../../src/server/main.ts';

export interface TestServer extends RunningPasseur {
  base: string;
  /** An integration token (ingest + read cases). */
  token: string;
  /** Signs a demo person in; returns the Cookie header value. */
  login(email: string, password?: string): Promise<string>;
  /** JSON request helper; sends the CSRF header with cookies like the web app does. */
  request(
    method: string,
    path: string,
    opts?: { body?: unknown; cookie?: string; token?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

/** A real Passeur server on a free port over the given database (demo organization seeded, no demo stream). */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  opts: { connectors?: AnyConnector[] } = {},
): Promise<TestServer> {
  const config = loadConfig(
    // A fixed credentials key shared by every test server (they never touch ./data).
    {
      PASSEUR_SEND_DELAY_MS: '0',
      // Handover briefs follow the demo schedules and the clock: tests run the timer's passes themselves.
      PASSEUR_HANDOVER_MS: '0',
      // Everyone is off duty in tests (below): out-of-hours acknowledgements run only where a test asks for them.
      PASSEUR_COVERAGE_SWEEP_MS: '0',
      LOG_LEVEL: 'warn',
      PASSEUR_SECRET_KEY: `test:${Buffer.alloc(32, 7).toString('base64')}`,
      // A web app built elsewhere than dist/web (PASSEUR_WEB_DIR=… npm run build:web -- --outDir …).
      ...(process.env.PASSEUR_WEB_DIR ? { PASSEUR_WEB_DIR: process.env.PASSEUR_WEB_DIR } : {}),
      ...env,
    },
    { port: 0, databaseUrl, demoStream: false },
  );
  const running = await startPasseur(
    { ...config, host: '127.0.0.1' },
    { log: pino({ level: env.LOG_LEVEL ?? 'warn' }), ...(opts.connectors ? { connectors: opts.connectors } : {}) },
  );
  const base = running.url.replace('localhost', '127.0.0.1');
  // Deterministic assignment whatever the time of day: nobody is on duty unless a test says so.
  await running.ctx.pool.query('update people set on_duty = false where on_duty is null');
  const { token } = await createToken(running.ctx.pool, running.ctx.directory().orgId, 'tests', [
    'ingest',
    'cases:read',
  ]);
  const request: TestServer['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.cookie) {
      headers.cookie = opts.cookie;
      headers['x-requested-with'] = 'passeur';
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body, headers: res.headers };
  };
  return {
    ...running,
    base,
    token,
    request,
    login: async (email, password = DEMO_PASSWORD) => {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
      const setCookie = res.headers.get('set-cookie') ?? '';
      return setCookie.split(';')[0]!;
    },
  };
}

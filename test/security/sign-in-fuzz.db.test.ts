import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Property tests on the sign-in endpoints (second factor, authenticator set-up, sign-in settings, the provider's
 * callback): whatever arrives, a clear 4xx naming the field (or a redirect to the sign-in page with a reason),
 * never a 500, and nothing signs anyone in.
 */
const RUNS = 120;
const nasty = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '000000', '123 456', '-1', '1e309', '__proto__', "' or 1=1 --"),
  fc.integer(),
  fc.constantFrom(null, true, [], {}),
);

function expectClear(res: { status: number; body: any }, what: string): void {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.status, what).toBeGreaterThanOrEqual(400);
  expect(typeof res.body?.error, `${what}: error code`).toBe('string');
  if (res.body.error === 'invalid_body') expect(typeof res.body.field, `${what}: field named`).toBe('string');
}

describeEachDatabase('sign-in endpoints under bad input', (db) => {
  let server: TestServer;
  let person: string;
  let leader: string;
  const ran: Record<string, number> = {};

  beforeAll(async () => {
    server = await startTestServer(db().url);
    person = await server.login('sophie@airsocial.example');
    leader = await server.login('marie@airsocial.example');
  });
  afterAll(async () => {
    console.info(`[fuzz] sign-in cases run: ${JSON.stringify(ran)}`);
    await server?.close();
  });

  it('refuses any body to the code step, enrolment and disabling with a clear 4xx', async () => {
    const body = fc.oneof(
      nasty,
      fc.dictionary(fc.constantFrom('code', 'recovery_code', 'password', 'x'), nasty, { maxKeys: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('/api/v1/auth/totp', '/api/v1/me/totp/enable', '/api/v1/me/totp/disable'),
        async (b, path) => {
          ran[path] = (ran[path] ?? 0) + 1;
          const res = await server.request('POST', path, {
            body: JSON.stringify(b),
            ...(path.startsWith('/api/v1/me') ? { cookie: person } : {}),
          });
          // A well-formed code for someone without a second factor under way is still refused.
          expectClear(res, `POST ${path} ${JSON.stringify(b)}`);
        },
      ),
      { numRuns: RUNS },
    );
    await db().pool.query('update people set failed_logins = 0, locked_until = null');
  });

  it('refuses any sign-in settings a leader might send wrongly, naming the field', async () => {
    const valid = {
      totp_required: false,
      oidc: {
        enabled: false,
        name: '',
        issuer: null,
        client_id: null,
        scopes: 'openid',
        role_rules: [],
        community_rules: [],
        default_role: null,
        auto_provision: false,
        allowed_domains: [],
      },
    };
    const keys = [
      'totp_required',
      'oidc.enabled',
      'oidc.issuer',
      'oidc.client_id',
      'oidc.scopes',
      'oidc.role_rules',
      'oidc.community_rules',
      'oidc.default_role',
      'oidc.allowed_domains',
      'oidc.extra',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), nasty, async (key, value) => {
        ran['PUT /api/v1/organization/sign-in'] = (ran['PUT /api/v1/organization/sign-in'] ?? 0) + 1;
        const body = structuredClone(valid) as Record<string, any>;
        const [a, b] = key.split('.');
        if (b) body[a!][b] = value;
        else body[a!] = value;
        const res = await server.request('PUT', '/api/v1/organization/sign-in', { cookie: leader, body });
        if (res.status === 200) return; // the value happened to be valid
        expectClear(res, `PUT sign-in ${key}=${JSON.stringify(value)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any callback query with a redirect to the sign-in page, never a session', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('code', 'state', 'iss', 'error', 'session_state', 'x'),
          fc.string({ maxLength: 80 }),
          {
            maxKeys: 4,
          },
        ),
        async (q) => {
          ran['GET /api/v1/auth/oidc/callback'] = (ran['GET /api/v1/auth/oidc/callback'] ?? 0) + 1;
          const res = await fetch(`${server.base}/api/v1/auth/oidc/callback?${new URLSearchParams(q)}`, {
            redirect: 'manual',
            headers: { cookie: 'passeur_oidc=psf_forged' },
          });
          expect(res.status).toBe(302);
          expect(res.headers.get('location')).toMatch(/^\/login\?sso_error=sso_/);
          expect(res.headers.getSetCookie().some((c) => c.startsWith('passeur_session='))).toBe(false);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

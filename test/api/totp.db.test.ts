import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/organization.ts';
import { totpClock } from '../../src/domain/access/second-factor.ts';
import { base32Decode, totp } from '../../src/domain/access/totp.ts';
import { Keyring } from '../../src/server/secrets/keyring.ts';
import { reencryptAll } from '../../src/server/secrets/rotate.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Authenticator-app second factor through the API: enrolment, the second sign-in step, replay refused, the ±1
 * step window, one-time recovery codes, lock-out shared with passwords, turning it off, and the organization's
 * requirement for leaders and approvers. Time is moved by replacing the clock codes are checked against.
 */
const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
let now = T0;

describeEachDatabase('TOTP second factor', (db) => {
  let server: TestServer;
  let leader: string;

  /** The password step: the cookies it set and its body. */
  const password = async (email: string, pw = DEMO_PASSWORD) => {
    const res = await fetch(`${server.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: pw }),
    });
    const cookies = Object.fromEntries(
      res.headers.getSetCookie().map((c) => {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        return [pair!.slice(0, eq), pair!.slice(eq + 1)];
      }),
    );
    return { status: res.status, body: await res.json(), cookies };
  };
  /** The second step, with the flow cookie of the password step. */
  const second = async (flow: string | undefined, body: Record<string, string>) => {
    const res = await fetch(`${server.base}/api/v1/auth/totp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(flow ? { cookie: `passeur_signin=${flow}` } : {}) },
      body: JSON.stringify(body),
    });
    const session = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('passeur_session='))
      ?.split(';')[0];
    return { status: res.status, body: await res.json(), session };
  };
  const enrol = async (cookie: string) => {
    const setup = await server.request('POST', '/api/v1/me/totp/setup', { cookie });
    expect(setup.status).toBe(200);
    const secret = base32Decode(setup.body.secret);
    const enable = await server.request('POST', '/api/v1/me/totp/enable', {
      cookie,
      body: { code: totp(secret, now) },
    });
    expect(enable.status, JSON.stringify(enable.body)).toBe(200);
    return { secret, setup: setup.body, recovery: enable.body.recovery_codes as string[], enable };
  };

  beforeAll(async () => {
    totpClock.now = () => now;
    server = await startTestServer(db().url, { PASSEUR_LOGIN_ATTEMPTS: '6', PASSEUR_LOGIN_RATE: '5' });
    leader = await server.login('marie@airsocial.example');
  });
  afterEach(async () => {
    await db().pool.query('update people set failed_logins = 0, locked_until = null');
  });
  afterAll(async () => {
    totpClock.now = () => Date.now();
    await server?.close();
  });

  let secret: Buffer;
  let recovery: string[];

  it('enrols with a code: the secret is shown once, stored encrypted, and recovery codes come back once', async () => {
    now = T0;
    const cookie = await server.login('luca@airsocial.example');
    expect((await server.request('GET', '/api/v1/me/totp', { cookie })).body).toEqual({
      enabled: false,
      required: false,
      enrolment_required: false,
      recovery_codes_left: 0,
    });
    const setup = await server.request('POST', '/api/v1/me/totp/setup', { cookie });
    expect(setup.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/.+secret=[A-Z2-7]+/);
    expect(setup.body.qr_svg).toMatch(/^<svg/);
    secret = base32Decode(setup.body.secret);
    const stored = await db().pool.query<{ totp_secret: Buffer; totp_enabled: boolean }>(
      `select totp_secret, totp_enabled from people where email = 'luca@airsocial.example'`,
    );
    expect(stored.rows[0]!.totp_enabled).toBe(false);
    expect(stored.rows[0]!.totp_secret.toString('latin1')).not.toContain(setup.body.secret);

    const wrong = await server.request('POST', '/api/v1/me/totp/enable', { cookie, body: { code: '000000' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_code', field: 'code' });
    const badShape = await server.request('POST', '/api/v1/me/totp/enable', { cookie, body: { code: '12ab' } });
    expect(badShape.status).toBe(400);
    expect(badShape.body.field).toBe('code');

    const ok = await server.request('POST', '/api/v1/me/totp/enable', { cookie, body: { code: totp(secret, now) } });
    expect(ok.status).toBe(200);
    recovery = ok.body.recovery_codes;
    expect(recovery).toHaveLength(10);
    const hashes = await db().pool.query<{ totp_recovery_codes: string[] }>(
      `select totp_recovery_codes from people where email = 'luca@airsocial.example'`,
    );
    expect(hashes.rows[0]!.totp_recovery_codes).toHaveLength(10);
    expect(hashes.rows[0]!.totp_recovery_codes).not.toContain(recovery[0]);
    // Never again: no second look at the secret or the codes.
    expect((await server.request('POST', '/api/v1/me/totp/setup', { cookie })).status).toBe(409);
    const state = await server.request('GET', '/api/v1/me/totp', { cookie });
    expect(state.body).toMatchObject({ enabled: true, recovery_codes_left: 10 });
    expect(JSON.stringify(state.body)).not.toContain(setup.body.secret);
    const audited = await db().pool.query(`select 1 from audit_events where action = 'auth.totp_enabled'`);
    expect(audited.rowCount).toBe(1);
  });

  it('asks for a code after the password, opens the session only then, and never accepts a code twice', async () => {
    const first = await password('luca@airsocial.example');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ second_factor: 'totp' });
    expect(first.cookies.passeur_session).toBeUndefined();
    expect(first.cookies.passeur_signin).toBeDefined();
    // The code used to enable (same time step) is spent.
    const replay = await second(first.cookies.passeur_signin, { code: totp(secret, now) });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_code');
    expect(replay.session).toBeUndefined();

    now = T0 + 30_000;
    const ok = await second(first.cookies.passeur_signin, { code: totp(secret, now) });
    expect(ok.status).toBe(200);
    expect(ok.body.person.email).toBe('luca@airsocial.example');
    expect((await server.request('GET', '/api/v1/me', { cookie: ok.session })).status).toBe(200);
    const method = await db().pool.query<{ method: string }>(
      `select method from sessions s join people p on p.id = s.person_id where p.email = 'luca@airsocial.example'
       order by s.created_at desc limit 1`,
    );
    expect(method.rows[0]!.method).toBe('password+totp');
    // The flow is used up: the same cookie cannot open a second session.
    now = T0 + 60_000;
    expect((await second(first.cookies.passeur_signin, { code: totp(secret, now) })).body.error).toBe(
      'sign_in_expired',
    );
    // Without the password step, nothing.
    expect((await second(undefined, { code: totp(secret, now) })).status).toBe(401);

    // The same code again on a fresh sign-in: refused.
    const again = await password('luca@airsocial.example');
    now = T0 + 60_000;
    const sameStep = totp(secret, T0 + 30_000);
    expect((await second(again.cookies.passeur_signin, { code: sameStep })).status).toBe(401);
  });

  it('accepts one step of drift either way, not two', async () => {
    now = T0 + 10 * 30_000;
    const a = await password('luca@airsocial.example');
    expect((await second(a.cookies.passeur_signin, { code: totp(secret, now - 60_000) })).status).toBe(401);
    expect((await second(a.cookies.passeur_signin, { code: totp(secret, now + 60_000) })).status).toBe(401);
    expect((await second(a.cookies.passeur_signin, { code: totp(secret, now - 30_000) })).status).toBe(200);
    const b = await password('luca@airsocial.example');
    expect((await second(b.cookies.passeur_signin, { code: totp(secret, now + 30_000) })).status).toBe(200);
    // The step ahead was used: the current one, older than it, is refused now.
    const c = await password('luca@airsocial.example');
    expect((await second(c.cookies.passeur_signin, { code: totp(secret, now) })).status).toBe(401);
  });

  it('takes each recovery code once', async () => {
    const a = await password('luca@airsocial.example');
    const used = await second(a.cookies.passeur_signin, { recovery_code: recovery[0]!.toUpperCase() });
    expect(used.status).toBe(200);
    const b = await password('luca@airsocial.example');
    expect((await second(b.cookies.passeur_signin, { recovery_code: recovery[0]! })).status).toBe(401);
    expect((await second(b.cookies.passeur_signin, { recovery_code: recovery[1]! })).status).toBe(200);
    const left = await server.request('GET', '/api/v1/me/totp', { cookie: used.session });
    expect(left.body.recovery_codes_left).toBe(8);
    const audited = await db().pool.query(`select 1 from audit_events where action = 'auth.recovery_code_used'`);
    expect(audited.rowCount).toBe(2);
  });

  it('locks the account after too many wrong codes, like wrong passwords, and a known password does not reset it', async () => {
    now = T0 + 100 * 30_000;
    let flow = (await password('luca@airsocial.example')).cookies.passeur_signin;
    for (let i = 0; i < 4; i++) expect((await second(flow, { code: '000000' })).status).toBe(401);
    // A new password step (the password is right) does not clear the count.
    flow = (await password('luca@airsocial.example')).cookies.passeur_signin;
    expect((await second(flow, { code: '000001' })).status).toBe(401);
    const last = await second(flow, { code: '000002' });
    expect(last.status).toBe(401);
    const locked = await second(flow, { code: totp(secret, now) });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('locked');
    expect((await password('luca@airsocial.example')).status).toBe(429);
    const failures = await db().pool.query(`select 1 from audit_events where action = 'auth.totp_failed'`);
    expect(failures.rowCount).toBeGreaterThanOrEqual(6);
  });

  it('ends a second-factor step after five wrong codes', async () => {
    now = T0 + 200 * 30_000;
    const flow = (await password('luca@airsocial.example')).cookies.passeur_signin;
    for (let i = 0; i < 5; i++) expect((await second(flow, { code: '111111' })).body.error).toBe('invalid_code');
    await db().pool.query('update people set failed_logins = 0');
    expect((await second(flow, { code: totp(secret, now) })).body.error).toBe('sign_in_expired');
  });

  it('opens no session for someone deactivated between the password and the code', async () => {
    now = T0 + 250 * 30_000;
    const flow = (await password('luca@airsocial.example')).cookies.passeur_signin;
    await db().pool.query(`update people set active = false where email = 'luca@airsocial.example'`);
    const r = await second(flow, { code: totp(secret, now) });
    await db().pool.query(`update people set active = true where email = 'luca@airsocial.example'`);
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('sign_in_expired');
    expect(r.session).toBeUndefined();
  });

  it('turns off with the password or a code, not with a wrong one', async () => {
    now = T0 + 300 * 30_000;
    const a = await password('luca@airsocial.example');
    const s = await second(a.cookies.passeur_signin, { code: totp(secret, now) });
    const cookie = s.session!;
    const wrong = await server.request('POST', '/api/v1/me/totp/disable', { cookie, body: { password: 'nope' } });
    expect(wrong.status).toBe(401);
    const off = await server.request('POST', '/api/v1/me/totp/disable', { cookie, body: { password: DEMO_PASSWORD } });
    expect(off.status).toBe(204);
    const direct = await password('luca@airsocial.example');
    expect(direct.body.person.email).toBe('luca@airsocial.example');
    const row = await db().pool.query<{ totp_secret: Buffer | null }>(
      `select totp_secret from people where email = 'luca@airsocial.example'`,
    );
    expect(row.rows[0]!.totp_secret).toBeNull();
  });

  describe('when the organization requires it for leaders and approvers', () => {
    it('lets an approver without it only enrol, then gives a full session under a new id', async () => {
      now = T0 + 400 * 30_000;
      const settings = await server.request('GET', '/api/v1/organization/sign-in', { cookie: leader });
      const { client_secret_set: _s, ...oidc } = settings.body.oidc;
      const put = await server.request('PUT', '/api/v1/organization/sign-in', {
        cookie: leader,
        body: { totp_required: true, oidc },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.totp_required).toBe(true);

      // A backup is not concerned.
      expect((await password('sophie@airsocial.example')).body.person.totp_enrolment_required).toBe(false);

      const anna = await password('anna@airsocial.example');
      expect(anna.status).toBe(200);
      expect(anna.body.person.totp_enrolment_required).toBe(true);
      const cookie = `passeur_session=${anna.cookies.passeur_session}`;
      const blocked = await server.request('GET', '/api/v1/cases', { cookie });
      expect(blocked.status).toBe(403);
      expect(blocked.body.error).toBe('totp_enrolment_required');
      expect((await server.request('GET', '/api/v1/approvals', { cookie })).status).toBe(403);
      expect((await server.request('GET', '/api/v1/me/totp', { cookie })).body).toMatchObject({
        required: true,
        enrolment_required: true,
      });
      const { enable } = await enrol(cookie);
      const fresh = enable.headers.getSetCookie().find((c) => c.startsWith('passeur_session='))!;
      const next = fresh.split(';')[0]!;
      expect(next).not.toBe(cookie);
      expect((await server.request('GET', '/api/v1/cases', { cookie })).status).toBe(401);
      expect((await server.request('GET', '/api/v1/cases', { cookie: next })).status).toBe(200);
      // Required: it cannot be turned off.
      const off = await server.request('POST', '/api/v1/me/totp/disable', {
        cookie: next,
        body: { password: DEMO_PASSWORD },
      });
      expect(off.status).toBe(409);
      expect(off.body.error).toBe('totp_required');
      // From now on, the code step.
      expect((await password('anna@airsocial.example')).body).toEqual({ second_factor: 'totp' });
    });

    it('re-encrypts authenticator secrets when the key rotates, and codes keep working', async () => {
      const old = server.ctx.keyring.keys;
      const ring = new Keyring([{ id: 'next', key: Buffer.alloc(32, 9) }, ...old], 'test');
      const r = await reencryptAll(db().pool, ring);
      expect(r.signIn).toBeGreaterThanOrEqual(1);
      const row = await db().pool.query<{ totp_secret: Buffer }>(
        `select totp_secret from people where email = 'anna@airsocial.example'`,
      );
      expect(ring.isStale(row.rows[0]!.totp_secret)).toBe(false);
      expect(() => new Keyring(old, 'old only').decrypt(row.rows[0]!.totp_secret)).toThrow();
      const audited = await db().pool.query<{ data: { sign_in?: number } }>(
        `select data from audit_events where action = 'secrets.rotate'`,
      );
      expect(audited.rows[0]!.data.sign_in).toBe(r.signIn);
    });

    it("lets a leader, or the operator's command, turn off someone's second factor (a lost phone)", async () => {
      const anna = (
        await db().pool.query<{ id: number }>(`select id from people where email = 'anna@airsocial.example'`)
      ).rows[0]!.id;
      const manager = await server.login('lea@airsocial.example');
      expect((await server.request('POST', `/api/v1/people/${anna}/totp/reset`, { cookie: manager })).status).toBe(403);
      expect((await server.request('POST', '/api/v1/people/999999/totp/reset', { cookie: leader })).status).toBe(404);
      const annaSession = `passeur_session=${(await password('anna@airsocial.example')).cookies.passeur_session ?? ''}`;
      const reset = await server.request('POST', `/api/v1/people/${anna}/totp/reset`, { cookie: leader });
      expect(reset.status).toBe(204);
      const row = await db().pool.query<{ totp_enabled: boolean; sessions: number }>(
        `select totp_enabled, (select count(*)::int from sessions where person_id = $1) as sessions
         from people where id = $1`,
        [anna],
      );
      expect(row.rows[0]).toEqual({ totp_enabled: false, sessions: 0 });
      expect((await server.request('GET', '/api/v1/me', { cookie: annaSession })).status).toBe(401);
      // Still required: the next password sign-in can only enrol.
      expect((await password('anna@airsocial.example')).body.person.totp_enrolment_required).toBe(true);

      await db().pool.query(`update people set totp_enabled = true where id = $1`, [anna]);
      const cli = spawnSync('bin/passeur', ['second-factor', 'reset', 'ANNA@airsocial.example'], {
        env: { ...process.env, DATABASE_URL: db().url },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(cli.status, cli.stderr).toBe(0);
      expect(cli.stdout).toContain('second factor of ANNA@airsocial.example turned off');
      const audited = await db().pool.query<{ actor_person_id: number | null; data: { via: string } }>(
        `select actor_person_id, data from audit_events where action = 'auth.totp_reset' order by id`,
      );
      expect(audited.rows.map((r) => r.data.via)).toEqual(['api', 'cli']);
      expect(audited.rows[1]!.actor_person_id).toBeNull();
      const unknown = spawnSync('bin/passeur', ['second-factor', 'reset', 'nobody@example.com'], {
        env: { ...process.env, DATABASE_URL: db().url },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('nobody has the email nobody@example.com');
    });

    it('refuses the requirement switch to anyone but a leader', async () => {
      const manager = await server.login('lea@airsocial.example');
      const r = await server.request('PUT', '/api/v1/organization/sign-in', {
        cookie: manager,
        body: { totp_required: false, oidc: {} },
      });
      expect(r.status).toBe(403);
      const settings = await db().pool.query<{ totp_required: boolean }>('select totp_required from sign_in_settings');
      expect(settings.rows[0]!.totp_required).toBe(true);
    });
  });
});

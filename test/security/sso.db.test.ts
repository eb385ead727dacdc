import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { browse, CookieJar, startIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, in this process, on a free port): the whole
 * authorization code flow by HTTP, through the provider's login and consent screens, then the claims mapped to a
 * role and communities, linking by verified email, provisioning on and off, and every refusal.
 */
describeEachDatabase('single sign-on (OpenID Connect)', (db) => {
  let server: TestServer;
  let idp: TestIdentityProvider;
  let leader: string;

  const settings = (over: Record<string, unknown> = {}) => ({
    totp_required: false,
    oidc: {
      enabled: true,
      name: 'Corporate SSO',
      issuer: idp.issuer,
      client_id: idp.clientId,
      scopes: 'openid email profile groups',
      role_rules: [
        { claim: 'groups', value: 'passeur-leaders', role: 'leader' },
        { claim: 'groups', value: 'passeur-agents', role: 'backup' },
      ],
      community_rules: [{ claim: 'groups', value: 'care-fr', community: 'airsocial-fr' }],
      default_role: null,
      auto_provision: false,
      allowed_domains: [],
      ...over,
    },
  });
  const configure = async (over: Record<string, unknown> = {}) => {
    const r = await server.request('PUT', '/api/v1/organization/sign-in', { cookie: leader, body: settings(over) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  /** Signs in through the provider as `sub`; returns where Passeur sent the browser and the session cookie. */
  const ssoSignIn = async (sub: string, opts: { tamper?: (url: URL) => URL | Promise<URL>; next?: string } = {}) => {
    const jar = new CookieJar();
    const start = `${server.base}/api/v1/auth/oidc/start${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`;
    let { url, res } = await browse(jar, start, {
      login: sub,
      stopAt: (u) => opts.tamper !== undefined && u.pathname === '/api/v1/auth/oidc/callback',
    });
    if (opts.tamper) ({ url, res } = await browse(jar, (await opts.tamper(url)).href, { login: sub }));
    const session = jar.get('passeur_session');
    return { url, res, cookie: session ? `passeur_session=${session}` : undefined, jar };
  };

  beforeAll(async () => {
    server = await startTestServer(db().url);
    idp = await startIdentityProvider(`${server.base}/api/v1/auth/oidc/callback`);
    leader = await server.login('marie@airsocial.example');
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  it('offers no provider until a leader configures one, and keeps the client secret write-only and encrypted', async () => {
    expect((await server.request('GET', '/api/v1/auth/providers')).body).toEqual({ password: true, oidc: null });
    const refused = await fetch(`${server.base}/api/v1/auth/oidc/start`, { redirect: 'manual' });
    expect(refused.status).toBe(302);
    expect(refused.headers.get('location')).toBe('/login?sso_error=sso_not_configured');

    const bad = await server.request('PUT', '/api/v1/organization/sign-in', {
      cookie: leader,
      body: { ...settings(), oidc: { ...settings().oidc, issuer: 'http://idp.example.com/' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('oidc.issuer');
    const unknownCommunity = await server.request('PUT', '/api/v1/organization/sign-in', {
      cookie: leader,
      body: settings({ community_rules: [{ claim: 'groups', value: 'x', community: 'nowhere' }] }),
    });
    expect(unknownCommunity.status).toBe(400);
    expect(unknownCommunity.body.message).toContain('nowhere');

    const saved = await configure({ client_secret: idp.clientSecret });
    expect(saved.oidc.client_secret_set).toBe(true);
    expect(JSON.stringify(saved)).not.toContain(idp.clientSecret);
    // Saving again without the secret keeps it.
    expect((await configure()).oidc.client_secret_set).toBe(true);
    const got = await server.request('GET', '/api/v1/organization/sign-in', { cookie: leader });
    expect(JSON.stringify(got.body)).not.toContain(idp.clientSecret);
    const row = await db().pool.query<{ oidc_client_secret: Buffer }>(
      'select oidc_client_secret from sign_in_settings',
    );
    expect(row.rows[0]!.oidc_client_secret.includes(Buffer.from(idp.clientSecret))).toBe(false);
    const audit = await db().pool.query<{ data: { oidc: { client_secret: string } } }>(
      `select data from audit_events where action = 'sign_in.changed' order by id`,
    );
    expect(audit.rows.map((r) => r.data.oidc.client_secret)).toEqual(['set', 'kept']);
    expect(JSON.stringify(audit.rows)).not.toContain(idp.clientSecret);
    expect((await server.request('GET', '/api/v1/auth/providers')).body.oidc).toEqual({ name: 'Corporate SSO' });
  });

  it('signs a known person in by verified email, links the identity, maps role and communities from groups', async () => {
    idp.account('sub-sophie', {
      email: 'sophie@airsocial.example',
      email_verified: true,
      name: 'Sophie',
      groups: ['passeur-agents', 'care-fr'],
    });
    const before = await db().pool.query<{ id: string }>('select id from sessions');
    const { url, res, cookie } = await ssoSignIn('sub-sophie', { next: '/cases/1' });
    expect(res.status).toBe(200);
    expect(url.href).toBe(`${server.base}/cases/1`);
    expect(cookie).toBeDefined();
    const me = await server.request('GET', '/api/v1/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('sophie@airsocial.example');
    expect(me.body.role).toBe('backup');
    expect(me.body.communities.map((c: { slug: string }) => c.slug)).toEqual(['airsocial-fr']);
    const person = await db().pool.query<{ oidc_issuer: string; oidc_subject: string }>(
      `select oidc_issuer, oidc_subject from people where email = 'sophie@airsocial.example'`,
    );
    expect(person.rows[0]).toEqual({ oidc_issuer: idp.issuer, oidc_subject: 'sub-sophie' });
    // A fresh session id, recorded as an OpenID Connect sign-in.
    const sessions = await db().pool.query<{ id: string; method: string }>('select id, method from sessions');
    const fresh = sessions.rows.filter((s) => !before.rows.some((b) => b.id === s.id));
    expect(fresh.map((s) => s.method)).toEqual(['oidc']);
    const actions = await db().pool.query<{ action: string; data: { method?: string } }>(
      `select action, data from audit_events where action in ('person.sso_linked', 'auth.login') order by id desc limit 2`,
    );
    expect(actions.rows.map((r) => r.action).sort()).toEqual(['auth.login', 'person.sso_linked']);

    // Promoted at the provider: the next sign-in (found by subject, even with another email) carries it over.
    idp.account('sub-sophie', {
      email: 'sophie.new@elsewhere.example',
      email_verified: true,
      groups: ['passeur-leaders'],
    });
    const again = await ssoSignIn('sub-sophie');
    const me2 = await server.request('GET', '/api/v1/me', { cookie: again.cookie });
    expect(me2.body.email).toBe('sophie@airsocial.example');
    expect(me2.body.role).toBe('leader');
    const synced = await db().pool.query(`select 1 from audit_events where action = 'person.role_synced'`);
    expect(synced.rowCount).toBe(1);
    await db().pool.query(`update people set role = 'backup' where email = 'sophie@airsocial.example'`);
  });

  it('never follows a next address off the site', async () => {
    idp.account('sub-luca', { email: 'luca@airsocial.example', email_verified: true, groups: ['passeur-agents'] });
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const { url } = await ssoSignIn('sub-luca', { next });
      expect(url.href).toBe(`${server.base}/`);
    }
  });

  it('refuses unknown people unless provisioning is on, then creates them with the mapped role', async () => {
    idp.account('sub-new', {
      email: 'newcomer@airsocial.example',
      email_verified: true,
      name: 'Nina Newcomer',
      groups: ['passeur-agents', 'care-fr'],
    });
    const refused = await ssoSignIn('sub-new');
    expect(refused.url.pathname + refused.url.search).toBe('/login?sso_error=sso_unknown_user');
    expect(refused.cookie).toBeUndefined();
    expect((await db().pool.query(`select 1 from people where email = 'newcomer@airsocial.example'`)).rowCount).toBe(0);
    const audited = await db().pool.query<{ data: { reason: string } }>(
      `select data from audit_events where action = 'auth.oidc_refused' order by id desc limit 1`,
    );
    expect(audited.rows[0]!.data.reason).toBe('sso_unknown_user');

    await configure({ auto_provision: true, allowed_domains: ['airsocial.example'] });
    const created = await ssoSignIn('sub-new');
    const me = await server.request('GET', '/api/v1/me', { cookie: created.cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'Nina Newcomer', email: 'newcomer@airsocial.example', role: 'backup' });
    expect(me.body.communities.map((c: { slug: string }) => c.slug)).toEqual(['airsocial-fr']);
    const row = await db().pool.query<{ password_hash: string | null }>(
      `select password_hash from people where email = 'newcomer@airsocial.example'`,
    );
    expect(row.rows[0]!.password_hash).toBeNull();
    // No password: the password form cannot be used for a provisioned person.
    const pw = await server.request('POST', '/api/v1/auth/login', {
      body: { email: 'newcomer@airsocial.example', password: 'anything' },
    });
    expect(pw.status).toBe(401);
  });

  it('refuses identities the rules give no role, unverified emails and other domains', async () => {
    idp.account('sub-norole', { email: 'norole@airsocial.example', email_verified: true, groups: ['sales'] });
    expect((await ssoSignIn('sub-norole')).url.search).toBe('?sso_error=sso_no_role');
    idp.account('sub-unverified', {
      email: 'paul@airsocial.example',
      email_verified: false,
      groups: ['passeur-agents'],
    });
    expect((await ssoSignIn('sub-unverified')).url.search).toBe('?sso_error=sso_email_unverified');
    idp.account('sub-outside', { email: 'x@gmail.example', email_verified: true, groups: ['passeur-agents'] });
    expect((await ssoSignIn('sub-outside')).url.search).toBe('?sso_error=sso_domain');
    // A second identity claiming an email already linked to another subject is refused.
    idp.account('sub-impostor', {
      email: 'sophie@airsocial.example',
      email_verified: true,
      groups: ['passeur-leaders'],
    });
    expect((await ssoSignIn('sub-impostor')).url.search).toBe('?sso_error=sso_conflict');
    // With a default role, someone no rule matches gets it.
    await configure({ auto_provision: true, default_role: 'viewer' });
    const viewer = await ssoSignIn('sub-norole');
    expect((await server.request('GET', '/api/v1/me', { cookie: viewer.cookie })).body.role).toBe('viewer');
    await configure({ auto_provision: true });
  });

  it('rejects a wrong state, an answer without the browser that started it, a wrong nonce and a wrong verifier', async () => {
    const wrongState = await ssoSignIn('sub-luca', {
      tamper: (u) => {
        u.searchParams.set('state', 'forged-state');
        return u;
      },
    });
    expect(wrongState.url.search).toBe('?sso_error=sso_state');
    expect(wrongState.cookie).toBeUndefined();

    // The callback opened in another browser (no flow cookie): refused.
    let captured: URL | undefined;
    await ssoSignIn('sub-luca', {
      tamper: (u) => {
        captured = new URL(u);
        return new URL(`${server.base}/api/v1/auth/oidc/callback?state=x`);
      },
    });
    const elsewhere = await fetch(captured!, { redirect: 'manual' });
    expect(elsewhere.headers.get('location')).toBe('/login?sso_error=sso_state');

    for (const field of ['nonce', 'verifier']) {
      const r = await ssoSignIn('sub-luca', {
        tamper: async (u) => {
          // The stored nonce (or PKCE verifier) no longer matches what the provider bound to the code.
          await db().pool.query(
            `update sign_in_flows set data = jsonb_set(data, $1, '"tampered-value-0123456789abcdefghijklmnop"')`,
            [`{${field}}`],
          );
          return u;
        },
      });
      expect(r.url.search, field).toBe('?sso_error=sso_failed');
      expect(r.cookie).toBeUndefined();
    }
    const reasons = await db().pool.query<{ detail: string }>(
      `select data->>'detail' as detail from audit_events where action = 'auth.oidc_refused' and data->>'reason' = 'sso_failed'`,
    );
    expect(reasons.rowCount).toBe(2);
    expect(reasons.rows[0]!.detail).toMatch(/nonce/);
    expect(reasons.rows[1]!.detail).toMatch(/error/);
  });

  it('lets OpenID Connect sessions skip the local second factor (the provider does MFA)', async () => {
    idp.account('sub-anna', { email: 'anna@airsocial.example', email_verified: true, groups: ['passeur-agents'] });
    await configure({
      auto_provision: true,
      role_rules: [{ claim: 'groups', value: 'passeur-agents', role: 'approver' }],
    });
    await db().pool.query('update sign_in_settings set totp_required = true');
    await db().pool.query(`update people set totp_enabled = true where email = 'anna@airsocial.example'`);
    const { cookie } = await ssoSignIn('sub-anna');
    const me = await server.request('GET', '/api/v1/me', { cookie });
    expect(me.body.role).toBe('approver');
    expect(me.body.totp_enrolment_required).toBe(false);
    expect((await server.request('GET', '/api/v1/cases', { cookie })).status).toBe(200);
    const session = await db().pool.query<{ method: string; stage: string }>(
      `select method, stage from sessions s join people p on p.id = s.person_id where p.email = 'anna@airsocial.example'`,
    );
    expect(session.rows).toEqual([{ method: 'oidc', stage: 'full' }]);
    await db().pool.query(`update people set totp_enabled = false where email = 'anna@airsocial.example'`);
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpClock } from '../../src/domain/access/second-factor.ts';
import { openSession } from '../../src/domain/access/service.ts';
import { base32Decode, totp } from '../../src/domain/access/totp.ts';
import {
  browserSuiteEnabled,
  ensureWebBuild,
  launchBrowser,
  newPersonPage,
  screenshot,
  signIn,
} from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Two-factor sign-in and single sign-on in Chromium: Marie requires an authenticator app for leaders and approvers;
 * Anna (approver) signs in, can only set it up (QR code and key, a code, recovery codes shown once), then works;
 * her next sign-in asks for the code. Luca signs in with the company's identity provider (a real OpenID Connect
 * provider on this machine) from the button on the sign-in page.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (totp)'))('web app in Chromium: two-factor sign-in and SSO', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let idp: TestIdentityProvider;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let now = Date.UTC(2026, 10, 29, 10, 0, 0);

  const page = async (): Promise<Page> => {
    const { context, page } = await newPersonPage(browser, errors);
    contexts.push(context);
    return page;
  };

  beforeAll(async () => {
    await ensureWebBuild();
    totpClock.now = () => now;
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    idp = await startIdentityProvider(`${s.base}/api/v1/auth/oidc/callback`);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    totpClock.now = () => Date.now();
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await idp?.close();
    await db?.drop();
  });

  it('lets a leader require an authenticator app for leaders and approvers', async () => {
    const marie = await page();
    await signIn(marie, s.base, 'marie@airsocial.example');
    await marie.click('[data-nav="admin_sign_in"]');
    await marie.waitForURL('**/admin/sign-in');
    await marie.check('[data-testid="totp-required"]');
    await screenshot(marie, 'sign-in-settings.png');
    await marie.click('.sign-in-settings button[type=submit]');
    await marie.getByText('Paramètres de connexion enregistrés.').waitFor();
    const row = await db.pool.query<{ totp_required: boolean }>('select totp_required from sign_in_settings');
    expect(row.rows[0]!.totp_required).toBe(true);
  });

  let secret: Buffer;

  it('has an approver set it up before anything else, then signs in with a code', async () => {
    const anna = await page();
    await anna.goto(`${s.base}/login`);
    await anna.fill('#login-email', 'anna@airsocial.example');
    await anna.fill('#login-password', 'passeur-demo');
    await anna.click('button[type=submit]');
    await anna.locator('#enrol-title').waitFor();
    await anna.click('[data-testid="totp-begin"]');
    const key = (await anna.locator('[data-testid="totp-secret"]').textContent()) ?? '';
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    await expect
      .poll(() => anna.locator('img.totp-qr').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    secret = base32Decode(key);
    await screenshot(anna, 'totp-enrol.png');
    // A wrong code first: said next to the field.
    await anna.fill('#totp-code', '000000');
    await anna.click('.totp-enrol button[type=submit]');
    await anna.locator('#totp-code-error').waitFor();
    await anna.fill('#totp-code', totp(secret, now));
    await anna.click('.totp-enrol button[type=submit]');
    const codes = anna.locator('[data-testid="recovery-codes"] li');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await screenshot(anna, 'totp-recovery-codes.png');
    await anna.click('[data-testid="recovery-codes"] .btn-primary');
    await anna.waitForSelector('.inbox');

    // Next sign-in: the password, then the code (a later one: the first is spent).
    now += 30_000;
    await anna.context().clearCookies();
    await anna.goto(`${s.base}/login`);
    await anna.fill('#login-email', 'anna@airsocial.example');
    await anna.fill('#login-password', 'passeur-demo');
    await anna.click('button[type=submit]');
    await anna.locator('#login-code').waitFor();
    await anna.fill('#login-code', '123456');
    await anna.click('button[type=submit]');
    await anna.locator('#code-error').waitFor();
    await anna.fill('#login-code', totp(secret, now));
    await anna.click('button[type=submit]');
    await anna.waitForSelector('.inbox');
    await anna.click('[data-nav="security"]');
    await anna.locator('[data-testid="totp-on"]').waitFor();
  });

  it('signs in through the identity provider from the sign-in page', async () => {
    // Marie's password sign-in would now only let her enrol (required for leaders): a session as of before.
    const marieId = (
      await db.pool.query<{ id: number }>(`select id from people where email = 'marie@airsocial.example'`)
    ).rows[0]!.id;
    const leader = `passeur_session=${await openSession(db.pool, marieId, 1)}`;
    const put = await s.request('PUT', '/api/v1/organization/sign-in', {
      cookie: leader,
      body: {
        totp_required: true,
        oidc: {
          enabled: true,
          name: 'AirSocial SSO',
          issuer: idp.issuer,
          client_id: idp.clientId,
          client_secret: idp.clientSecret,
          scopes: 'openid email profile groups',
          role_rules: [{ claim: 'groups', value: 'care', role: 'backup' }],
          community_rules: [],
          default_role: null,
          auto_provision: false,
          allowed_domains: ['airsocial.example'],
        },
      },
    });
    expect(put.status).toBe(200);
    idp.account('luca-at-idp', { email: 'luca@airsocial.example', email_verified: true, groups: ['care'] });
    const luca = await page();
    await luca.goto(`${s.base}/login`);
    const button = luca.locator('[data-testid="sso-start"]');
    await button.waitFor();
    expect(await button.textContent()).toBe('Se connecter avec AirSocial SSO');
    await button.click();
    // The provider's own screens: sign in, then allow Passeur.
    await luca.locator('input[name="login"]').fill('luca-at-idp');
    await luca.locator('input[name="password"]').fill('whatever');
    await luca.click('button[type=submit]');
    await luca.locator('button[type=submit]').click();
    await luca.waitForSelector('.inbox');
    expect(new URL(luca.url()).origin).toBe(s.base);
    // An identity nobody in the organization has: a plain explanation on the sign-in page.
    idp.account('stranger', { email: 'stranger@airsocial.example', email_verified: true, groups: ['care'] });
    const stranger = await page();
    await stranger.goto(`${s.base}/login`);
    await stranger.click('[data-testid="sso-start"]');
    await stranger.locator('input[name="login"]').fill('stranger');
    await stranger.locator('input[name="password"]').fill('whatever');
    await stranger.click('button[type=submit]');
    await stranger.locator('button[type=submit]').click();
    await stranger.locator('[data-testid="sso-error"]').waitFor();
    expect(await stranger.locator('[data-testid="sso-error"]').textContent()).toContain("Vous n'avez pas de compte");
    expect(errors.filter((e) => !e.includes(idp.issuer))).toEqual([]);
  });
});

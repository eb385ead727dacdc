import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSuiteEnabled,
  ensureWebBuild,
  launchBrowser,
  newPersonPage,
  screenshot,
  signIn,
} from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * J8 in Chromium: Sophie (Marketing, a trainee) starts a training session on AirSocial · FR, answers a replay with a
 * canned reply while the composer says it would need approval, then sees what the team really answered; Marie, the
 * leader, sees her practice in the overview and makes her Léa's backup.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (training)'))('web app in Chromium: training', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let sophieId = 0;

  const page = async () => {
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    return p.page;
  };

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    const ids = await s.ctx.pool.query<{ id: number; email: string }>('select id, email from people');
    sophieId = ids.rows.find((p) => p.email === 'sophie@airsocial.example')!.id;
    const lea = await s.login('lea@airsocial.example');
    for (const [key, author, text, answer] of [
      [
        'nice',
        { handle: '@jeanne_dupuis', name: 'Jeanne Dupuis' },
        'Mon vol pour Nice est annulé, réservation QX7K2P. Que faire ?',
        'Bonjour Jeanne, vous êtes replacée sur le vol de 18 h, la confirmation arrive par e-mail. Léa',
      ],
      [
        'geneve',
        { handle: '@marco_b', name: 'Marco Bellini' },
        'Ma valise est perdue à Genève depuis deux jours.',
        'Bonjour Marco, votre valise a été retrouvée et sera livrée demain. Léa',
      ],
    ] as const) {
      const r = await s.request('POST', '/api/v1/messages', {
        token: s.token,
        body: { channel: 'sandbox', account: '@AirSocial', external_id: `training-e2e-${key}`, author, text },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      const reply = await s.request('POST', `/api/v1/cases/${r.body.case_id}/replies`, {
        cookie: lea,
        body: { text: answer, resolve: true, acknowledge_warnings: true },
      });
      expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
    }
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('Sophie answers a replay with a canned reply and then sees the team’s answer', async () => {
    const sophie = await page();
    await signIn(sophie, s.base, 'sophie@airsocial.example');
    await sophie.locator('[data-nav="training"]').click();
    await sophie.waitForSelector('[data-action="training-start"]:not([disabled])');
    await sophie.locator('[data-control="training-count"]').fill('2');
    await sophie.locator('[data-action="training-start"]').click();
    await sophie.waitForURL(/\/training\/sessions\/\d+$/);
    await sophie.locator('[data-testid="training-items"] a[data-item]').first().click();
    await sophie.waitForURL(/\/training\/items\/\d+$/);
    await expect.poll(() => sophie.locator('[data-testid="training-banner"]').isVisible()).toBe(true);
    // The replay is anonymized: no customer's name or booking reference on screen.
    const thread = await sophie.locator('.training-thread').textContent();
    expect(thread).not.toMatch(/Jeanne|Dupuis|QX7K2P|Marco|Bellini|jeanne_dupuis|marco_b/);
    expect(thread).toContain('@customer-a');

    await sophie.locator('[data-action="canned"]').click();
    await sophie.locator('[data-testid="canned-picker"] [data-canned-id]').first().click();
    await expect.poll(() => sophie.locator('#composer-text').inputValue()).not.toBe('');
    // Sophie is a trainee: the same approval policy as on a real case says the reply would wait for approval.
    await sophie.waitForSelector('[data-testid="approval-needed"]');
    expect(await sophie.locator('[data-testid="training-autonomy"]').textContent()).toMatch(/Stagiaire/);
    await screenshot(sophie, 'training-compose.png');
    await sophie.locator('[data-action="training-answer"]').click();

    const reference = sophie.locator('[data-testid="training-reference"]');
    await reference.waitFor();
    expect(await reference.textContent()).toMatch(/^Bonjour Customer A, /);
    expect(await reference.textContent()).toContain('Agent A');
    expect(await sophie.locator('[data-testid="training-verdict"]').textContent()).toContain('approbation');
    await sophie.locator('[data-self="4"]').click();
    await expect.poll(() => sophie.locator('[data-self="4"]').getAttribute('aria-pressed')).toBe('true');
    await screenshot(sophie, 'training-reference.png');
  });

  it('Marie sees what Sophie practised and makes her Léa’s backup', async () => {
    const marie = await page();
    await signIn(marie, s.base, 'marie@airsocial.example');
    await marie.locator('[data-nav="training"]').click();
    const row = marie.locator(`[data-testid="training-overview"] tr[data-person="${sophieId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-cell="answered"]').textContent()).toMatch(/1 sur 2/);
    expect(await row.locator('[data-cell="approval"]').textContent()).toMatch(/100/);
    await row.locator('[data-control="backup-of"]').selectOption({ label: 'Léa Martin' });
    await row.locator('[data-action="make-backup"]').click();
    await expect.poll(() => row.locator('[data-testid="backs-up"]').textContent()).toContain('Léa Martin');
    await screenshot(marie, 'training-overview.png');
    const backups = await s.ctx.pool.query<{ backup_id: number }>(
      `select b.backup_id from person_backups b join people p on p.id = b.person_id where p.email = 'lea@airsocial.example'`,
    );
    expect(backups.rows.map((r) => r.backup_id)).toContain(sophieId);
    // Nothing of the training reached a network.
    const sent = await s.ctx.pool.query<{ n: number }>('select count(*)::int as n from sandbox_posts');
    expect(sent.rows[0]!.n).toBe(2);
    expect(errors).toEqual([]);
  });
});

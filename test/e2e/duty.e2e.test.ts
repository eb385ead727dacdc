import type { Browser, BrowserContext, Page } from 'playwright-core';
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
 * Who is on duty, in Chromium: Léa goes on duty herself and new cases come to her; Marie, the leader, edits
 * Léa's weekly schedule and releases her open cases back to the team queue.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (duty)'))('web app in Chromium: who is on duty', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  let marie: Page;
  let leaId = 0;

  const open = async (who: string) => {
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    await signIn(p.page, s.base, `${who}@airsocial.example`);
    return p.page;
  };
  const row = (p: Page, community: string, name: string) =>
    p.locator(`[data-community="${community}"] tr`, { hasText: name });

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    leaId = (await db.pool.query(`select id from people where email = 'lea@airsocial.example'`)).rows[0].id;
    lea = await open('lea');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('lets Léa go on duty herself; new cases of her community then come to her', async () => {
    await lea.click('[data-nav="duty"]');
    await lea.waitForURL('**/duty');
    const self = lea.locator('[data-testid="duty-self"]');
    await self.waitFor();
    expect(await self.locator('.card-title').textContent()).toBe('Vous n’êtes pas de service');
    expect(await row(lea, 'airsocial-fr', 'Léa Martin').locator('[data-on-duty]').getAttribute('data-on-duty')).toBe(
      'false',
    );
    // Only her own duty is hers to change; schedules are the leader's.
    expect(await lea.locator('[data-action="edit-schedule"]').count()).toBe(0);
    expect(await row(lea, 'airsocial-fr', 'Sophie Laurent').locator('[data-control="duty"]').count()).toBe(0);

    await self.locator('[data-control="duty"]').selectOption('on');
    await lea.waitForFunction(
      () => document.querySelector('[data-testid="duty-self"] .card-title')?.textContent === 'Vous êtes de service',
    );
    expect(await row(lea, 'airsocial-fr', 'Léa Martin').locator('[data-on-duty]').getAttribute('data-on-duty')).toBe(
      'true',
    );
    expect(await row(lea, 'airsocial-fr', 'Léa Martin').textContent()).toContain('réglé à la main');
    expect(await lea.locator('[data-community="airsocial-fr"] .card-title').textContent()).toContain('1 de service');

    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        account: '@AirSocial',
        external_id: 'd-1',
        author: { handle: '@jeanne' },
        text: 'Mon vol AS1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?',
      },
    });
    const c = await s.request('GET', `/api/v1/cases/${r.body.case_id}`, { token: s.token });
    expect(c.body.assignee?.id).toBe(leaId);
    // The load follows live.
    await row(lea, 'airsocial-fr', 'Léa Martin').locator('[data-open-cases="1"]').waitFor({ timeout: 5_000 });
    await screenshot(lea, 'duty.png');
  });

  it('lets Marie edit Léa’s weekly schedule', async () => {
    marie = await open('marie');
    await marie.goto(`${s.base}/duty`);
    const lr = row(marie, 'airsocial-fr', 'Léa Martin');
    await lr.waitFor();
    expect(await lr.textContent()).toContain('lun.–ven. 07:00–15:00 (Europe/Zurich)');
    await lr.locator('[data-action="edit-schedule"]').click();
    const dialog = marie.locator('[data-testid="schedule-dialog"]');
    await dialog.locator('.shift').first().waitFor();
    expect(await dialog.locator('.shift').count()).toBe(1);
    await dialog.locator('[data-action="add-shift"]').click();
    const second = dialog.locator('.shift[data-shift="1"]');
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi']) await second.getByLabel(day).uncheck();
    await second.getByLabel('samedi').check();
    await second.locator('input[type="time"]').first().fill('09:00');
    await second.locator('input[type="time"]').last().fill('13:00');
    await screenshot(marie, 'duty-schedule.png');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await marie.waitForFunction(() =>
      [...document.querySelectorAll('[data-community="airsocial-fr"] tr')].some((tr) =>
        tr.textContent?.includes('sam. 09:00–13:00'),
      ),
    );
    const duty = await s.request('GET', '/api/v1/people/duty', { cookie: await s.login('marie@airsocial.example') });
    expect(duty.body.find((p: { id: number }) => p.id === leaId).schedule).toEqual([
      { days: [1, 2, 3, 4, 5], from: '07:00', to: '15:00' },
      { days: [6], from: '09:00', to: '13:00' },
    ]);
  });

  it('lets Marie release Léa’s open cases to the team queue', async () => {
    const lr = row(marie, 'airsocial-fr', 'Léa Martin');
    await lr.locator('[data-testid="release"]').click();
    await marie.getByRole('menuitem', { name: 'Dans la file de l’équipe' }).click();
    const dialog = marie.locator('[data-testid="release-dialog"]');
    await dialog.getByText('1 cas ouvert').waitFor();
    await dialog.getByRole('button', { name: 'Libérer' }).click();
    await lr.locator('[data-open-cases="0"]').waitFor();
    const mine = await s.request('GET', '/api/v1/cases?view=mine', { cookie: await s.login('lea@airsocial.example') });
    expect(mine.body.items).toEqual([]);
  });

  it('lets Léa go back to following her schedule', async () => {
    await lea.locator('[data-testid="duty-self"] [data-control="duty"]').selectOption('schedule');
    await lea.waitForFunction(
      () => !document.querySelector('[data-testid="duty-self"]')?.textContent?.includes('réglé à la main'),
    );
    const me = (
      await s.request('GET', '/api/v1/people/duty', { cookie: await s.login('lea@airsocial.example') })
    ).body.find((p: { id: number }) => p.id === leaId);
    expect(me.override).toBeNull();
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});

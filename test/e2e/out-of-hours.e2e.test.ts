import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOutOfHours } from '../../src/domain/coverage/out-of-hours.ts';
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
 * Out of hours in Chromium (journey J4): Marie, the leader, reads and changes the Italian desk's coverage settings;
 * after a tarmac message at Sunday 02:00, the case shows the Italian acknowledgement and the page in its timeline.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (out of hours)'))('web app in Chromium: out of hours', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  let marie: Page;

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    const p = await newPersonPage(browser, errors);
    context = p.context;
    marie = p.page;
    await signIn(marie, s.base, 'marie@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('lets Marie switch the Italian desk to "back to the team queue"', async () => {
    await marie.goto(`${s.base}/duty`);
    const panel = marie.locator('[data-testid="coverage-settings"]');
    await panel.waitFor();
    await panel.getByLabel('Communauté', { exact: true }).selectOption({ label: 'AirSocial · IT' });
    await panel.getByLabel('vont à son premier suppléant de service').waitFor();
    expect(await panel.getByLabel('vont à son premier suppléant de service').isChecked()).toBe(true);
    expect(await panel.getByLabel('Texte (IT)').inputValue()).toContain('Grazie per il suo messaggio');
    await panel.getByLabel('retournent dans la file de l’équipe').check();
    await panel.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await panel.getByText('Réglages de couverture enregistrés.').waitFor();
    await screenshot(marie, 'coverage-settings.png');
    const itId = [...s.ctx.directory().communities.values()].find((c) => c.slug === 'airsocial-it')!.id;
    const saved = await s.request('GET', '/api/v1/coverage/settings', {
      cookie: await s.login('marie@airsocial.example'),
    });
    expect(saved.body.find((x: { community_id: number }) => x.community_id === itId).off_duty_policy).toBe('team');
  });

  it('lets Marie give Luca a backup', async () => {
    const editor = marie.locator('[data-testid="backups-editor"]');
    await editor.getByLabel('Suppléants de').selectOption({ label: 'Luca Bianchi' });
    await editor.getByText('Aucun suppléant pour l’instant.').waitFor();
    await editor.getByLabel('Ajouter un suppléant').selectOption({ label: 'Giulia Rossi' });
    await editor.locator('li', { hasText: 'Giulia Rossi' }).waitFor();
    await editor.getByRole('button', { name: 'Enregistrer les suppléants' }).click();
    await editor.getByText('Suppléants enregistrés.').waitFor();
    const lucaId = (await db.pool.query(`select id from people where email = 'luca@airsocial.example'`)).rows[0].id;
    const r = await s.request('GET', `/api/v1/people/${lucaId}/backups`, {
      cookie: await s.login('marie@airsocial.example'),
    });
    expect(r.body.backups.map((b: { name: string; rank: number }) => [b.name, b.rank])).toEqual([['Giulia Rossi', 1]]);
  });

  it('shows the automatic acknowledgement and the page in the case (J4)', async () => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'e2e-tarmac',
        account: '@AirSocial_it',
        author: { handle: '@viaggiatrice' },
        text: 'Siamo bloccati sulla pista da due ore, passeggeri senza acqua!',
      },
    });
    // Everyone is off duty in tests; Sunday 02:00 in Rome.
    const result = await runOutOfHours(
      { pool: db.pool, directory: () => s.ctx.directory(), publicUrl: s.base },
      new Date('2026-11-29T01:00:00Z'),
    );
    expect(result).toMatchObject({ acknowledged: 1, paged: 1 });
    await marie.goto(`${s.base}/cases/${r.body.case_id}`);
    await marie.getByText('Accusé de réception automatique hors service (IT)').waitFor();
    await marie.getByText('Personne d’astreinte alertée (urgent, hors service)').waitFor();
    await marie.getByText('https://www.airsocial.example/info/it', { exact: false }).first().waitFor();
    await screenshot(marie, 'case-out-of-hours.png');
    expect(errors).toEqual([]);
  });
});

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteEnabled, ensureWebBuild, launchBrowser, newPersonPage, signIn } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The expertise directory in Chromium: Marie (leader) adds Hanna for delays on the consults page, changes the
 * entry, then removes it; Léa (manager) sees the consults page without the editor.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (expertise directory)'))(
  'web app in Chromium: the expertise directory',
  () => {
    let db: TestDatabase & { drop(): Promise<void> };
    let s: TestServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    let marie: Page;

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
      marie = await page();
      await signIn(marie, s.base, 'marie@airsocial.example');
    }, 300_000);

    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await s?.close();
      await db?.drop();
    });

    it('Marie adds an entry for Hanna, with topics and languages; it is listed and askable', async () => {
      await marie.goto(`${s.base}/consults`);
      const editor = marie.locator('[data-testid="expertise-editor"]');
      await editor.getByRole('heading', { name: 'Annuaire des expertises' }).waitFor();
      await editor.locator('tr', { hasText: 'Marc Girard' }).waitFor();
      await editor.getByRole('button', { name: 'Ajouter une entrée' }).click();
      const form = editor.getByRole('form', { name: 'Ajouter une entrée' });
      await form.getByLabel('Intitulé').fill('Retards – indemnisation');
      const who = form.getByRole('combobox', { name: 'Une personne' });
      await who.locator('option', { hasText: 'Hanna Keller' }).waitFor({ state: 'attached' });
      await who.selectOption({ label: 'Hanna Keller' });
      await form.getByRole('checkbox', { name: 'Retard' }).check();
      await form.getByLabel('Langues').fill('de, it');
      await form.getByLabel('Disponibilité').fill('en semaine 09:00–17:00');
      await form.getByRole('button', { name: 'Enregistrer l’entrée' }).click();
      const row = editor.locator('tr', { hasText: 'Retards – indemnisation' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Hanna Keller');
      expect(await row.textContent()).toContain('de, it');
      const listed = await s.request('GET', '/api/v1/expertise', { cookie: await s.login('lea@airsocial.example') });
      expect(listed.body.items).toContainEqual(
        expect.objectContaining({ title: 'Retards – indemnisation', topics: ['delay'], languages: ['de', 'it'] }),
      );
    });

    it('Marie changes the entry to a team, then removes it', async () => {
      const editor = marie.locator('[data-testid="expertise-editor"]');
      const row = editor.locator('tr', { hasText: 'Retards – indemnisation' });
      await row.getByRole('button', { name: 'Modifier' }).click();
      const form = editor.getByRole('form', { name: 'Modifier' });
      await form.getByRole('radio', { name: 'Une équipe' }).check();
      await form.getByRole('combobox', { name: 'Une équipe' }).selectOption({ label: 'Quality' });
      await form.getByRole('button', { name: 'Enregistrer l’entrée' }).click();
      await editor.locator('tr', { hasText: 'Retards – indemnisation' }).filter({ hasText: 'Quality' }).waitFor();
      marie.once('dialog', (d) => void d.accept());
      await editor
        .locator('tr', { hasText: 'Retards – indemnisation' })
        .getByRole('button', { name: 'Retirer' })
        .click();
      await editor.locator('tr', { hasText: 'Retards – indemnisation' }).waitFor({ state: 'detached' });
      const audit = await db.pool.query(`select action from audit_events where action like 'expertise.%' order by id`);
      expect(audit.rows.map((r) => r.action)).toEqual(['expertise.created', 'expertise.updated', 'expertise.deleted']);
    });

    it('Léa (manager) has no editor on her consults page', async () => {
      const lea = await page();
      await signIn(lea, s.base, 'lea@airsocial.example');
      await lea.goto(`${s.base}/consults`);
      await lea.getByRole('heading', { name: 'Consultations que j’ai demandées' }).waitFor();
      expect(await lea.locator('[data-testid="expertise-editor"]').count()).toBe(0);
      expect(errors).toEqual([]);
    });
  },
);

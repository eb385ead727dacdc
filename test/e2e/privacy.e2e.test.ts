import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteEnabled, ensureWebBuild, launchBrowser, newPersonPage, signIn } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * A customer's data on request, from the case page: Marie (leader) downloads it and erases it after an explicit
 * confirmation; Léa (manager) does not get these actions.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (privacy requests)'))(
  'web app in Chromium: export and erase a customer’s data',
  () => {
    let db: TestDatabase & { drop(): Promise<void> };
    let s: TestServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    let caseId: number;
    let contactId: number;

    const page = async (): Promise<Page> => {
      const p = await newPersonPage(browser, errors);
      contexts.push(p.context);
      return p.page;
    };

    beforeAll(async () => {
      await ensureWebBuild();
      db = await createTestDatabase('embedded');
      s = await startTestServer(db.url);
      browser = await launchBrowser();
      const r = await s.request('POST', '/api/v1/messages', {
        token: s.token,
        body: {
          channel: 'sandbox',
          external_id: 'gdpr-1',
          account: '@AirSocial',
          author: { handle: '@claire.dupuis', name: 'Claire Dupuis' },
          text: 'Bonjour, ma valise est perdue, dossier GVA12345, joignable au 06 12 34 56 78',
        },
      });
      expect(r.status).toBe(202);
      caseId = r.body.case_id;
      const c = await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: await s.login('marie@airsocial.example') });
      contactId = c.body.contact.id;
    }, 300_000);

    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await s?.close();
      await db?.drop();
    });

    it('Léa works the case but has no export or erase action', async () => {
      const lea = await page();
      await signIn(lea, s.base, 'lea@airsocial.example');
      await lea.goto(`${s.base}/cases/${caseId}`);
      await lea.locator('[data-testid="contact-panel"]').getByText('Claire Dupuis').waitFor();
      expect(await lea.locator('[data-action="erase-contact"]').count()).toBe(0);
      expect(await lea.locator('[data-action="export-contact"]').count()).toBe(0);
    });

    it('Marie downloads the customer’s data, then erases it after confirming', async () => {
      const marie = await page();
      await signIn(marie, s.base, 'marie@airsocial.example');
      await marie.goto(`${s.base}/cases/${caseId}`);
      const panel = marie.locator('[data-testid="contact-panel"]');
      await panel.getByText('Claire Dupuis').waitFor();

      const [download] = await Promise.all([
        marie.waitForEvent('download'),
        panel.locator('[data-action="export-contact"]').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`contact-${contactId}.json`);
      const exported = JSON.parse(
        await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')),
      );
      expect(JSON.stringify(exported)).toContain('GVA12345');

      await panel.locator('[data-action="erase-contact"]').click();
      const dialog = marie.locator('[data-testid="erase-contact"]');
      const confirm = dialog.locator('[data-action="confirm-erase"]');
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByRole('checkbox').check();
      await confirm.click();
      await dialog.waitFor({ state: 'hidden' });
      await marie.locator('.thread').getByText('[erased]').first().waitFor();
      expect(await marie.locator('body').textContent()).not.toContain('GVA12345');
      await marie.screenshot({ path: 'test-results/privacy-erased.png' });

      const c = await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: await s.login('marie@airsocial.example') });
      expect(c.body.messages[0].text).toBe('[erased]');
      const audit = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from audit_events where action = 'contact.erase' and subject_id = $1`,
        [String(contactId)],
      );
      expect(audit.rows[0]!.n).toBe(1);
      expect(errors).toEqual([]);
    });
  },
);

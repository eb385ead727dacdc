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
 * Publishing in Chromium: Léa writes a post for AirSocial · FR in the composer (which shows the identity it will
 * go out as and the guideline checks), schedules it for the next minute, sees it on the week's calendar, and
 * watches it turn published once the worker hands it to the outbox and the sandbox network publishes it.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (publishing)'))('web app in Chromium: publishing', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  const text = 'Cet été, envolez-vous vers Palerme et Porto : trois nouvelles lignes au départ de Genève !';

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    lea = p.page;
    await signIn(lea, s.base, 'lea@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('Léa schedules a post: the composer shows who it posts as, the calendar shows it, it gets published', async () => {
    await lea.locator('[data-nav="publishing"]').click();
    await lea.locator('[data-testid="publishing-calendar"]').waitFor();
    await lea.locator('[data-action="new-post"]').click();
    const composer = lea.locator('[data-testid="post-composer"]');
    await composer.locator('[data-control="post-community"]').selectOption({ label: 'AirSocial · FR' });
    expect(await composer.locator('[data-testid="post-identity"]').textContent()).toContain('@AirSocial');
    expect(await composer.locator('[data-testid="post-identity"]').textContent()).toContain('sandbox');
    // A competitor's name is flagged by the guideline check as one types.
    await composer.locator('[data-control="post-text"]').fill('Moins cher que SkyRival cet été');
    await composer.locator('[data-testid="guideline-findings"] [data-guideline="confidential"]').waitFor();
    await composer.locator('[data-control="post-text"]').fill(text);
    await composer.locator('[data-testid="guideline-findings"]').waitFor({ state: 'detached' });
    await composer.locator('[data-testid="post-check"]').waitFor();
    // The next minute, in the browser's time zone (the input is local time).
    const at = await lea.evaluate(() => {
      const d = new Date(Date.now() + 60_000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    });
    await composer.locator('[data-control="post-at"]').fill(at);
    await screenshot(lea, 'publishing-1-composer.png');
    await composer.locator('[data-action="submit-post"]').click();
    await composer.waitFor({ state: 'detached' });

    const chip = lea.locator('[data-testid="publishing-calendar"] [data-post]', {
      hasText: 'envolez-vous vers Palerme',
    });
    await chip.waitFor();
    expect(await chip.getAttribute('data-status')).toBe('scheduled');
    await screenshot(lea, 'publishing-2-scheduled.png');
    // Due within a minute; the worker hands it to the outbox, the calendar refreshes on its own.
    await lea
      .locator('[data-testid="publishing-calendar"] [data-post][data-status="published"]', {
        hasText: 'envolez-vous vers Palerme',
      })
      .waitFor({ timeout: 120_000 });
    const sent = await s.ctx.pool.query('select account_handle from sandbox_posts where text = $1', [text]);
    expect(sent.rows).toEqual([{ account_handle: '@AirSocial' }]);
    await screenshot(lea, 'publishing-3-published.png');
    expect(errors).toEqual([]);
  }, 180_000);
});

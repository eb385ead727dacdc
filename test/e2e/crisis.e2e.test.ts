import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopCrisisDemo } from '../../src/domain/crisis/routes.ts';
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
 * Crisis mode in Chromium: Marie (leader) replays the ash cloud surge of the demo, the detector's alert appears
 * live with its evidence, she declares the crisis (the playbook applies), replies to several cases with a holding
 * statement, stands the crisis down (every change reverted) and reads the report.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (crisis)'))('web app in Chromium: crisis mode', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let marie: Page;

  beforeAll(async () => {
    // A build made elsewhere (PASSEUR_WEB_DIR) is served as it is.
    if (!process.env.PASSEUR_WEB_DIR) await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    marie = p.page;
    await signIn(marie, s.base, 'marie@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    stopCrisisDemo();
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('alert appears → declare → playbook applied → bulk reply → stand down → report', async () => {
    await marie.click('[data-nav="crisis"]');
    await marie.waitForURL('**/crisis');
    await marie.locator('.card', { hasText: 'Aucune alerte' }).waitFor();

    // The leaders' demo button replays the surge through the normal ingest path; the alert arrives live.
    await marie.getByRole('button', { name: /Rejouer une vague/ }).click();
    const alert = marie.locator('[data-alert][data-status="open"]').first();
    await alert.waitFor({ timeout: 90_000 });
    await alert.locator('svg[role="img"]').waitFor();
    expect(await alert.locator('.badge', { hasText: 'Pic de volume' }).count()).toBe(1);
    await alert.getByRole('button', { name: /Exemples de messages/ }).click();
    await alert.locator('.crisis-samples li').first().waitFor();
    await screenshot(marie, 'crisis-1-alert.png');

    // Declare from the alert: the crisis room opens with the playbook applied.
    await alert.getByRole('button', { name: 'Déclarer la crise' }).click();
    await marie.waitForURL(/\/crisis\/\d+$/);
    await marie.locator('[data-crisis-status="active"]').waitFor();
    await marie.locator('.crisis-changes li[data-reverted="no"]').first().waitFor();
    const changes = await marie.locator('.crisis-changes li').count();
    expect(changes).toBeGreaterThan(10);
    await marie.locator('section', { hasText: 'Cellule' }).locator('li', { hasText: 'Léa Martin' }).waitFor();
    expect(
      await marie.locator('section', { hasText: 'Cellule' }).locator('li', { hasText: 'hors service' }).count(),
    ).toBe(0);
    await marie.locator('.crisis-queue tbody tr').nth(2).waitFor();
    await screenshot(marie, 'crisis-2-room.png');

    // Bulk reply with the Italian holding statement to three cases.
    const it = marie.locator('li', { hasText: 'Ceneri vulcaniche' });
    await it.getByRole('button', { name: 'Utiliser pour la réponse groupée' }).click();
    expect(await marie.locator('#bulk-text').inputValue()).toContain('nube di cenere');
    const rows = marie.locator('.crisis-queue tbody tr');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await rows.nth(i).getAttribute('data-case')) ?? '');
      await rows.nth(i).locator('input[type="checkbox"]').check();
    }
    await marie.getByRole('button', { name: 'Répondre à 3 cas' }).click();
    await marie.locator('.crisis-timeline li[data-kind="bulk_reply"]').waitFor();
    const queued = await db.pool.query('select count(*)::int as n from outbox where case_id = any($1::bigint[])', [
      ids.map(Number),
    ]);
    expect(queued.rows[0].n).toBe(3);
    await screenshot(marie, 'crisis-3-bulk-reply.png');

    // Stand down: every change reverted.
    await marie.getByRole('button', { name: 'Lever la crise' }).click();
    await marie.locator('[data-crisis-status="stood_down"]').waitFor();
    await marie.locator('.crisis-timeline li[data-kind="stood_down"]').waitFor();
    expect(await marie.locator('.crisis-changes li[data-reverted="no"]').count()).toBe(0);
    expect(await marie.locator('.crisis-changes li[data-reverted="yes"]').count()).toBe(changes);
    const onDuty = await db.pool.query('select count(*)::int as n from people where on_duty');
    expect(onDuty.rows[0].n).toBe(0);

    // The report: before / during / after, and its CSV and PDF.
    await marie.locator('[data-window="before"]').waitFor();
    await marie.locator('[data-window="before"]').scrollIntoViewIfNeeded();
    await screenshot(marie, 'crisis-4-report.png');
    const pdf = await marie.evaluate(async () => {
      const m = /\/crisis\/(\d+)/.exec(location.pathname);
      const r = await fetch(`/api/v1/crisis/crises/${m?.[1]}/report.pdf`);
      return { type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength };
    });
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.size).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  }, 240_000);
});

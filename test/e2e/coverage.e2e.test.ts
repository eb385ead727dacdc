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

/** A `datetime-local` value in Zürich time (the browser's zone in these tests). */
function zurichLocal(d: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Zurich',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * Coverage, in Chromium: Marie (leader) sees who is on duty per community, declares Léa absent (she goes off
 * duty at once), and reads the week's gap heatmap and the understaffed hours.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (coverage)'))('web app in Chromium: coverage', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let marie: Page;

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    // Léa works around the clock; everyone else is off duty now.
    await db.pool.query(
      `update people set on_duty = null, schedule = '[{"days":[1,2,3,4,5,6,7],"from":"00:00","to":"24:00"}]'
       where email = 'lea@airsocial.example'`,
    );
    browser = await launchBrowser();
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    marie = p.page;
    await signIn(marie, s.base, 'marie@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('shows who is on, takes an absent person off duty, and maps the gaps of the week', async () => {
    await marie.click('[data-nav="duty"]');
    await marie.waitForURL('**/duty');
    await marie.locator('[data-testid="duty-tabs"] label', { hasText: 'Couverture' }).click();
    const now = marie.locator('[data-testid="coverage-now"]');
    await now.waitFor();
    const fr = now.locator('tr[data-community="airsocial-fr"]');
    expect(await fr.textContent()).toContain('Léa Martin');
    expect(await now.locator('tr[data-language="fr"]').textContent()).toContain('Léa Martin');

    const form = marie.locator('[data-testid="absence-form"]');
    await form.locator('select').first().selectOption({ label: 'Léa Martin' });
    const start = new Date(Date.now() - 3_600_000);
    const end = new Date(Date.now() + 2 * 3_600_000);
    await form.locator('input[type="datetime-local"]').nth(0).fill(zurichLocal(start));
    await form.locator('input[type="datetime-local"]').nth(1).fill(zurichLocal(end));
    await form.locator('select').nth(1).selectOption('sick');
    await form.locator('button[type="submit"]').click();
    const absence = marie.locator('[data-testid="coverage-absences"] tr[data-absence-id]', { hasText: 'Léa Martin' });
    await absence.waitFor();
    expect(await absence.textContent()).toContain('Maladie');
    // Léa is off duty at once: nobody on the French desk, and she is the next to come back.
    await expect
      .poll(async () => fr.textContent(), { timeout: 10_000 })
      .toMatch(/Personne maintenant — ensuite : Léa Martin/);
    const stored = await db.pool.query(`select reason from absences a join people p on p.id = a.person_id
      where p.email = 'lea@airsocial.example'`);
    expect(stored.rows).toEqual([{ reason: 'sick' }]);

    const heat = marie.locator('[data-testid="coverage-gaps"] tr[data-community="airsocial-de"]');
    await heat.waitFor();
    expect(await heat.locator('.heatmap-cell').count()).toBe(7 * 24);
    expect(await heat.locator('.heatmap-cell[data-gap="true"]').count()).toBeGreaterThan(0);
    await marie.locator('[data-testid="coverage-understaffed"]').waitFor();
    await marie.locator('[data-testid="coverage-gaps"]').scrollIntoViewIfNeeded();
    await screenshot(marie, 'coverage.png');

    // A holiday of the French desk next week, which cancels its shifts.
    const day = zurichLocal(new Date(Date.now() + 7 * 86_400_000)).slice(0, 10);
    const holidays = marie.locator('[data-testid="coverage-holidays"]');
    const hform = holidays.locator('[data-testid="holiday-form"]');
    await hform.locator('input[type="date"]').fill(day);
    await hform.locator('input[type="text"]').fill('Fête du personnel');
    await hform.locator('select').selectOption({ label: 'AirSocial · FR' });
    await hform.locator('button[type="submit"]').click();
    const row = holidays.locator('tr[data-holiday-id]', { hasText: 'Fête du personnel' });
    await row.waitFor();
    expect(await row.textContent()).toContain('annulés');
    const h = await db.pool.query(
      `select date::text as date, cancels_shifts, c.slug from holidays h join communities c on c.id = h.community_id`,
    );
    expect(h.rows).toEqual([{ date: day, cancels_shifts: true, slug: 'airsocial-fr' }]);
    expect(errors).toEqual([]);
  });
});

import fs from 'node:fs';
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
 * Reports in Chromium: Marie, the leader, opens the overview; a figure of the page matches the API, its chart
 * is drawn, the figure drills down to the cases behind it, and the cases export downloads as CSV.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (reports)'))('web app in Chromium: reports', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let marie: Page;
  let cookie: string;

  beforeAll(async () => {
    // A build of the web app given by PASSEUR_WEB_DIR is used as it is.
    if (!process.env.PASSEUR_WEB_DIR) await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    const texts = [
      'Mon vol AS1234 a 3 h de retard, je vais rater ma correspondance !',
      'Merci pour le super accueil à bord hier, équipage au top.',
      'Ma valise n’est pas arrivée à Genève, personne ne répond.',
    ];
    for (const [i, text] of texts.entries()) {
      const r = await s.request('POST', '/api/v1/messages', {
        token: s.token,
        body: {
          channel: 'sandbox',
          account: '@AirSocial',
          external_id: `rep-${i}`,
          author: { handle: `@c${i}` },
          text,
        },
      });
      expect(r.status).toBeLessThan(300);
    }
    browser = await launchBrowser();
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    marie = p.page;
    await signIn(marie, s.base, 'marie@airsocial.example');
    cookie = await s.login('marie@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('shows the overview with the API’s figures, drills down to the cases and downloads the CSV', async () => {
    await marie.click('[data-nav="reports"]');
    await marie.waitForURL('**/reports');
    await marie.locator('[data-testid="reports-ready"]').waitFor();
    // The figures the page shows are the API's, for the filters in the address.
    const query = new URL(marie.url()).search.slice(1) || '';
    const page = new URLSearchParams(query);
    const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
    expect(page.get('from') ?? from).toBe(from);
    const api = await s.request('GET', `/api/v1/reports/summary?from=${from}&to=${to}&compare=previous`, { cookie });
    expect(api.status).toBe(200);
    expect(api.body.kpis.messages_in).toBe(3);
    const tile = marie.locator('[data-kpi="messages_in"] .report-tile-value');
    expect(await tile.getAttribute('data-value')).toBe(String(api.body.kpis.messages_in));
    expect(await tile.textContent()).toBe('3');
    expect(await marie.locator('[data-kpi="cases_created"] .report-tile-value').getAttribute('data-value')).toBe(
      String(api.body.kpis.cases_created),
    );
    expect(await marie.locator('[data-kpi="backlog"] .report-tile-value').getAttribute('data-value')).toBe(
      String(api.body.kpis.backlog.count),
    );
    // The chart is drawn, and its figures (the table under it) are the API's daily series.
    await marie.locator('[data-testid="chart-volume"] svg').waitFor();
    const series = await s.request('GET', `/api/v1/reports/series?from=${from}&to=${to}`, { cookie });
    const today = new Date().toISOString().slice(0, 10);
    const day = series.body.days.find((d: { day: string }) => d.day === today);
    expect(day.messages_in).toBe(3);
    await marie.locator('[data-testid="chart-volume"] + details summary').click();
    const row = marie.locator(`[data-testid="table-volume"] tr[data-day="${today}"]`);
    expect(await row.locator('[data-drill="messages_in"]').textContent()).toBe(String(day.messages_in));
    await screenshot(marie, 'reports-overview.png');
    await marie.locator('[data-testid="chart-communities"]').scrollIntoViewIfNeeded();
    await screenshot(marie, 'reports-charts.png');

    // Drill down: the cases created today.
    await row.locator('[data-drill="cases_created"]').click();
    await marie.waitForURL('**/reports/drill?**');
    const drill = marie.locator('[data-testid="drill-ready"]');
    await drill.waitFor();
    const drillApi = await s.request(
      'GET',
      `/api/v1/reports/drill?from=${from}&to=${to}&metric=cases_created&day=${today}`,
      { cookie },
    );
    expect(drillApi.body.total).toBe(day.cases_created);
    expect(await drill.getAttribute('data-total')).toBe(String(day.cases_created));
    const ids = await drill
      .locator('tr[data-case-id]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-case-id'))));
    expect(ids).toEqual(drillApi.body.case_ids);
    await screenshot(marie, 'reports-drill.png');
    // A case behind the figure opens.
    await drill.locator('tr[data-case-id] a').first().click();
    await marie.waitForURL(`**/cases/${ids[0]}`);

    // Back on the overview: the CSV of the cases downloads.
    await marie.goto(`${s.base}/reports`);
    await marie.locator('[data-testid="reports-ready"]').waitFor();
    const [download] = await Promise.all([marie.waitForEvent('download'), marie.click('[data-export="cases"]')]);
    const file = await download.path();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^case_id,created_at,brand,community,/);
    expect(lines).toHaveLength(1 + api.body.kpis.cases_created);
    expect(download.suggestedFilename()).toMatch(/^passeur-cases-\d{4}-\d\d-\d\d\.csv$/);
    expect(errors).toEqual([]);
  });

  it('shows a manager only her communities, and experts no reports', async () => {
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    await signIn(p.page, s.base, 'lea@airsocial.example');
    await p.page.goto(`${s.base}/reports`);
    await p.page.locator('[data-testid="reports-ready"]').waitFor();
    const options = await p.page.locator('[data-filter="community"] option').count();
    expect(options).toBe(1 + 2);
    const expert = await s.request('GET', '/api/v1/reports/summary', {
      cookie: await s.login('marc@airsocial.example'),
    });
    expect(expert.status).toBe(403);
    expect(errors).toEqual([]);
  });
});

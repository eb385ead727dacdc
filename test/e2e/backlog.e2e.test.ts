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
 * J6 in Chromium: Léa forwards a customer's suggestion as an idea from the case page; a second customer asks the
 * same and she adds their vote from the similar ideas; the Backlog shows the idea with its two votes; Marie (a
 * leader) plans it with a note for customers; Léa sees the status and the note on the case, live.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (backlog)'))('web app in Chromium: ideas backlog', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  let first = 0;
  let second = 0;
  let ideaId = 0;
  const title = 'Afficher la porte sur l’écran verrouillé';
  const note = 'Prévu dans l’app 5.4';

  const page = async () => {
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    return p.page;
  };
  const ingest = async (externalId: string, handle: string, text: string) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', account: '@AirSocial', external_id: externalId, author: { handle }, text },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    return r.body.case_id as number;
  };

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    first = await ingest(
      'bl-1',
      '@chloe',
      'Idée : afficher la porte d’embarquement sur l’écran verrouillé du téléphone',
    );
    second = await ingest('bl-2', '@hugo', 'Ce serait bien d’afficher la porte d’embarquement sur l’écran verrouillé');
    lea = await page();
    await signIn(lea, s.base, 'lea@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('Léa forwards the suggestion as a new idea from the case page', async () => {
    await lea.goto(`${s.base}/cases/${first}`);
    const panel = lea.locator('[data-testid="feedback-panel"]');
    await panel.getByText('Ni transmis à l’Innovation ni à la Qualité.').waitFor();
    await panel.locator('[data-action="forward-idea"]').click();
    const form = panel.locator('[data-testid="forward-form"]');
    await form.getByText('Rien de similaire pour l’instant.').waitFor();
    await form.getByLabel('Nouvelle idée').fill(title);
    await form.locator('[data-action="create-feedback"]').click();
    const item = panel.locator('[data-feedback^="idea-"]');
    await item.waitFor();
    ideaId = Number((await item.getAttribute('data-feedback'))!.slice('idea-'.length));
    expect(ideaId).toBeGreaterThan(0);
    expect(await item.textContent()).toContain(title);
    expect(await item.locator('[data-testid="feedback-status"]').textContent()).toBe('Nouvelle');
    expect(await item.textContent()).toContain('1 vote');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(lea, 'backlog-1-forwarded.png');
  });

  it('a second customer asks the same: the idea is suggested and gets their vote', async () => {
    await lea.goto(`${s.base}/cases/${second}`);
    const panel = lea.locator('[data-testid="feedback-panel"]');
    await panel.locator('[data-action="forward-idea"]').click();
    const suggestion = panel.locator(`[data-similar-id="${ideaId}"]`);
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain(title);
    await suggestion.locator('[data-action="add-to-similar"]').click();
    await panel.locator(`[data-feedback="idea-${ideaId}"]`, { hasText: '2 votes' }).waitFor();
  });

  it('the Backlog lists the idea with its votes; Marie plans it with a note for customers', async () => {
    await lea.locator('[data-nav="backlog"]').click();
    const row = lea.locator(`tr[data-item-id="${ideaId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid="backlog-count"]').textContent()).toBe('2');
    // Léa works cases; Innovation decides: she has no status editor.
    await row.getByRole('link', { name: title }).click();
    await lea.locator(`article[data-item-id="${ideaId}"]`).waitFor();
    expect(await lea.locator('[data-action="save-status"]').count()).toBe(0);
    expect(await lea.locator('.backlog-cases li').count()).toBe(2);
    await screenshot(lea, 'backlog-2-idea.png');

    const marie = await page();
    await signIn(marie, s.base, 'marie@airsocial.example');
    await marie.goto(`${s.base}/backlog/ideas/${ideaId}`);
    const editor = marie.locator('.status-editor');
    await editor.waitFor();
    await editor.locator('select[name="item-status"]').selectOption('planned');
    await editor.locator('input[name="item-note"]').fill(note);
    await editor.locator('[data-action="save-status"]').click();
    await marie.locator('[data-testid="item-status"]', { hasText: 'Planifiée' }).waitFor();
    expect(await marie.locator('[data-testid="item-count"]').textContent()).toBe('2 votes');
    await screenshot(marie, 'backlog-3-planned.png');

    // The reports count the loop: two cases forwarded as one new idea, accepted (planned) in the period.
    await marie.locator('[data-nav="reports"]').click();
    const card = marie.locator('[data-testid="report-feedback"]');
    await card.waitFor();
    expect(await card.locator('[data-kpi="ideas-forwarded"] dd').textContent()).toBe('2');
    expect(await card.locator('[data-kpi="ideas-created"] dd').textContent()).toBe('1');
    expect(await card.locator('[data-kpi="ideas-accepted"] dd').textContent()).toBe('1');
    expect(await card.locator('[data-kpi="incidents-raised"] dd').textContent()).toBe('0');
    await card.scrollIntoViewIfNeeded();
    await screenshot(marie, 'backlog-5-report.png');
  });

  it('Léa sees the new status and the note on the case, with a timeline entry', async () => {
    await lea.goto(`${s.base}/cases/${first}`);
    const item = lea.locator(`[data-testid="feedback-panel"] [data-feedback="idea-${ideaId}"]`);
    await item.locator('[data-testid="feedback-status"]', { hasText: 'Planifiée' }).waitFor();
    expect(await item.locator('[data-testid="feedback-note"]').textContent()).toBe(note);
    const activity = lea.locator('ol.activity');
    expect(await activity.textContent()).toContain(`L’idée « ${title} » est maintenant : Planifiée — ${note}`);
    await item.scrollIntoViewIfNeeded();
    await screenshot(lea, 'backlog-4-on-case.png');
  });

  it('Hanna (Innovation, no inbox) reads the backlog and marks the idea done; she sees no case', async () => {
    const hanna = await page();
    await hanna.goto(`${s.base}/login`);
    await hanna.fill('#login-email', 'hanna@airsocial.example');
    await hanna.fill('#login-password', 'passeur-demo');
    await hanna.click('button[type=submit]');
    await hanna.locator('.expert-app').waitFor();
    await hanna.locator('.expert-nav').getByRole('link', { name: 'Backlog' }).click();
    const row = hanna.locator(`tr[data-item-id="${ideaId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid="backlog-count"]').textContent()).toBe('2');
    await row.getByRole('link', { name: title }).click();
    // Her interface is in German; she works no community: counts, but no case.
    await hanna.locator('[data-testid="hidden-cases"][data-count="2"]').waitFor();
    expect(await hanna.locator('.backlog-cases li').count()).toBe(0);
    const editor = hanna.locator('.status-editor');
    await editor.locator('select[name="item-status"]').selectOption('done');
    await editor.locator('input[name="item-note"]').fill('Disponible dans l’app 5.4');
    await editor.locator('[data-action="save-status"]').click();
    await hanna.locator('[data-testid="item-status"][data-status="done"]', { hasText: 'Umgesetzt' }).waitFor();
    await screenshot(hanna, 'backlog-6-innovation.png');
    // Léa's open case page follows live.
    await lea
      .locator(`[data-feedback="idea-${ideaId}"] [data-testid="feedback-status"]`, { hasText: 'Réalisée' })
      .waitFor();
    expect(errors).toEqual([]);
  });
});

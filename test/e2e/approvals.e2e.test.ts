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
 * Approvals in Chromium: Sophie, a trainee, answers a journalist; the composer says the reply will wait for
 * approval and refuses a blocked term; Anna, an approver, edits and approves it in the approval queue; it goes
 * out from @AirSocial (the sandbox network records it).
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (approvals)'))('web app in Chromium: approvals', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let caseId = 0;

  const open = async (who: string) => {
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    await signIn(p.page, s.base, `${who}@airsocial.example`);
    return p.page;
  };
  const posts = async (text: string) =>
    (await db.pool.query('select account_handle, text from sandbox_posts where text = $1', [text])).rows;

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'e2e-approval-1',
        account: '@AirSocial',
        author: { handle: '@journaliste', name: 'Claire Martin' },
        text: 'Bonjour, je suis journaliste et je prépare un article sur les retards de vos vols à Genève. Un commentaire ?',
      },
    });
    caseId = r.body.case_id;
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('holds a trainee’s reply for approval; the approver edits and approves it; it goes out from the right account', async () => {
    const sophie = await open('sophie');
    await sophie.goto(`${s.base}/cases/${caseId}`);
    await sophie.locator('#composer-text').waitFor();
    // A blocked term: the composer says why and will not send.
    await sophie.fill('#composer-text', 'Bonjour, chez AlpJet les retards sont bien pires.');
    await sophie.locator('[data-guideline="confidential"]', { hasText: 'never appear in a reply' }).waitFor();
    expect(await sophie.locator('[data-action="send"]').isDisabled()).toBe(true);

    const draft = 'Bonjour, merci pour votre message, nous revenons vers vous.';
    await sophie.fill('#composer-text', draft);
    // The new draft is checked again: nothing blocks it, and it will wait for one approval.
    await sophie.locator('[data-testid="guideline-findings"]').waitFor({ state: 'detached' });
    await sophie.locator('[data-testid="approval-needed"]', { hasText: '1 validation' }).waitFor();
    expect(await sophie.locator('[data-action="send"]').isDisabled()).toBe(false);
    await screenshot(sophie, 'approvals-composer.png');
    await sophie.click('[data-action="send"]');
    await sophie.locator('.toast', { hasText: 'Envoyée pour validation' }).waitFor();
    expect(await posts(draft)).toEqual([]);

    const anna = await open('anna');
    await anna.click('[data-nav="approvals"]');
    await anna.waitForURL('**/approvals');
    const card = anna.locator('[data-approval-id]', { hasText: `#${caseId}` });
    await card.waitFor();
    expect(await card.locator('[data-testid="approval-identity"]').textContent()).toContain('@AirSocial');
    expect(await card.textContent()).toContain('Sophie Laurent');
    expect(await card.textContent()).toContain('journaliste');
    const edited = 'Bonjour, merci pour votre message : notre service de presse vous répond aujourd’hui.';
    await card.locator('[data-control="approval-text"]').fill(edited);
    // Anna works in German: the button now says the edits are saved with the approval.
    await card.locator('[data-action="approve"]', { hasText: 'Änderungen speichern und freigeben' }).waitFor();
    await screenshot(anna, 'approvals-queue.png');
    await card.locator('[data-action="approve"]').click();
    await anna.locator('.toast', { hasText: 'Freigegeben' }).waitFor();
    await anna.locator('[data-testid="approvals-empty"]').waitFor();

    let sent: { account_handle: string; text: string }[] = [];
    for (let i = 0; i < 100 && sent.length === 0; i++) {
      sent = await posts(edited);
      if (sent.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent).toEqual([{ account_handle: '@AirSocial', text: edited }]);
    expect(await posts(draft)).toEqual([]);

    // Sophie sees the outcome among her replies.
    await sophie.click('[data-nav="approvals"]');
    await sophie.waitForURL('**/approvals');
    await sophie.locator('label', { hasText: 'Mes réponses et publications' }).click();
    await sophie.locator('[data-control="approval-status"]').selectOption('approved');
    await sophie.locator('[data-testid="approval-text"]', { hasText: 'service de presse' }).waitFor();
    await screenshot(sophie, 'approvals-mine.png');
    expect(errors).toEqual([]);
  }, 120_000);

  it('lets the leader edit the approval policy and guidelines as a new version', async () => {
    const marie = await open('marie');
    await marie.click('[data-nav="admin_governance"]');
    await marie.waitForURL('**/admin/governance');
    const source = marie.locator('[data-control="governance-source"]');
    await source.waitFor();
    const policy = JSON.parse(await source.inputValue());
    expect(policy.approvals.map((r: { id: string }) => r.id)).toContain('trainees');
    // Broken JSON is refused before anything is saved.
    await source.fill('{ not json');
    await marie.click('[data-action="save-governance"]');
    await marie.locator('.form-error', { hasText: 'JSON' }).waitFor();
    policy.guidelines.push({ id: 'no-sorry', kind: 'terms', severity: 'warn', terms: ['désolé'] });
    await source.fill(JSON.stringify(policy, null, 2));
    // Tried on the latest replies first: Sophie's approved reply is one a trainee wrote.
    await marie.click('[data-action="preview-governance"]');
    await marie
      .locator('[data-testid="governance-preview"] h2', { hasText: '1 des 1 dernières réponses auraient demandé' })
      .waitFor();
    await marie.fill('#governance-note', 'pas de « désolé »');
    await marie.click('[data-action="save-governance"]');
    await marie.locator('.governance-versions li', { hasText: 'pas de « désolé »' }).waitFor();
    await screenshot(marie, 'approvals-admin.png');
    const saved = await s.request('GET', '/api/v1/governance/policy', {
      cookie: await s.login('marie@airsocial.example'),
    });
    expect(saved.body.version).toBe(2);
    expect(saved.body.policy.guidelines.map((g: { id: string }) => g.id)).toContain('no-sorry');
    expect(errors).toEqual([]);
  }, 120_000);
});

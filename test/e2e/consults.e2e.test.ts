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
 * J2 in Chromium, "je dois déranger quelqu'un": Léa asks Marc (expert) from a case; Marc signs in, sees only the
 * question and what Léa shared, and answers; the answer appears in Léa's case as a private note and the case
 * stops waiting. Then Marie (leader) finds the consult's actions in the audit log.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (consults)'))('web app in Chromium: consults', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  let caseId = 0;
  const customerText =
    '@AirSocial bonjour, mon père voyage en fauteuil roulant électrique, peut-il le prendre sur le vol régional de correspondance ?';
  const answerText = 'Oui, jusqu’à 120 kg avec batterie sèche ; prévenir l’escale 48 h avant le départ.';

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
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        account: '@AirSocial',
        external_id: 'wheelchair-1',
        author: { handle: '@jean_r', name: 'Jean Roux' },
        text: customerText,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    caseId = r.body.case_id;
    lea = await page();
    await signIn(lea, s.base, 'lea@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('Léa asks Marc from the case, through the expertise directory; the case waits on internal', async () => {
    await lea.goto(`${s.base}/cases/${caseId}`);
    const panel = lea.locator('[data-testid="consults-panel"]');
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Consulter un expert' }).click();
    const form = panel.getByRole('form', { name: 'Consulter un expert' });
    const expert = form.getByLabel('Expert ou équipe (annuaire d’expertise)');
    await expert.locator('option', { hasText: 'Marc Girard' }).waitFor({ state: 'attached' });
    const options = await expert.locator('option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining([
        'Ground handling – accessibility — Marc Girard (fr, de)',
        expect.stringContaining('Quality'),
      ]),
    );
    await expert.selectOption({ label: 'Ground handling – accessibility — Marc Girard (fr, de)' });
    await form.locator('[data-testid="expertise-details"]', { hasText: 'answers within 2 h' }).waitFor();
    await form
      .getByLabel('Question')
      .fill('Un fauteuil roulant électrique passe-t-il sur l’ATR de la correspondance ?');
    await form
      .getByLabel('Ce que l’expert peut voir du cas')
      .fill('Passager en fauteuil électrique, correspondance régionale depuis Genève.');
    await form.getByLabel('Réponse attendue sous').selectOption({ label: '2 h' });
    await screenshot(lea, 'consults-1-ask.png');
    await form.getByRole('button', { name: 'Envoyer la consultation' }).click();
    await panel.locator('.consult-item', { hasText: 'En attente' }).waitFor();
    await expect.poll(() => lea.locator('[data-control="status"]').inputValue()).toBe('waiting_internal');
    await screenshot(lea, 'consults-2-waiting.png');
  });

  it('Marc signs in to his consults only, sees the question and the shared excerpt, and answers', async () => {
    const marc = await page();
    await marc.goto(`${s.base}/login`);
    await marc.fill('#login-email', 'marc@airsocial.example');
    await marc.fill('#login-password', 'passeur-demo');
    await marc.click('button[type=submit]');
    const card = marc.locator('.consult-card', { hasText: 'fauteuil roulant électrique' });
    await card.waitFor();
    await screenshot(marc, 'consults-3-expert-list.png');
    // Nothing of the inbox: no case list, no customer's words.
    expect(await marc.locator('.inbox').count()).toBe(0);
    expect(await marc.locator('body').textContent()).not.toContain('Jean Roux');
    await card.getByRole('link').click();
    const view = marc.locator('[data-testid="consult-view"]');
    await view.waitFor();
    expect(await view.locator('[data-testid="consult-excerpt"]').textContent()).toBe(
      'Passager en fauteuil électrique, correspondance régionale depuis Genève.',
    );
    const text = (await view.textContent()) ?? '';
    expect(text).toContain('Posée par Léa Martin');
    expect(text).not.toContain('vol régional de correspondance ?');
    expect(text).not.toContain('@jean_r');
    // The case itself stays closed to him: its address shows his consults, not the case.
    await view.getByLabel('Votre réponse').fill(answerText);
    await screenshot(marc, 'consults-4-expert-answer.png');
    await view.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await view.locator('[data-testid="consult-answer"]', { hasText: 'batterie sèche' }).waitFor();
    await marc.goto(`${s.base}/cases/${caseId}`);
    await marc.locator('.consult-card', { hasText: 'Répondue par Marc Girard' }).waitFor();
    expect(await marc.locator('body').textContent()).not.toContain('Jean Roux');
    await screenshot(marc, 'consults-5-expert-case-url.png');
  });

  it('the answer appears in Léa’s case as a private note, and the case is open again', async () => {
    const note = lea.locator('[data-direction="note"]', { hasText: 'batterie sèche' });
    await note.waitFor();
    expect(await note.textContent()).toContain('Marc Girard');
    await lea
      .locator('[data-testid="consults-panel"] .consult-item', { hasText: 'Répondue par Marc Girard' })
      .waitFor();
    await expect.poll(() => lea.locator('[data-control="status"]').inputValue()).toBe('open');
    // The notification told Léa (the case's asker) about the answer.
    const bell = await s.request('GET', '/api/v1/notifications', { cookie: await s.login('lea@airsocial.example') });
    expect(bell.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'consult_answered' })]));
    await note.scrollIntoViewIfNeeded();
    await screenshot(lea, 'consults-6-note-in-case.png');
  });

  it('Marie finds the consult’s actions in the audit log', async () => {
    const marie = await page();
    await signIn(marie, s.base, 'marie@airsocial.example');
    await marie.goto(`${s.base}/admin/audit`);
    const filters = marie.getByRole('form', { name: 'Rechercher dans le journal' });
    await filters.waitFor();
    await filters.getByLabel('Action').fill('consult.*');
    await filters.getByRole('button', { name: 'Rechercher' }).click();
    const table = marie.locator('.audit-table');
    await table.locator('tr', { hasText: 'consult.answered' }).waitFor();
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Marc Girard');
    expect(rows[1]).toContain('consult.asked');
    expect(await filters.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href')).toBe(
      '/api/v1/audit/export.csv?action=consult.*',
    );
    await screenshot(marie, 'consults-7-audit.png');
    expect(errors).toEqual([]);
  });
});

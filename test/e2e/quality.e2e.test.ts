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
 * Quality review in Chromium: Marie (leader) draws a sample of the replies sent in AirSocial · FR, opens Léa's
 * reply in its case, scores it on the scorecard and writes feedback; Léa is notified, reads the feedback on her
 * Quality page and acknowledges it.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (quality)'))('web app in Chromium: quality review', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let replyId = 0;
  let caseId = 0;
  let expectedScore = 0;
  const customer = 'Bonjour, mon vol AS1234 est annulé, puis-je être remboursé ?';
  const answer = 'Bonjour, vous pouvez demander le remboursement depuis votre espace client, rubrique Réservations.';
  const feedback = 'Réponse claire ; pense à saluer le client par son nom.';

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
        external_id: 'quality-e2e-1',
        author: { handle: '@jeanne_r', name: 'Jeanne Roux' },
        text: customer,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    caseId = r.body.case_id;
    const sent = await s.request('POST', `/api/v1/cases/${r.body.case_id}/replies`, {
      cookie: await s.login('lea@airsocial.example'),
      body: { text: answer, acknowledge_warnings: true },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
    replyId = sent.body.message_id ?? sent.body.id;
    const end = Date.now() + 20_000;
    for (;;) {
      const o = await s.ctx.pool.query<{ message_id: string }>(
        `select o.message_id from outbox o join messages m on m.id = o.message_id
         where o.status = 'sent' and m.text = $1`,
        [answer],
      );
      if (o.rows[0]) {
        replyId = Number(o.rows[0].message_id);
        break;
      }
      if (Date.now() > end) throw new Error('the reply was not sent');
      await new Promise((res) => setTimeout(res, 100));
    }
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('Marie draws a sample, reviews Léa’s reply in its case and submits the scorecard', async () => {
    const marie = await page();
    await signIn(marie, s.base, 'marie@airsocial.example');
    // In the case, the leader can open the review of Léa's reply.
    await marie.goto(`${s.base}/cases/${caseId}`);
    const fromCase = marie.locator(`[data-message-id="${replyId}"] [data-action="qa-review"]`);
    await fromCase.waitFor();
    expect(await fromCase.textContent()).toBe('Revoir cette réponse');
    expect(await fromCase.getAttribute('href')).toBe(`/quality/replies/${replyId}`);
    await marie.locator('[data-nav="quality"]').click();
    await marie.getByRole('heading', { name: 'Revue qualité', level: 1 }).waitFor();
    await marie.locator('[data-control="qa-community"]').selectOption({ label: 'AirSocial · FR' });
    await marie.locator('[data-control="qa-seed"]').fill('42');
    await marie.getByRole('button', { name: 'Tirer un échantillon' }).click();
    const row = marie.locator(`.qa-queue [data-message-id="${replyId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Léa Martin');
    await screenshot(marie, 'quality-1-queue.png');
    await row.getByRole('link').click();
    await marie.waitForURL(`**/quality/replies/${replyId}?sample=*`);

    // The reply in its case: the customer's message, then the reviewed reply, as text.
    const thread = marie.locator('.qa-thread');
    await thread.getByText(customer).waitFor();
    expect(await marie.locator(`.qa-msg-reviewed[data-message-id="${replyId}"] .qa-msg-text`).textContent()).toBe(
      answer,
    );

    // Every criterion passes except the tone, partial.
    const criteria = marie.locator('fieldset[data-criterion]');
    const n = await criteria.count();
    expect(n).toBeGreaterThanOrEqual(5);
    expect(await marie.locator('fieldset[data-criterion="answered"] legend').textContent()).toBe(
      'A répondu à la question',
    );
    const submit = marie.getByRole('button', { name: 'Enregistrer la revue' });
    expect(await submit.isDisabled()).toBe(true);
    for (let i = 0; i < n; i++) {
      const f = criteria.nth(i);
      const isTone = (await f.getAttribute('data-criterion')) === 'tone';
      await f.getByLabel(isTone ? 'Partiel' : 'Conforme', { exact: true }).check();
    }
    await marie
      .locator('fieldset[data-criterion="tone"]')
      .getByRole('textbox')
      .fill('Un peu sec : ajoutez une formule d’empathie.');
    await marie.locator('[data-control="qa-feedback"]').fill(feedback);
    expectedScore = Math.round((100 * (n - 0.5)) / n);
    expect(await marie.locator('.qa-preview').textContent()).toBe(`Note : ${expectedScore}/100`);
    await screenshot(marie, 'quality-2-scorecard.png');
    await submit.click();
    await marie.waitForURL('**/quality');
    // The reviewed reply left the queue; the review is listed with its score.
    await marie.locator('[data-section="qa-reviews"] [data-review-id]').first().waitFor();
    expect(await marie.locator(`.qa-queue [data-message-id="${replyId}"]`).count()).toBe(0);
    expect(await marie.locator('[data-section="qa-reviews"]').textContent()).toContain(String(expectedScore));
    const scores = marie.locator('[data-section="qa-scores"]');
    await scores.locator('[data-total-reviews="1"]').waitFor();
    expect(await scores.locator('.qa-scores-people').textContent()).toContain('Léa Martin');
    // Reports carry the same QA score.
    await marie.locator('[data-nav="reports"]').click();
    const card = marie.locator('[data-testid="report-quality"]');
    await card.locator('[data-total-reviews="1"]').waitFor();
    expect(await card.textContent()).toContain('Léa Martin');
  });

  it('Léa is notified, reads the feedback and acknowledges it', async () => {
    const lea = await page();
    await signIn(lea, s.base, 'lea@airsocial.example');
    await lea.locator('[data-testid="bell"]').click();
    const item = lea.locator('.bell-item', { hasText: `a revu votre réponse : ${expectedScore}/100` });
    await item.waitFor();
    await item.click();
    await lea.waitForURL('**/quality');
    const card = lea.locator('[data-section="qa-feedback"] .qa-card').first();
    await card.waitFor();
    expect(await card.locator('.qa-score').textContent()).toBe(`Note ${expectedScore}/100`);
    expect(await card.locator('.qa-reply-text').textContent()).toBe(answer);
    expect(await card.locator('.qa-feedback-text').textContent()).toBe(feedback);
    expect(await card.locator('[data-criterion="tone"]').textContent()).toContain(
      'Un peu sec : ajoutez une formule d’empathie.',
    );
    expect(await card.textContent()).toContain('Marie Lefèvre');
    await screenshot(lea, 'quality-3-feedback.png');
    await card.getByRole('button', { name: 'Prendre en compte' }).click();
    await card.getByText('Pris en compte', { exact: false }).waitFor();
    expect(await card.getByRole('button', { name: 'Prendre en compte' }).count()).toBe(0);
    // Léa (a manager) sees the scores of her communities, not the sample queue.
    expect(await lea.locator('[data-section="qa-samples"]').count()).toBe(0);
    await lea.locator('[data-section="qa-scores"] [data-total-reviews="1"]').waitFor();
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});

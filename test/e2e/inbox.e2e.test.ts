import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteEnabled, ensureWebBuild, launchBrowser, RESULTS_DIR } from '../support/browser.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * J1 in a real browser: Léa's inbox receives a customer message live, she opens it, replies, the reply is
 * sent, and the customer's answer lands in the same case. Plus the safety of customer content and the
 * keyboard flow.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (J1)'))('web app in Chromium: J1 inbox → case → reply', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const ingest = async (body: Record<string, unknown>) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', account: '@AirSocial', ...body },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    return r.body as { message_id: number; case_id: number };
  };

  const shot = (name: string) => page.screenshot({ path: path.join(RESULTS_DIR, name) });

  const watch = (p: Page) => {
    p.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(`csp: ${m.text()}`);
    });
  };

  beforeAll(async () => {
    await ensureWebBuild();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    context = await browser.newContext({
      locale: 'fr-CH',
      timezoneId: 'Europe/Zurich',
      viewport: { width: 1440, height: 900 },
    });
    page = await context.newPage();
    watch(page);
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('refuses a wrong password with a clear message', async () => {
    await page.goto(`${s.base}/`);
    await page.waitForSelector('#login-email');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#login-email', 'lea@airsocial.example');
    await page.fill('#login-password', 'not-the-password');
    await page.click('button[type=submit]');
    const error = page.locator('#login-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('E-mail ou mot de passe incorrect.');
  });

  let caseId = 0;
  const text = '@AirSocial mon vol AS1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?';

  it('signs Léa in, and a new customer message appears in her open inbox without reload', async () => {
    await page.fill('#login-email', 'lea@airsocial.example');
    await page.fill('#login-password', 'passeur-demo');
    await page.click('button[type=submit]');
    await page.waitForSelector('.inbox');
    await page.waitForSelector('[data-live="live"]', { timeout: 10_000 });
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('.view-link').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Mes cas'), expect.stringContaining('SLA en danger')]),
    );

    const before = Date.now();
    const r = await ingest({ external_id: 'j1-1', author: { handle: '@jeanne_d', name: 'Jeanne Dupont' }, text });
    caseId = r.case_id;
    const row = page.locator(`.case-list li[data-case-id="${caseId}"]`);
    await row.waitFor({ timeout: 5_000 });
    const arrivedMs = Date.now() - before;
    expect(arrivedMs).toBeLessThan(5_000);
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('Jeanne Dupont');
    expect(rowText).toContain('@jeanne_d');
    expect(rowText).toContain('mon vol AS1234');
    expect(rowText).toContain('AirSocial · FR');
    expect(await row.locator('[data-sla]').getAttribute('data-sla')).toMatch(/^(ok|warn)$/);
    // The counts follow live too.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-view="all"] [data-count]')?.getAttribute('data-count')) >= 1,
    );
    await shot('inbox.png');
  });

  it('opens the case: the thread, the triage, why it is here, who the reply will be posted as', async () => {
    await page.click(`.case-list li[data-case-id="${caseId}"] a`);
    await page.waitForURL(`**/cases/${caseId}`);
    const first = page.locator('.thread .msg-customer').first();
    await first.waitFor();
    expect(await first.locator('.msg-text').textContent()).toBe(text);
    expect(await first.locator('.triage-chips').textContent()).toContain('FR');
    expect(await page.locator('#routing-title').textContent()).toBe('Pourquoi ici');
    expect(await page.locator('[data-testid="posting-as"]').textContent()).toBe(
      'Publication en tant que @AirSocial (AirSocial · FR, réponse publique)',
    );
    await page.locator('.triage-why summary').first().click();
    await page.locator('.why-list').first().waitFor();
  });

  let replyText = '';

  it('replies: the reply shows in the thread at once and becomes sent', async () => {
    replyText = 'Bonjour Jeanne, nous sommes désolés. Nous regardons votre correspondance tout de suite.';
    await page.fill('#composer-text', replyText);
    expect(await page.locator('#composer-counter').textContent()).toContain(`${[...replyText].length}`);
    await page.click('[data-action="send"]');
    const reply = page.locator('.thread .msg-brand').filter({ hasText: replyText });
    await reply.waitFor({ timeout: 5_000 });
    await reply.locator('[data-delivery="sent"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#composer-text').inputValue()).toBe('');
    expect(await page.locator('[data-control="status"]').inputValue()).toBe('waiting_customer');
    // The first-response clock stopped.
    await page.locator('.case-header [data-sla="replied"]').waitFor({ timeout: 5_000 });
  });

  it('shows the customer’s answer in the same case, live', async () => {
    let externalId: string | null = null;
    for (let i = 0; i < 50 && !externalId; i++) {
      const c = await s.request('GET', `/api/v1/cases/${caseId}`, { token: s.token });
      const out = (c.body.messages as { direction: string; external_id: string | null }[]).find(
        (m) => m.direction === 'out',
      );
      externalId = out?.external_id ?? null;
      if (!externalId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(externalId).toBeTruthy();
    const followUp = 'merci, et pour mon bagage ?';
    const r = await ingest({
      external_id: 'j1-2',
      author: { handle: '@jeanne_d', name: 'Jeanne Dupont' },
      text: followUp,
      in_reply_to: externalId,
    });
    expect(r.case_id).toBe(caseId);
    const answer = page.locator('.thread .msg-customer').filter({ hasText: followUp });
    await answer.waitFor({ timeout: 5_000 });
    const texts = await page.locator('.thread .msg .msg-text').allTextContents();
    expect(texts).toEqual([text, replyText, followUp]);
    await shot('case.png');
  });

  it('renders hostile customer content as text, never as markup or a link', async () => {
    const name = '<img src=x onerror="window.__xss=1">';
    const body = '<script>window.__xss=1</script>\n<b>bold?</b> javascript:alert(1) https://example.org/x';
    const r = await ingest({
      external_id: 'xss-1',
      author: { handle: '@"><svg onload=window.__xss=1>', name },
      text: body,
      meta: { url: 'javascript:window.__xss=1' },
    });
    await page.goto(`${s.base}/?view=all`);
    const row = page.locator(`.case-list li[data-case-id="${r.case_id}"]`);
    await row.waitFor();
    expect(await row.locator('.case-name').textContent()).toBe(name);
    await row.locator('a').click();
    const msg = page.locator('.thread .msg-customer').first();
    await msg.waitFor();
    expect(await msg.locator('.msg-text').textContent()).toBe(body);
    expect(await msg.locator('.msg-author').textContent()).toBe(name);
    // The message's own URL is not http(s): shown as text, not a link.
    expect(await msg.locator('.msg-url a').count()).toBe(0);
    expect(await msg.locator('.msg-url .url-text').textContent()).toBe('javascript:window.__xss=1');
    expect(await page.locator('img[src="x"], script:not([src]), svg[onload], b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    await shot('xss.png');
  });

  it('keeps a very long message inside the layout', async () => {
    const long = `${'Réclamation très détaillée. '.repeat(250)}\n${'x'.repeat(3000)}`;
    const r = await ingest({ external_id: 'long-1', author: { handle: '@verbose' }, text: long });
    await page.goto(`${s.base}/cases/${r.case_id}`);
    await page.locator('.thread .msg-text').first().waitFor();
    const overflow = await page.evaluate(() => {
      const main = document.querySelector('.main')!;
      return { scroll: main.scrollWidth, client: main.clientWidth, page: document.documentElement.scrollWidth };
    });
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    expect(overflow.page).toBeLessThanOrEqual(1440);
  });

  it('is usable from the keyboard: j/k move, Enter opens, Esc comes back, ? shows the shortcuts', async () => {
    for (let i = 0; i < 3; i++) {
      await ingest({ external_id: `kbd-${i}`, author: { handle: `@kbd${i}` }, text: `Question ${i} sur mon vol` });
    }
    await page.goto(`${s.base}/?view=all`);
    await page.waitForSelector('.case-list li');
    const ids = await page
      .locator('.case-list li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-case-id')));
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const selected = () => page.locator('.case-list li[data-selected]').getAttribute('data-case-id');
    expect(await selected()).toBe(ids[0]);

    await page.keyboard.press('j');
    expect(await selected()).toBe(ids[1]);
    await page.keyboard.press('j');
    expect(await selected()).toBe(ids[2]);
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-case-id'))).toBe(ids[2]);
    await page.keyboard.press('k');
    expect(await selected()).toBe(ids[1]);

    await page.keyboard.press('Enter');
    await page.waitForURL(`**/cases/${ids[1]}`);
    await page.locator('.thread').waitFor();

    await page.keyboard.press('Escape');
    await page.waitForURL((u) => u.pathname === '/');
    await page.waitForSelector('.case-list li[data-selected]');
    expect(await selected()).toBe(ids[1]);

    await page.keyboard.press('?');
    await page.locator('dialog[open]').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('dialog[open]') === null);

    // "a" assigns the selected case to me, "e" resolves it (it leaves the list of active cases).
    const row = page.locator(`.case-list li[data-case-id="${ids[1]}"]`);
    await page.keyboard.press('a');
    await row.locator('.case-assignee', { hasText: 'Léa Martin' }).waitFor();
    await page.keyboard.press('e');
    await row.waitFor({ state: 'detached' });
    // The cursor moves on to another case.
    const next = await selected();
    expect(next).toBeTruthy();
    expect(next).not.toBe(ids[1]);

    // "r" opens the selected case with the composer focused.
    await page.keyboard.press('r');
    await page.waitForURL(`**/cases/${next}`);
    await page.waitForFunction(() => document.activeElement?.id === 'composer-text');
  });

  it('loads older cases with the cursor ("load more")', async () => {
    const count = async () =>
      (await s.request('GET', '/api/v1/cases/counts?status=active', { token: s.token })).body.all as number;
    const before = await count();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ingest({ external_id: `bulk-${i}`, author: { handle: `@bulk${i}` }, text: `Où est mon bagage n° ${i} ?` }),
      ),
    );
    // Accepted messages are stored by the ingest queue: wait until every case exists.
    const total = before + 50;
    for (let i = 0; i < 100 && (await count()) < total; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await count()).toBe(total);
    await page.goto(`${s.base}/?view=all`);
    await page.waitForSelector('.case-list li');
    expect(await page.locator('[data-view="all"] [data-count]').getAttribute('data-count')).toBe(String(total));
    expect(await page.locator('.case-list li').count()).toBe(50);
    await page.getByRole('button', { name: 'Charger la suite' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.case-list li').length === n, total);
    const ids = await page
      .locator('.case-list li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-case-id')));
    expect(new Set(ids).size).toBe(total);
    await page.getByText('Fin de la liste').waitFor();
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(pageErrors).toEqual([]);
  });
});

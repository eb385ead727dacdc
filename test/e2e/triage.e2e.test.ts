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
 * Triage corrections in Chromium: Léa corrects the labels of a customer message from its chips (keyboard
 * menus), sees them marked "corrected by you"; a viewer cannot; Marie, the leader, sees the corrections in
 * the triage model panel, retrains, and reads how the new model scored on held-back corrections.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (triage corrections)'))(
  'web app in Chromium: triage corrections',
  () => {
    let db: TestDatabase & { drop(): Promise<void> };
    let s: TestServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const errors: string[] = [];
    let lea: Page;

    const ingest = async (externalId: string, text: string) => {
      const r = await s.request('POST', '/api/v1/messages', {
        token: s.token,
        body: {
          channel: 'sandbox',
          account: '@AirSocial',
          external_id: externalId,
          author: { handle: '@client' },
          text,
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      return r.body as { message_id: number; case_id: number };
    };

    const open = async (who: string) => {
      const p = await newPersonPage(browser, errors);
      contexts.push(p.context);
      await signIn(p.page, s.base, `${who}@airsocial.example`);
      return p.page;
    };

    beforeAll(async () => {
      await ensureWebBuild();
      db = await createTestDatabase('embedded');
      s = await startTestServer(db.url);
      browser = await launchBrowser();
      lea = await open('lea');
    }, 300_000);

    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await s?.close();
      await db?.drop();
    });

    let caseId = 0;
    let messageId = 0;

    it('lets Léa correct a label from its chip with the keyboard; it then says "corrected by you"', async () => {
      const m = await ingest('t-1', 'Bonjour, à quelle heure ouvre l’enregistrement pour le vol AS12 de demain ?');
      caseId = m.case_id;
      messageId = m.message_id;
      await lea.goto(`${s.base}/cases/${caseId}`);
      const chip = lea.locator(`[data-message-id="${messageId}"] [data-testid="correct-sentiment"]`);
      await chip.waitFor();
      const before = (await chip.textContent()) ?? '';
      const target = before.includes('Négatif') ? 'Neutre' : 'Négatif';

      // A menu button: Enter opens it, the focus lands on the current value, arrows move, Enter chooses.
      await chip.focus();
      await lea.keyboard.press('Enter');
      const menu = lea.getByRole('menu');
      await menu.waitFor();
      expect(await chip.getAttribute('aria-expanded')).toBe('true');
      const items = await menu.getByRole('menuitemradio').allTextContents();
      expect(items.map((x) => x.replace('✓', ''))).toEqual(['Négatif', 'Neutre', 'Positif']);
      expect(await lea.evaluate(() => document.activeElement?.getAttribute('aria-checked'))).toBe('true');
      for (let i = 0; i < 3; i++) {
        const focused = await lea.evaluate(() => document.activeElement?.textContent ?? '');
        if (focused.endsWith(target)) break;
        await lea.keyboard.press('ArrowDown');
      }
      await lea.keyboard.press('Enter');
      await menu.waitFor({ state: 'detached' });
      // The focus is back on the chip, which now shows the corrected value.
      await lea.waitForFunction(
        ([id, text]) =>
          document
            .querySelector(`[data-message-id="${id}"] [data-testid="correct-sentiment"]`)
            ?.textContent?.includes(text!),
        [String(messageId), target] as const,
      );
      expect(await lea.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('correct-sentiment');
      const note = lea.locator(`[data-message-id="${messageId}"] [data-testid="triage-corrected"]`);
      await note.waitFor();
      expect(await note.textContent()).toContain('corrigé par vous');
      expect(await chip.getAttribute('class')).toContain('is-corrected');
      expect(await chip.getAttribute('title')).toContain('corrigé par vous');

      const c = await s.request('GET', `/api/v1/cases/${caseId}`, { token: s.token });
      const tr = c.body.messages[0].triage;
      expect(tr.sentiment).toBe(target === 'Neutre' ? 'neutral' : 'negative');
      expect(Object.keys(tr.corrected)).toEqual(['sentiment']);
    });

    it('corrects the topics (several at once) and the team from their menus', async () => {
      const scope = lea.locator(`[data-message-id="${messageId}"]`);
      await scope.locator('[data-testid="correct-topics"]').first().click();
      const menu = lea.getByRole('menu');
      await menu.waitFor();
      // Several topics: the menu stays open while they are toggled.
      await menu.getByRole('menuitemcheckbox', { name: 'Bagages' }).click();
      await scope.locator('[data-testid="correct-topics"]', { hasText: 'Bagages' }).waitFor();
      await lea.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });

      await scope.locator('[data-testid="correct-team"]').click();
      await lea.getByRole('menuitemradio', { name: 'Quality' }).click();
      await scope.locator('[data-testid="correct-team"]', { hasText: 'Quality' }).waitFor();
      const note = scope.locator('[data-testid="triage-corrected"]');
      await lea.waitForFunction(
        (id) =>
          /sujets/i.test(
            document.querySelector(`[data-message-id="${id}"] [data-testid="triage-corrected"]`)?.textContent ?? '',
          ),
        String(messageId),
      );
      expect(await note.textContent()).toMatch(/sentiment.*sujets.*équipe suggérée.*corrigé par vous/i);
      await screenshot(lea, 'triage-corrected.png');
      const c = await s.request('GET', `/api/v1/cases/${caseId}`, { token: s.token });
      expect(c.body.messages[0].triage.topics).toContain('baggage');
      expect(c.body.messages[0].triage.team).toBe('quality');
    });

    it('shows the labels to a viewer without letting them correct', async () => {
      const paul = await open('paul');
      await paul.goto(`${s.base}/cases/${caseId}`);
      const chips = paul.locator(`[data-message-id="${messageId}"] .triage-chips`);
      await chips.waitFor();
      expect(await chips.locator('button').count()).toBe(0);
      expect(await chips.locator('[data-field="sentiment"].is-corrected').count()).toBe(1);
      // Corrected by Léa, as the viewer sees it.
      expect(
        await paul.locator(`[data-message-id="${messageId}"] [data-testid="triage-corrected"]`).textContent(),
      ).toContain('Léa Martin');
    });

    it('lets Marie follow the corrections and retrain the model from the triage model panel', async () => {
      const marie = await open('marie');
      await marie.click('[data-nav="admin_triage"]');
      await marie.waitForURL('**/admin/triage');
      const panel = marie.locator('[data-testid="triage-model"]');
      await panel.waitFor();
      expect(await panel.locator('[data-testid="trained-at"]').textContent()).toContain('Jamais');
      expect(await panel.locator('[data-testid="corrections"]').textContent()).toContain('3 corrections');

      // Three corrections are not enough to learn from.
      await marie.click('[data-action="retrain"]');
      const outcome = marie.locator('[data-testid="retrain-outcome"]');
      await outcome.waitFor();
      expect(await outcome.getAttribute('data-trained')).toBe('false');
      expect(await outcome.textContent()).toContain('il en faut au moins 10');

      // The team teaches Passeur that their "Blue Card" programme is about loyalty.
      const lc = await s.login('lea@airsocial.example');
      for (let i = 0; i < 24; i++) {
        const m = await ingest(`bc-${i}`, `Ma Blue Card ${i} n'apparaît pas, les avantages Blue Card sont où ?`);
        const r = await s.request('POST', `/api/v1/messages/${m.message_id}/triage`, {
          cookie: lc,
          body: { topics: ['loyalty'] },
        });
        expect(r.status).toBe(204);
      }
      await marie.reload();
      await panel.waitFor();
      expect(await panel.locator('[data-testid="corrections"]').textContent()).toContain('27 corrections');
      await marie.click('[data-action="retrain"]');
      await marie.waitForSelector('[data-testid="retrain-outcome"][data-trained="true"]', { timeout: 120_000 });
      // The model's description is read again once training ends.
      await marie.locator('[data-testid="trained-at"]', { hasText: '25 messages corrigés' }).waitFor();
      const table = marie.locator('[data-testid="held-out"]');
      await table.waitFor();
      const topics = table.locator('tr[data-field="topics"]');
      expect(await topics.textContent()).toMatch(/%\s*→\s*\d+\s*%/);
      await screenshot(marie, 'triage-model.png');
    }, 180_000);

    it('keeps the panel for leaders: a manager has no link to it and is told so', async () => {
      expect(await lea.locator('[data-nav="admin_triage"]').count()).toBe(0);
      await lea.goto(`${s.base}/admin/triage`);
      await lea.getByText('Seuls les responsables').waitFor();
    });

    it('raised no script error and no Content-Security-Policy violation', () => {
      expect(errors).toEqual([]);
    });
  },
);

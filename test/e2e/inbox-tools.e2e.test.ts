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
 * The inbox tools in Chromium: full-text search with its matches marked (as text), the order, saved and
 * shared views, bulk actions on a selection made with the keyboard, and the notifications bell kept live.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (inbox tools)'))('web app in Chromium: inbox tools', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  let leaId = 0;
  const ids: Record<string, number> = {};

  const ingest = async (key: string, handle: string, text: string) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', account: '@AirSocial', external_id: key, author: { handle }, text },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    ids[key] = r.body.case_id;
    return r.body as { message_id: number; case_id: number };
  };
  const open = async (who: string) => {
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    await signIn(p.page, s.base, `${who}@airsocial.example`);
    return p.page;
  };
  const listIds = (p: Page) =>
    p.locator('.case-list li').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-case-id'))));

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    leaId = (await db.pool.query(`select id from people where email = 'lea@airsocial.example'`)).rows[0].id;
    await ingest('a', '@annie', 'Ma valise est perdue depuis mon arrivée à Genève, aidez-moi');
    await ingest('b', '@bruno', 'Bagage abîmé <script>window.__xss=1</script> et <b>valise</b> cassée, qui paie ?');
    await ingest('c', '@carla', 'Mon vol AS12 a deux heures de retard');
    await ingest('d', '@dora', 'Comment modifier ma réservation pour la semaine prochaine ?');
    lea = await open('lea');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('searches from the keyboard and marks the matching words, as text', async () => {
    await lea.goto(`${s.base}/?view=all`);
    await lea.locator('.case-list li').first().waitFor();
    await lea.keyboard.press('/');
    expect(await lea.evaluate(() => document.activeElement?.id)).toBe('inbox-search');
    await lea.keyboard.type('valise');
    await lea.keyboard.press('Enter');
    await lea.waitForURL((u) => u.searchParams.get('q') === 'valise');
    await lea.waitForFunction(() => document.querySelectorAll('.case-list li').length === 2);
    expect(new Set(await listIds(lea))).toEqual(new Set([ids.a, ids.b]));
    const marks = await lea.locator('.case-list [data-testid="highlight"] mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toEqual(['valise', 'valise']);
    const hostile = lea.locator(`.case-list li[data-case-id="${ids.b}"] [data-testid="highlight"]`);
    expect(await hostile.textContent()).toContain('<script>window.__xss=1</script>');
    expect(await lea.locator('.case-list script, .case-list b').count()).toBe(0);
    expect(await lea.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await lea.locator('[data-control="sort"] option:checked').textContent()).toBe('Pertinence');
    await screenshot(lea, 'inbox-search.png');

    await lea.locator('[data-control="sort"]').selectOption('age');
    await lea.waitForURL((u) => u.searchParams.get('sort') === 'age');
    await lea.waitForFunction(() => document.querySelectorAll('.case-list li').length === 2);
    expect(await listIds(lea)).toEqual([ids.a, ids.b]);
  });

  it('saves the search as a shared view, listed in the sidebar for Léa and for Marie', async () => {
    await lea.click('[data-action="save-view"]');
    const dialog = lea.locator('[data-testid="save-view-dialog"]');
    await dialog.locator('[data-control="view-name"]').fill('Valises');
    await dialog.getByLabel('Partager avec toute l’organisation').check();
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    const link = lea.locator('[data-saved-view]', { hasText: 'Valises' });
    await link.waitFor();
    expect(await link.getAttribute('aria-current')).toBe('page');
    expect(await lea.locator('#inbox-title').textContent()).toBe('Valises');

    await lea.click('[data-view="all"]');
    await lea.waitForURL((u) => !u.searchParams.has('q'));
    expect(await link.getAttribute('aria-current')).toBeNull();
    await link.click();
    await lea.waitForURL((u) => u.searchParams.get('q') === 'valise' && u.searchParams.get('sort') === 'age');
    await lea.waitForFunction(() => document.querySelectorAll('.case-list li').length === 2);

    const marie = await open('marie');
    const shared = marie.locator('[data-saved-view]', { hasText: 'Valises' });
    await shared.waitFor();
    expect(await shared.textContent()).toContain('Léa');
    // Someone else's view is not hers to change.
    await shared.click();
    await marie.waitForURL((u) => u.searchParams.get('q') === 'valise');
    expect(await marie.locator('[data-action="save-view"]').count()).toBe(0);
  });

  it('acts on a selection made with the keyboard: assign, tag, priority, resolve', async () => {
    await lea.goto(`${s.base}/?view=all`);
    await lea.locator('.case-list li').first().waitFor();
    const shown = await listIds(lea);
    expect(shown.length).toBe(4);
    // x selects the case under the cursor, j moves on.
    await lea.keyboard.press('x');
    await lea.keyboard.press('j');
    await lea.keyboard.press('x');
    await lea.locator(`.case-list li[data-case-id="${shown[3]}"] .row-check input`).check();
    const bar = lea.locator('[data-testid="bulk-bar"]');
    expect(await bar.locator('.bulk-count').textContent()).toBe('3 sélectionnés');
    const picked = [shown[0]!, shown[1]!, shown[3]!];

    await bar.locator('[data-control="bulk-assign"]').selectOption(String(leaId));
    for (const id of picked) {
      await lea.locator(`.case-list li[data-case-id="${id}"] .case-assignee`, { hasText: 'Léa Martin' }).waitFor();
    }
    await bar.locator('[data-control="bulk-tag"]').fill('lot-1');
    await bar.getByRole('button', { name: 'Ajouter l’étiquette' }).click();
    await bar.locator('[data-control="bulk-priority"]').selectOption('high');
    await lea.waitForFunction(
      (list) =>
        list.every(
          (id) =>
            document.querySelector(`.case-list li[data-case-id="${id}"] a`)?.getAttribute('data-priority') === 'high',
        ),
      picked,
    );
    await screenshot(lea, 'inbox-bulk.png');
    const c = (await s.request('GET', `/api/v1/cases/${picked[2]}`, { token: s.token })).body;
    expect(c.tags).toEqual(['lot-1']);
    expect(c.assignee.id).toBe(leaId);

    await bar.locator('[data-control="bulk-status"]').selectOption('resolved');
    // Resolved cases leave the list of active cases, and the selection with them.
    await lea.waitForFunction(() => document.querySelectorAll('.case-list li').length === 1);
    await lea.locator('[data-testid="bulk-bar"]').waitFor({ state: 'detached' });
    expect(await listIds(lea)).toEqual([shown[2]]);
  });

  it('rings the bell live when Marie assigns a case to Léa and mentions her', async () => {
    const bell = lea.locator('[data-testid="bell"]');
    expect(await bell.locator('.bell-count').count()).toBe(0);
    await ingest('e', '@emile', 'Mon vol AS12 a deux heures de retard');
    ids.c = ids.e!;
    const marie = await s.login('marie@airsocial.example');
    const r = await s.request('PATCH', `/api/v1/cases/${ids.c}`, { cookie: marie, body: { assignee_id: leaId } });
    expect(r.status).toBe(200);
    await bell.locator('.bell-count[data-count="1"]').waitFor({ timeout: 5_000 });
    const note = await s.request('POST', `/api/v1/cases/${ids.c}/notes`, {
      cookie: marie,
      body: { text: '@Léa peux-tu regarder ce retard ?' },
    });
    expect(note.status).toBe(201);
    await bell.locator('.bell-count[data-count="2"]').waitFor({ timeout: 5_000 });
    expect(await bell.getAttribute('aria-label')).toBe('2 notifications non lues');

    await bell.click();
    const items = lea.locator('.bell-list li');
    await items.first().waitFor();
    expect(await items.allTextContents()).toEqual([
      expect.stringContaining(`Marie Lefèvre vous a mentionné dans le cas n° ${ids.c}`),
      expect.stringContaining(`Marie Lefèvre vous a attribué le cas n° ${ids.c}`),
    ]);
    expect(await items.first().textContent()).toContain('Mon vol AS12 a deux heures de retard');
    await screenshot(lea, 'notifications.png');
    await items.first().locator('button').click();
    await lea.waitForURL(`**/cases/${ids.c}`);
    await bell.locator('.bell-count[data-count="1"]').waitFor();
    await bell.click();
    await lea.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await lea.waitForFunction(() => !document.querySelector('[data-testid="bell"] .bell-count'));
    // Which notifications also come by email.
    await lea.locator('.bell-prefs-summary').click();
    const warning = lea.locator('.bell-prefs input[data-kind="sla_warning"]');
    expect(await warning.isChecked()).toBe(false);
    await warning.check();
    await lea.locator('.bell-prefs [role="status"]').waitFor();
    const prefs = await s.request('GET', '/api/v1/notifications/preferences', {
      cookie: await s.login('lea@airsocial.example'),
    });
    expect(prefs.body.email).toEqual([
      'assigned',
      'mention',
      'sla_breach',
      'consult',
      'consult_overdue',
      'handover',
      'sla_warning',
    ]);
    // Escape closes the panel without leaving the case.
    await lea.keyboard.press('Escape');
    await lea.locator('.bell-panel').waitFor({ state: 'detached' });
    expect(new URL(lea.url()).pathname).toBe(`/cases/${ids.c}`);
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});

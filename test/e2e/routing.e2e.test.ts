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
 * The routing rules page in Chromium: Marie reorders, disables, adds and edits rules with form controls,
 * tests them on recent messages (counts and excerpts as text), is told which rule the server refused, saves
 * a version with a note, sees new cases follow it, and restores an older version.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (routing rules)'))('web app in Chromium: routing rules', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let marie: Page;

  const ingest = async (externalId: string, text: string, handle = '@client') => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', account: '@AirSocial', external_id: externalId, author: { handle }, text },
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

  const names = () => marie.locator('.rule-card .rule-name').allTextContents();
  const card = (name: string) => marie.locator('.rule-card', { has: marie.locator('.rule-name', { hasText: name }) });

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    browser = await launchBrowser();
    // Recent messages to test rules on; one customer writes markup.
    await ingest('r-1', 'Ma valise n’est pas arrivée à Genève, bagage perdu depuis hier');
    await ingest('r-2', 'Mon bagage est abîmé, la poignée est cassée', '@valise');
    // (each customer its own: a customer's next message joins their open case)
    await ingest(
      'r-3',
      '<b>Ma valise</b> est perdue, <img src=x onerror="window.__xss=1"> bagage introuvable',
      '@hostile',
    );
    await ingest('r-4', 'Mon vol AS12 a trois heures de retard, que faire ?', '@retard');
    await ingest('r-5', 'Merci pour le super vol, équipage adorable !', '@merci');
    marie = await open('marie');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('opens from the shell for a leader and lists the rules in force, in order', async () => {
    await marie.click('[data-nav="admin_routing"]');
    await marie.waitForURL('**/admin/routing');
    await marie.locator('.rule-card').first().waitFor();
    expect(await marie.locator('[data-testid="policy-version"]').textContent()).toContain('Version 1 en vigueur');
    expect(await names()).toEqual([
      'Safety and crisis → Crisis cell',
      'Journalists → Crisis cell',
      'VIP customers first',
      'Accessibility requests',
      'Ideas → Innovation',
      'Praise → Marketing',
      'Delays → Customer care',
      'Everything else → Customer care',
    ]);
    expect(await card('Delays').locator('.rule-summary').textContent()).toContain('Sujets : Retard et Annulation');
    expect(await marie.locator('.versions li').count()).toBe(1);
  });

  it('moves a rule up, turns one off, and adds a rule with proper controls', async () => {
    await card('Delays').locator('[data-action="up"]').click();
    expect((await names())[5]).toBe('Delays → Customer care');
    // The focus follows the rule that moved.
    expect(
      await marie.evaluate(() => document.activeElement?.closest('.rule-card')?.getAttribute('data-rule-id')),
    ).toBe('delays');
    await card('Praise').locator('[data-control="enabled"]').uncheck();
    expect(await card('Praise').getAttribute('class')).toContain('is-disabled');
    await marie.locator('[data-testid="dirty"]').waitFor();

    await marie.click('[data-action="add-rule"]');
    const added = marie.locator('.rule-card[data-rule-id="rule-9"]');
    await added.locator('[data-testid="rule-editor"]').waitFor();
    // New rules go before the catch-all default.
    expect((await names())[7]).toBe('Nouvelle règle');
    await added.locator('[data-control="rule-name"]').fill('Bagages → Qualité');
    await added.locator('[data-testid="cond-topics"]').getByLabel('Bagages').check();
    await added.locator('[data-control="team"]').selectOption('quality');
    await added.locator('[data-control="priority"]').selectOption('high');
    const tags = added.locator('.tag-input', { hasText: 'Étiquettes' }).locator('input');
    await tags.fill('bagage');
    await tags.press('Enter');
    expect(await added.locator('.rule-summary').textContent()).toMatch(
      /Sujets : Bagages.*Quality.*Priorité : Haute.*Étiquettes : bagage/,
    );
  });

  it('tests the rules on recent messages: counts per rule, excerpts as plain text', async () => {
    await marie.click('[data-action="preview"]');
    const summary = marie.locator('[data-testid="preview-summary"]');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Testé sur 5 messages récents');
    const added = marie.locator('.rule-card[data-rule-id="rule-9"]');
    expect(Number(await added.locator('.rule-count').getAttribute('data-count'))).toBeGreaterThanOrEqual(3);
    await added.locator('.rule-samples-summary').click();
    const samples = await added.locator('.rule-samples li .sample-text').allTextContents();
    expect(samples).toContain('<b>Ma valise</b> est perdue, <img src=x onerror="window.__xss=1"> bagage introuvable');
    expect(await marie.locator('.rule-samples img, .rule-samples b').count()).toBe(0);
    expect(await marie.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    await screenshot(marie, 'routing-preview.png');
  });

  it('shows a refusal of the server next to the rule it is about', async () => {
    const added = marie.locator('.rule-card[data-rule-id="rule-9"]');
    await added.locator('.more-conditions-summary').click();
    await added.locator('[data-control="regex"]').fill('(a+)+$');
    await marie.locator('[data-control="note"]').fill('Bagages à la Qualité');
    await marie.click('[data-action="save"]');
    const error = added.locator('[data-testid="rule-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('nested quantifiers');
    expect(await added.getAttribute('class')).toContain('has-error');
    await screenshot(marie, 'routing-error.png');
    await added.locator('[data-control="regex"]').fill('');
    expect(await error.count()).toBe(0);
  });

  it('saves a new version with its note; new cases follow it and the case says why', async () => {
    await marie.click('[data-action="save"]');
    await marie.waitForFunction(() =>
      document.querySelector('[data-testid="policy-version"]')?.textContent?.includes('Version 2'),
    );
    expect(await marie.locator('[data-testid="dirty"]').count()).toBe(0);
    expect(await marie.locator('.versions li').count()).toBe(2);
    expect(await marie.locator('.versions li[data-version="2"]').textContent()).toContain('Bagages à la Qualité');
    expect(await marie.locator('.versions li[data-version="2"]').textContent()).toContain('Marie Lefèvre');

    const policy = (
      await s.request('GET', '/api/v1/routing/policy', { cookie: await s.login('marie@airsocial.example') })
    ).body;
    expect(policy.rules.find((r: { id: string }) => r.id === 'praise').enabled).toBe(false);
    expect(policy.rules.find((r: { id: string }) => r.id === 'rule-9')).toEqual({
      id: 'rule-9',
      name: 'Bagages → Qualité',
      enabled: true,
      when: { topics: ['baggage'] },
      actions: { team: 'quality', priority: 'high', tags: ['bagage'] },
      continue: false,
    });

    const m = await ingest('r-6', 'Toujours aucune nouvelle de mon bagage perdu, dossier GVA12345', '@nouveau');
    await marie.goto(`${s.base}/cases/${m.case_id}`);
    const why = marie.locator('[data-testid="routing-panel"]');
    await why.waitFor();
    expect(await why.locator('.matched-rules').textContent()).toContain('Bagages → Qualité');
    expect(await why.locator('[data-testid="routing-version"]').textContent()).toContain('Version 2');
    expect(await marie.locator('[data-control="team"]').inputValue()).toBe(
      String(
        (await s.request('GET', '/api/v1/teams', { cookie: await s.login('marie@airsocial.example') })).body.find(
          (t: { slug: string }) => t.slug === 'quality',
        ).id,
      ),
    );
    expect(await marie.locator('[data-testid="case-tags"] [data-tag="bagage"]').count()).toBe(1);
    await screenshot(marie, 'routing-why-here.png');
  });

  it('shows an old version and restores it as a new version', async () => {
    await marie.goto(`${s.base}/admin/routing`);
    await marie.locator('.versions li[data-version="1"] [data-action="view-version"]').click();
    const dialog = marie.locator('[data-testid="version-dialog"]');
    await dialog.locator('.version-rules li').first().waitFor();
    expect(await dialog.locator('.version-rules li').count()).toBe(8);
    await screenshot(marie, 'routing-version.png');
    await dialog.locator('[data-action="restore"]').click();
    await marie.waitForFunction(() =>
      document.querySelector('[data-testid="policy-version"]')?.textContent?.includes('Version 3'),
    );
    expect(await marie.locator('.versions li[data-version="3"]').textContent()).toContain('Version 1 rétablie');
    expect(await names()).not.toContain('Bagages → Qualité');
    expect(await card('Praise').getAttribute('class')).not.toContain('is-disabled');
  });

  it('is for leaders only: a manager has no link and is told so', async () => {
    const lea = await open('lea');
    expect(await lea.locator('[data-nav="admin_routing"]').count()).toBe(0);
    await lea.goto(`${s.base}/admin/routing`);
    await lea.getByText('Seuls les responsables').waitFor();
    expect(await lea.locator('.rule-card').count()).toBe(0);
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});

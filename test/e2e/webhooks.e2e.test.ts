import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/domain/webhooks/signature.ts';
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
 * Outgoing webhooks in Chromium: Marie adds one (its secret is shown once), a new case is delivered to the
 * receiving system signed with that secret, the deliveries show how it went, and she removes the webhook.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (webhooks)'))('web app in Chromium: outgoing webhooks', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let marie: Page;
  const errors: string[] = [];
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let receiver: http.Server;
  let url = '';

  beforeAll(async () => {
    await ensureWebBuild();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/passeur`;
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url, { PASSEUR_ALLOW_PRIVATE_WEBHOOKS: '1' });
    browser = await launchBrowser();
    ({ context, page: marie } = await newPersonPage(browser, errors));
    await signIn(marie, s.base, 'marie@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
    await new Promise<void>((r) => receiver?.close(() => r()));
  });

  let secret = '';

  it('adds a webhook from the administration; its secret is shown once', async () => {
    await marie.click('[data-nav="admin_webhooks"]');
    await marie.waitForURL('**/admin/webhooks');
    await marie.getByText('Aucun webhook pour l’instant.').waitFor();
    // Not an http(s) address: said next to the field.
    await marie.locator('[data-control="webhook-url"]').fill('ftp://files.example/hook');
    await marie.click('[data-action="add-webhook"]');
    await marie.getByText('Une adresse commençant par http:// ou https://.').waitFor();

    await marie.locator('[data-control="webhook-url"]').fill(url);
    await marie.getByLabel('case.assigned').uncheck();
    await marie.getByLabel('case.replied').uncheck();
    await marie.click('[data-action="add-webhook"]');
    const box = marie.locator('[data-testid="webhook-secret"]');
    await box.waitFor();
    secret = (await box.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const item = marie.locator('.webhook-list li').first();
    expect(await item.locator('.webhook-url').textContent()).toBe(url);
    expect(await item.locator('.chip-event').allTextContents()).toEqual(['case.created', 'case.resolved']);
    await screenshot(marie, 'webhooks.png');
    await box.getByRole('button', { name: 'Je l’ai enregistré' }).click();
    await box.waitFor({ state: 'detached' });
    // Never shown again.
    await marie.reload();
    await marie.locator('.webhook-list li').first().waitFor();
    expect(await marie.content()).not.toContain(secret);
  });

  it('delivers a new case, signed, and shows the delivery', async () => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        account: '@AirSocial',
        external_id: 'w-1',
        author: { handle: '@client' },
        text: 'Mon bagage est perdu',
      },
    });
    expect(r.status).toBe(202);
    for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((x) => setTimeout(x, 100));
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers['x-passeur-event']).toBe('case.created');
    expect(
      verifySignature(
        secret,
        { timestamp: String(headers['x-passeur-timestamp']), signature: String(headers['x-passeur-signature']) },
        body,
      ),
    ).toBe(true);
    expect(body).not.toContain('Mon bagage est perdu');

    const item = marie.locator('.webhook-list li').first();
    await item.locator('[data-action="deliveries"]').click();
    const table = item.locator('[data-testid="deliveries"]');
    for (let i = 0; i < 20; i++) {
      if ((await table.locator('tr[data-status="delivered"]').count()) > 0) break;
      await table.locator('[data-action="refresh-deliveries"]').click();
      await marie.waitForTimeout(250);
    }
    const row = table.locator('tr[data-status="delivered"]');
    expect(await row.textContent()).toContain('case.created');
    expect(await row.textContent()).toContain('HTTP 204');
    expect(await row.textContent()).toContain('Remis');
    await screenshot(marie, 'webhook-deliveries.png');
  });

  it('removes the webhook after a confirmation', async () => {
    await marie.locator('[data-action="delete-webhook"]').click();
    const dialog = marie.locator('[data-testid="delete-webhook-dialog"]');
    await dialog.getByText(url).waitFor();
    await dialog.getByRole('button', { name: 'Supprimer' }).click();
    await marie.getByText('Aucun webhook pour l’instant.').waitFor();
    const list = await s.request('GET', '/api/v1/webhooks', { cookie: await s.login('marie@airsocial.example') });
    expect(list.body).toEqual([]);
  });

  it('is for leaders only', async () => {
    const lea = await newPersonPage(browser, errors);
    await signIn(lea.page, s.base, 'lea@airsocial.example');
    expect(await lea.page.locator('[data-nav="admin_webhooks"]').count()).toBe(0);
    await lea.page.goto(`${s.base}/admin/webhooks`);
    await lea.page.getByText('Seuls les responsables').waitFor();
    await lea.context.close();
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});

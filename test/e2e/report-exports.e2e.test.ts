import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
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
import { readXlsx } from '../support/files.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Report exports and schedules in Chromium: Marie downloads the cases as XLSX, schedules a weekly report to
 * Anna from the Reports page, and sends it now: Anna's email carries the PDF.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (report exports)'))('web app in Chromium: report exports', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let smtp: SMTPServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const mails: ParsedMail[] = [];
  let marie: Page;

  beforeAll(async () => {
    if (!process.env.PASSEUR_WEB_DIR) await ensureWebBuild();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void simpleParser(Buffer.concat(chunks)).then((m) => {
            mails.push(m);
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url, {
      PASSEUR_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    });
    for (const [i, text] of ['Mon vol AS1234 a 3 h de retard !', 'Ma valise n’est pas arrivée.'].entries()) {
      const r = await s.request('POST', '/api/v1/messages', {
        token: s.token,
        body: { channel: 'sandbox', account: '@AirSocial', external_id: `x-${i}`, author: { handle: `@c${i}` }, text },
      });
      expect(r.status).toBeLessThan(300);
    }
    browser = await launchBrowser();
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    marie = p.page;
    await signIn(marie, s.base, 'marie@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('downloads the cases as XLSX', async () => {
    await marie.goto(`${s.base}/reports`);
    await marie.locator('[data-testid="reports-ready"]').waitFor();
    const [download] = await Promise.all([marie.waitForEvent('download'), marie.click('[data-export="cases-xlsx"]')]);
    expect(download.suggestedFilename()).toMatch(/^passeur-cases-\d{4}-\d\d-\d\d\.xlsx$/);
    const sheets = readXlsx(fs.readFileSync(await download.path()));
    expect([...sheets.keys()]).toEqual(['Cases', 'Summary']);
    expect(sheets.get('Cases')![0]!.slice(0, 3)).toEqual(['case_id', 'created_at', 'brand']);
    expect(sheets.get('Cases')).toHaveLength(1 + 2);
    expect(errors).toEqual([]);
  });

  it('schedules a weekly report from the Reports page and sends it now', async () => {
    const panel = marie.locator('[data-testid="report-schedules"]');
    await panel.scrollIntoViewIfNeeded();
    await panel.locator('details.schedule-new summary').click();
    await panel.locator('input[name="name"]').fill('Customer care weekly');
    await panel.locator('select[name="weekday"]').selectOption('1');
    await panel.locator('input[name="time"]').fill('08:30');
    await panel.locator('input[name="timezone"]').fill('Europe/Zurich');
    await panel.locator('select[name="people"]').selectOption({ label: 'Anna Schmidt' });
    await panel.locator('button[type="submit"]').click();
    const item = panel.locator('li[data-schedule="Customer care weekly"]');
    await item.waitFor();
    expect(await item.textContent()).toContain('08:30');
    await screenshot(marie, 'reports-schedules.png');
    await item.locator('[data-action="send-now"]').click();
    await panel.locator('[role="status"]').waitFor();
    const end = Date.now() + 10_000;
    while (mails.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/^Customer care weekly: /);
    expect(mails[0]!.attachments[0]!.content.subarray(0, 4).toString()).toBe('%PDF');
    expect(errors).toEqual([]);
  });
});

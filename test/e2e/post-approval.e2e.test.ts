import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueDuePosts } from '../../src/domain/publishing/service.ts';
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
 * Post approval in Chromium: Léa writes a post promising a refund with an amount for the summer sale; it waits for
 * approval; Anna, an approver, finds it in the Approvals page labelled as a post (community, identity, scheduled
 * time, campaign), edits and approves it; it goes out once from @AirSocial at its time, and Léa is told.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (post approval)'))('web app in Chromium: post approval', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

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
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('lets an approver edit and approve a post from the Approvals page; it goes out once at its time', async () => {
    const lea = await s.login('lea@airsocial.example');
    const account = await db.pool.query<{ id: number; community_id: number }>(
      `select id, community_id from channel_accounts where handle = '@AirSocial' and kind = 'account'`,
    );
    const campaign = await db.pool.query<{ id: number }>(
      `select id from campaigns where name = 'Summer sale campaign'`,
    );
    const at = new Date(Date.now() + 2 * 3_600_000);
    const text = 'Soldes d’été : un remboursement de 50 € sur chaque vol annulé par nos soins, promis';
    const created = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: lea,
      body: {
        community_id: account.rows[0]!.community_id,
        account_id: account.rows[0]!.id,
        text,
        scheduled_at: at.toISOString(),
        campaign_id: campaign.rows[0]!.id,
      },
    });
    const postId = created.body.id as number;
    const submitted = await s.request('POST', `/api/v1/publishing/posts/${postId}/submit`, { cookie: lea, body: {} });
    expect(submitted.body.status).toBe('pending_approval');

    const anna = await open('anna');
    await anna.click('[data-nav="approvals"]');
    await anna.waitForURL('**/approvals');
    const card = anna.locator(`[data-post-approval-id="${postId}"]`);
    await card.waitFor();
    // Labelled as a post (Anna works in German), with its community, identity, time and campaign.
    expect(await card.locator('[data-testid="approval-kind"]').textContent()).toBe('Beitrag');
    expect(await card.textContent()).toContain('AirSocial');
    expect(await card.locator('[data-testid="approval-identity"]').textContent()).toContain('@AirSocial');
    const schedule = await card.locator('[data-testid="approval-schedule"]').textContent();
    expect(schedule).toContain('Geplant für');
    expect(schedule).toContain('Summer sale campaign');
    expect(await card.textContent()).toContain('Léa');

    const edited = 'Soldes d’été : 50 € remboursés sur chaque vol que nous annulons, détails sur notre site';
    await card.locator('[data-control="approval-text"]').fill(edited);
    await card.locator('[data-action="approve"]', { hasText: 'Änderungen speichern und freigeben' }).waitFor();
    await screenshot(anna, 'post-approval-queue.png');
    await card.locator('[data-action="approve"]').click();
    await anna.locator('.toast', { hasText: 'Freigegeben' }).waitFor();
    await card.waitFor({ state: 'detached' });

    const after = await db.pool.query<{ status: string; text: string; original_text: string }>(
      'select status, text, original_text from posts where id = $1',
      [postId],
    );
    expect(after.rows[0]).toEqual({ status: 'scheduled', text: edited, original_text: text });
    // Léa is told.
    const told = await db.pool.query<{ email: string; data: { decision: string } }>(
      `select p.email, n.data from notifications n join people p on p.id = n.person_id
       where n.kind = 'post_approval_decided' and (n.data->>'post_id')::int = $1`,
      [postId],
    );
    expect(told.rows).toEqual([
      { email: 'lea@airsocial.example', data: expect.objectContaining({ decision: 'approved' }) },
    ]);

    // At its time it goes out once, as edited, from @AirSocial.
    expect(await enqueueDuePosts(db.pool, new Date(at.getTime() + 1000))).toContain(postId);
    expect(await enqueueDuePosts(db.pool, new Date(at.getTime() + 2000))).not.toContain(postId);
    let sent: { account_handle: string }[] = [];
    for (let i = 0; i < 100 && sent.length === 0; i++) {
      sent = (await db.pool.query('select account_handle from sandbox_posts where text = $1', [edited])).rows;
      if (sent.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent).toEqual([{ account_handle: '@AirSocial' }]);
    expect(errors).toEqual([]);
  }, 120_000);
});

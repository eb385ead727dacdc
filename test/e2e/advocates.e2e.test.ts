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
 * Advocates in Chromium: Léa opens Advocates from the navigation, sees AirSocial · FR's ranking with its signals
 * and scores, thanks the first advocate (recorded with her name) and highlights another; the highlight and the
 * thanks show in the ranking and in the customer panel of the advocate's case.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (advocates)'))('web app in Chromium: advocates', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  const ids: Record<string, number> = {};
  let aliceCase = 0;
  let n = 0;

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url);
    const pool = db.pool;
    const orgId = s.ctx.directory().orgId;
    const fr = (await pool.query<{ id: number }>(`select id from communities where slug = 'airsocial-fr'`)).rows[0]!.id;
    const account = (
      await pool.query<{ id: number }>(
        `select id from channel_accounts where community_id = $1 and network = 'sandbox' and kind = 'account' limit 1`,
        [fr],
      )
    ).rows[0]!.id;
    for (const name of ['Alice Martin', 'Bruno Keller', 'Carla Rossi']) {
      const r = await pool.query<{ id: number }>(
        'insert into contacts (org_id, display_name) values ($1, $2) returning id',
        [orgId, name],
      );
      ids[name] = Number(r.rows[0]!.id);
      await pool.query(
        `insert into contact_identities (org_id, contact_id, channel, handle) values ($1, $2, 'sandbox', $3)`,
        [orgId, ids[name], `@${name.split(' ')[0]!.toLowerCase()}`],
      );
    }
    const thread = async (owner: string, msgs: [string, number, string, string][]) => {
      const r = await pool.query<{ id: number }>(
        `insert into cases (org_id, community_id, contact_id, status, channel, account_id, subject, language,
           message_count, created_at, updated_at, last_inbound_at, resolved_at)
         values ($1, $2, $3, 'resolved', 'sandbox', $4, $5, 'fr', $6, now() - interval '20 days', now(), now(), now())
         returning id`,
        [orgId, fr, ids[owner], account, msgs[0]![0], msgs.length],
      );
      const caseId = Number(r.rows[0]!.id);
      for (const [text, days, sentiment, by] of msgs) {
        n++;
        await pool.query(
          `insert into messages (org_id, channel, external_id, case_id, account_id, contact_id, direction, kind,
             author_handle, text, created_at, sentiment, intent)
           values ($1, 'sandbox', $2, $3, $4, $5, 'in', 'reply', '@x', $6,
             now() - make_interval(days => $7), $8, $9)`,
          [
            orgId,
            `e2e-adv-${n}`,
            caseId,
            account,
            ids[by],
            text,
            days,
            sentiment,
            sentiment === 'positive' ? 'praise' : 'other',
          ],
        );
      }
      return caseId;
    };
    aliceCase = await thread('Alice Martin', [
      ['Équipage adorable sur le vol Nice–Paris, merci !', 1, 'positive', 'Alice Martin'],
      ['Toujours ravie de voler avec vous', 3, 'positive', 'Alice Martin'],
    ]);
    await thread('Bruno Keller', [
      ['Comment changer mon vol de demain ?', 2, 'neutral', 'Bruno Keller'],
      ['Dans l’app, onglet Réservations : ça a marché pour moi', 2, 'neutral', 'Alice Martin'],
    ]);
    await thread('Carla Rossi', [
      ['Bravo pour le nouveau salon à Genève', 4, 'positive', 'Carla Rossi'],
      ['Le service à bord était parfait', 6, 'positive', 'Carla Rossi'],
    ]);
    browser = await launchBrowser();
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    lea = p.page;
    await signIn(lea, s.base, 'lea@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('Léa sees the ranking, thanks Alice and highlights Carla', async () => {
    await lea.locator('[data-nav="advocates"]').click();
    await lea.waitForURL(/\/advocates$/);
    const alice = lea.locator(`tr[data-contact="${ids['Alice Martin']}"]`);
    await alice.waitFor();
    // Alice: 3 × 1 helping + 2 × 2 positive + 3 days = 10; Carla: 2 × 2 positive + 2 days = 6. Bruno is not there.
    expect(await alice.locator('[data-testid="advocate-score"]').textContent()).toBe('10');
    const carla = lea.locator(`tr[data-contact="${ids['Carla Rossi']}"]`);
    expect(await carla.locator('[data-testid="advocate-score"]').textContent()).toBe('6');
    expect(await lea.locator(`tr[data-contact="${ids['Bruno Keller']}"]`).count()).toBe(0);
    const rows = lea.locator('.advocates-table tbody tr');
    expect(await rows.first().getAttribute('data-contact')).toBe(String(ids['Alice Martin']));

    await alice.getByRole('button', { name: 'Remercier' }).click();
    const dialog = lea.locator('[data-testid="thank-dialog"]');
    await dialog.locator('input[name="thank-note"]').fill('Aide Bruno avant nous');
    await dialog.getByRole('button', { name: 'Remercier' }).click();
    await alice.locator('[data-testid="advocate-thanked"]').getByText(/Léa/).waitFor();

    await carla.getByRole('button', { name: 'Mettre en avant' }).click();
    await carla.locator('.badge-advocate').waitFor();
    await screenshot(lea, 'advocates.png');

    const recorded = await db.pool.query<{ kind: string }>('select kind from advocate_actions order by id');
    expect(recorded.rows.map((r) => r.kind)).toEqual(['thanked', 'highlighted']);
  });

  it('shows the thanks in the customer panel of Alice’s case', async () => {
    await lea.goto(`${s.base}/cases/${aliceCase}`);
    const history = lea.locator('[data-testid="advocate-history"]');
    await history.getByText('Aide Bruno avant nous').waitFor();
    await screenshot(lea, 'advocates-contact.png');
  });

  it('in a crisis, Léa (task force) asks Alice to share the official sources', async () => {
    const marie = await s.login('marie@airsocial.example');
    const playbooks = await s.request('GET', '/api/v1/crisis/playbooks', { cookie: marie });
    const ash = playbooks.body.find((p: { slug: string }) => p.slug === 'volcanic-ash');
    const fr = (await db.pool.query<{ id: number }>(`select id from communities where slug = 'airsocial-fr'`)).rows[0]!
      .id;
    const declared = await s.request('POST', '/api/v1/crisis/crises', {
      cookie: marie,
      body: { playbook_id: ash.id, community_ids: [fr] },
    });
    expect(declared.status).toBe(201);
    await lea.goto(`${s.base}/crisis/${declared.body.id}`);
    const panel = lea.locator('[data-testid="crisis-advocates"]');
    await panel.getByText('Alice Martin').waitFor();
    await panel.locator('[data-action="prepare-ask"]').click();
    const prepared = panel.locator('[data-testid="ask-prepared"]');
    await prepared.getByText('www.eurocontrol.int', { exact: false }).first().waitFor();
    expect(await prepared.locator('textarea').inputValue()).toContain('https://airsocial.example/status');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(lea, 'advocates-crisis.png');
    // The playbook names a source outside the allowed links: the warning must be acknowledged first.
    await prepared.getByRole('checkbox').check();
    await prepared.locator('[data-action="send-ask"]').click();
    await panel.locator('[data-testid="ask-sent"]').waitFor();
    const asked = await db.pool.query<{ outcome: string }>(
      `select outcome from advocate_actions where kind = 'asked_to_share' order by id`,
    );
    // Alice and Carla (the top five preselected) each get the message in their own case.
    expect(asked.rows.map((r) => r.outcome)).toEqual(['queued', 'queued']);
    expect(errors).toEqual([]);
  });
});

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
 * J4, step 3 in Chromium: at the end of her shift Léa generates the handover brief of AirSocial · FR, finds her
 * promise to a customer in it, writes a note for the next shift and publishes it; Sophie, the next shift, sees
 * the brief waiting for her, reads it and acknowledges it.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (handover)'))('web app in Chromium: handover', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  let caseId = 0;
  let briefId = 0;
  const promise = 'Je reviens vers vous demain avec la réponse de l’escale de Genève.';
  const note = 'Escale de Genève saturée ce soir : rappeler Mme Roux avant 9 h.';

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
    const pool = s.ctx.pool;
    const ids = await pool.query<{ id: number; email: string }>('select id, email from people');
    const id = (who: string) => ids.rows.find((p) => p.email === `${who}@airsocial.example`)!.id;
    // Whatever the time of the run, the next shift of AirSocial · FR is Sophie (every day 07:00–21:00).
    await pool.query(`update people set schedule = '[]' where id = $1`, [id('lea')]);
    await pool.query(`update people set schedule = $2 where id = $1`, [
      id('sophie'),
      JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '21:00' }]),
    ]);
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        account: '@AirSocial',
        external_id: 'handover-e2e-1',
        author: { handle: '@jeanne_r', name: 'Jeanne Roux' },
        text: '@AirSocial mon fauteuil roulant est resté à Genève, que faire ?',
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    caseId = r.body.case_id;
    const reply = await s.request('POST', `/api/v1/cases/${caseId}/replies`, {
      cookie: await s.login('lea@airsocial.example'),
      body: { text: `Bonjour Jeanne, nous sommes désolés. ${promise}`, acknowledge_warnings: true },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
    lea = await page();
    await signIn(lea, s.base, 'lea@airsocial.example');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  it('Léa generates the brief of her community: the case and her promise are in it', async () => {
    await lea.locator('[data-nav="handover"]').click();
    await lea.getByText('Aucune passation pour l’instant.').waitFor();
    await lea.getByLabel('Communauté').selectOption({ label: 'AirSocial · FR' });
    await lea.getByRole('button', { name: 'Générer maintenant', exact: true }).click();
    const brief = lea.locator('[data-testid="handover-brief"]');
    await brief.waitFor();
    briefId = Number(/\/handover\/(\d+)$/.exec(lea.url())?.[1]);
    expect(briefId).toBeGreaterThan(0);
    expect(await brief.getAttribute('data-status')).toBe('draft');
    const cases = brief.locator('[data-section="cases"]');
    await cases.getByRole('link', { name: `Dossier n° ${caseId}` }).waitFor();
    expect(await cases.textContent()).toContain('mon fauteuil roulant est resté à Genève');
    const promises = brief.locator('[data-section="promises"]');
    expect(await promises.locator('q').first().textContent()).toBe(promise);
    expect(await promises.textContent()).toContain('Échéance : demain');
    expect(await brief.textContent()).toContain('Équipe suivante : Sophie Laurent');
    await screenshot(lea, 'handover-1-draft.png');
  });

  it('Léa writes a note for the next shift, comments the case and publishes', async () => {
    const brief = lea.locator('[data-testid="handover-brief"]');
    await brief.getByRole('textbox', { name: 'Note pour l’équipe suivante' }).fill(note);
    await brief
      .locator(`[data-item="case:${caseId}"]`)
      .getByLabel('Commentaire pour l’équipe suivante')
      .fill('Fauteuil localisé, livraison prévue demain matin.');
    await brief.getByRole('button', { name: 'Publier pour l’équipe suivante' }).click();
    await lea.locator('[data-testid="handover-status"]', { hasText: 'À confirmer' }).waitFor();
    expect(await lea.locator('[data-testid="handover-note"]').textContent()).toBe(note);
    // Léa does not acknowledge her own brief.
    expect(await brief.getByRole('button', { name: 'Confirmer la lecture' }).count()).toBe(0);
    await screenshot(lea, 'handover-2-published.png');
  });

  it('Sophie, the next shift, sees the brief waiting for her, reads it and acknowledges it', async () => {
    const sophie = await page();
    await signIn(sophie, s.base, 'sophie@airsocial.example');
    const nav = sophie.locator('[data-nav="handover"]');
    await nav.locator('[data-testid="handover-badge"][data-count="1"]').waitFor();
    await nav.click();
    const row = sophie.locator(`[data-brief-id="${briefId}"]`);
    await row.getByText('attend votre confirmation').waitFor();
    await row.getByRole('link').click();
    const brief = sophie.locator('[data-testid="handover-brief"]');
    await brief.waitFor();
    expect(await sophie.locator('[data-testid="handover-note"]').textContent()).toBe(note);
    expect(await brief.locator(`[data-item="case:${caseId}"]`).textContent()).toContain(
      'Fauteuil localisé, livraison prévue demain matin.',
    );
    // Customer text is text: the brief has no editing controls for her once published.
    expect(await brief.getByRole('textbox', { name: 'Note pour l’équipe suivante' }).count()).toBe(0);
    await brief.getByRole('button', { name: 'Confirmer la lecture' }).click();
    await sophie.locator('[data-testid="handover-status"]', { hasText: 'Confirmée' }).waitFor();
    expect(await sophie.locator('[data-testid="handover-acks"]').textContent()).toContain('Sophie Laurent');
    await nav.locator('[data-testid="handover-badge"]').waitFor({ state: 'detached' });
    await screenshot(sophie, 'handover-3-acknowledged.png');
    // The case link leads to the case.
    await brief
      .locator('[data-section="cases"]')
      .getByRole('link', { name: `Dossier n° ${caseId}` })
      .click();
    await sophie.waitForURL(`**/cases/${caseId}`);
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});

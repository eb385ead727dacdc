import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Connector } from '../../src/channels/connector.ts';
import { createToken } from '../../src/domain/access/service.ts';
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

/** A network with short posts that threads long replies and has no private messages. */
const shortnet: Connector<Record<string, never>, Record<string, never>> = {
  manifest: {
    network: 'shortnet',
    displayName: 'Short network',
    maxLength: 120,
    threads: true,
    supportsPrivate: false,
    inbound: ['push'],
    kinds: ['account'],
    canReply: true,
  },
  configSchema: z.strictObject({}),
  credentialsSchema: z.strictObject({}),
  async send(_db, post) {
    return { externalId: `sn-${post.idempotencyKey}` };
  },
};

/**
 * The case page in Chromium, as Léa works it: the composer (canned reply with its variables filled, the
 * preview as it will appear, the account's own length limit and private messages, replies that cannot go
 * out), why the case is here, tags and clocks, merge / split / move, the customer's profile, and records
 * linked in other systems.
 */
describe.skipIf(!browserSuiteEnabled('web app e2e (case page)'))('web app in Chromium: working a case', () => {
  let db: TestDatabase & { drop(): Promise<void> };
  let s: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let lea: Page;
  let marieCookie = '';
  let shortAccountId = 0;

  const ingest = async (body: Record<string, unknown>) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', account: '@AirSocial', ...body },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    return r.body as { message_id: number; case_id: number };
  };
  const caseOf = async (id: number) => (await s.request('GET', `/api/v1/cases/${id}`, { token: s.token })).body;
  const open = async (who: string) => {
    const p = await newPersonPage(browser, errors);
    contexts.push(p.context);
    await signIn(p.page, s.base, `${who}@airsocial.example`);
    return p.page;
  };
  const goto = async (id: number) => {
    await lea.goto(`${s.base}/cases/${id}`);
    await lea.locator(`.case-page[data-case-id="${id}"] .case-aside`).waitFor();
  };

  beforeAll(async () => {
    await ensureWebBuild();
    db = await createTestDatabase('embedded');
    s = await startTestServer(db.url, {}, { connectors: [shortnet] });
    browser = await launchBrowser();
    marieCookie = await s.login('marie@airsocial.example');
    const fr = [...s.ctx.directory().communities.values()].find((c) => c.slug === 'airsocial-fr')!;
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marieCookie,
      body: { community_id: fr.id, network: 'shortnet', handle: '@AirSocial_short', display_name: 'AirSocial short' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    shortAccountId = r.body.id;
    lea = await open('lea');
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await s?.close();
    await db?.drop();
  });

  let jeanne = 0;
  const jeanneText =
    '@AirSocial mon vol AS1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?';

  it('says why the case is here: every matched rule, the policy version, the assignment', async () => {
    jeanne = (
      await ingest({ external_id: 'j-1', author: { handle: '@jeanne_d', name: 'Jeanne Dupont' }, text: jeanneText })
    ).case_id;
    await goto(jeanne);
    const why = lea.locator('[data-testid="routing-panel"]');
    expect(await why.locator('.matched-rules li[data-rule-id="delays"]').textContent()).toContain(
      'Règle : Delays → Customer care',
    );
    expect(await why.locator('.matched-rules').textContent()).toContain('topic delay');
    expect(await why.locator('[data-testid="routing-version"]').textContent()).toBe('Version 1 des règles de routage');
    expect(await why.locator('[data-testid="routing-assignment"]').textContent()).toContain('Attribution :');
    // Only leaders are offered the way to the rules.
    expect(await why.getByRole('link', { name: 'Règles de routage' }).count()).toBe(0);
    await lea.locator('.case-header [data-clock="resolution"]').waitFor();
  });

  it('offers only assignable people, and edits the tags of the case', async () => {
    const options = await lea.locator('[data-control="assignee"] option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining([expect.stringContaining('Léa Martin'), expect.stringContaining('Sophie')]),
    );
    expect(options.join()).not.toContain('Paul Moreau');
    await lea.getByRole('button', { name: '+ Étiquette' }).click();
    await lea.getByRole('textbox', { name: 'Nouvelle étiquette' }).fill('correspondance');
    await lea.keyboard.press('Enter');
    await lea.locator('[data-testid="case-tags"] [data-tag="correspondance"]').waitFor();
    expect((await caseOf(jeanne)).tags).toEqual(['correspondance']);
  });

  it('fills a canned reply for this case, shows it as it will appear, and sends it (J1)', async () => {
    await lea.click('[data-action="canned"]');
    const picker = lea.locator('[data-testid="canned-picker"]');
    await picker.locator('.canned-item').first().waitFor();
    // The case's language first: French replies only.
    expect(await picker.locator('.canned-item .chip-lang').allTextContents()).toEqual(expect.arrayContaining(['FR']));
    expect(new Set(await picker.locator('.canned-item .chip-lang').allTextContents())).toEqual(new Set(['FR']));
    await picker.getByRole('searchbox').fill('retard + correspondance');
    expect(await picker.locator('.canned-item .canned-title strong').first().textContent()).toBe(
      'retard + correspondance',
    );
    await picker.getByRole('searchbox').press('Enter');
    await picker.waitFor({ state: 'hidden' });
    // The reply is filled in by the server for this case, then lands in the composer with the focus.
    await lea.waitForFunction(
      () =>
        document.activeElement?.id === 'composer-text' && (document.activeElement as HTMLTextAreaElement).value !== '',
    );
    const draft = await lea.locator('#composer-text').inputValue();
    expect(draft).toContain('Bonjour Jeanne Dupont, nous sommes désolés pour ce retard.');
    expect(draft).toContain(`Dossier ${jeanne} – Léa Martin`);
    expect(draft).not.toContain('{{');
    expect(await lea.locator('[data-testid="posting-as"]').textContent()).toBe(
      'Publication en tant que @AirSocial (AirSocial · FR, réponse publique)',
    );
    await lea.locator('[data-control="preview"]').check();
    const preview = lea.locator('[data-testid="reply-preview"]');
    await preview.locator('.preview-post').waitFor();
    expect(await preview.locator('.preview-post .msg-text').textContent()).toBe(draft);
    expect(await preview.textContent()).toMatch(/sur 5\s000/);
    await screenshot(lea, 'case-canned-preview.png');
    await lea.click('[data-action="send"]');
    const reply = lea.locator('.thread .msg-brand').filter({ hasText: 'nous sommes désolés pour ce retard' });
    await reply.locator('[data-delivery="sent"]').waitFor({ timeout: 10_000 });
    await lea.locator('.case-header [data-sla="replied"]').waitFor();
  });

  it('starts the next-response clock when the customer writes again', async () => {
    const c = await caseOf(jeanne);
    const out = c.messages.find((m: { direction: string }) => m.direction === 'out');
    await ingest({
      external_id: 'j-2',
      author: { handle: '@jeanne_d', name: 'Jeanne Dupont' },
      text: 'merci, et pour mon bagage ?',
      in_reply_to: out.external_id,
    });
    const clock = lea.locator('.case-header [data-clock="next_response"]');
    await clock.waitFor({ timeout: 5_000 });
    expect(await clock.textContent()).toMatch(/^Prochaine réponse : encore /);
  });

  it('sends a private message where the network has them, and marks it in the thread', async () => {
    await lea.locator('[data-control="visibility"]').selectOption('private');
    expect(await lea.locator('[data-testid="posting-as"]').textContent()).toContain('message privé');
    await lea.fill('#composer-text', 'Voici le lien pour changer votre correspondance.');
    await lea.click('[data-action="send"]');
    const msg = lea.locator('.thread .msg-brand').filter({ hasText: 'Voici le lien' });
    await msg.waitFor();
    expect(await msg.getAttribute('class')).toContain('msg-private');
    expect(await msg.locator('[data-visibility="private"]').textContent()).toBe('Message privé');
    const c = await caseOf(jeanne);
    expect(c.messages.find((m: { text: string }) => m.text.startsWith('Voici')).visibility).toBe('private');
  });

  it('uses the account’s own limit: a long reply becomes a thread on a short network', async () => {
    const r = await ingest({
      channel: 'shortnet',
      account: '@AirSocial_short',
      external_id: 's-1',
      author: { handle: '@court' },
      text: 'Mon vol est annulé, que faire ?',
    });
    await goto(r.case_id);
    expect(await lea.locator('#composer-counter').textContent()).toContain('0 / 120');
    // No private messages on this network: no choice offered.
    expect(await lea.locator('[data-control="visibility"]').count()).toBe(0);
    const long = `Bonjour {{contact.name}}, ${'nous regardons votre dossier et revenons vers vous très vite avec une solution. '.repeat(3)}`;
    await lea.fill('#composer-text', long);
    const preview = lea.locator('[data-testid="reply-preview"]');
    await preview.locator('.preview-post').nth(1).waitFor();
    expect(await preview.textContent()).toContain('part en fil de');
    const parts = await preview.locator('.preview-post .msg-text').allTextContents();
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]).toMatch(/^Bonjour @court/);
    expect(await lea.locator('[data-action="send"]').isEnabled()).toBe(true);
    await screenshot(lea, 'case-thread-preview.png');
    await lea.fill('#composer-text', 'Bonjour {{contact.nom}}');
    await preview.getByText('Variables inconnues').waitFor();
    await lea.click('[data-action="send"]');
    expect(await lea.locator('.composer .form-error').textContent()).toContain('{{contact.nom}}');
  });

  it('explains why a reply cannot go out: a paused account, no account at all', async () => {
    const paused = await s.request('PATCH', `/api/v1/accounts/${shortAccountId}`, {
      cookie: marieCookie,
      body: { paused: true },
    });
    expect(paused.status).toBe(200);
    await lea.reload();
    const blocked = lea.locator('[data-testid="reply-blocked"]');
    await blocked.waitFor();
    expect(await blocked.getAttribute('data-reason')).toBe('account_paused');
    expect(await blocked.textContent()).toContain('@AirSocial_short');
    expect(await lea.locator('[data-action="add-note"]').count()).toBe(1);
    expect(await lea.locator('[data-action="send"]').count()).toBe(0);
    await screenshot(lea, 'case-paused.png');

    const blog = await ingest({
      channel: 'blog',
      account: undefined,
      external_id: 'b-1',
      author: { handle: 'voyages-blog.example' },
      text: 'AirSocial perd encore des bagages à Genève',
    });
    await goto(blog.case_id);
    expect(await lea.locator('[data-testid="reply-blocked"]').getAttribute('data-reason')).toBe('no_account');
  });

  let second = 0;

  it('splits a message off into a new case, then merges it back', async () => {
    await goto(jeanne);
    await lea.click('[data-testid="case-more"]');
    await lea.getByRole('menuitem', { name: 'Séparer des messages…' }).click();
    const split = lea.locator('[data-testid="split-dialog"]');
    await split.getByText('merci, et pour mon bagage ?').click();
    await screenshot(lea, 'case-split.png');
    await split.getByRole('button', { name: 'Séparer (1)' }).click();
    await lea.waitForURL((u) => u.pathname !== `/cases/${jeanne}`);
    second = Number(new URL(lea.url()).pathname.split('/').pop());
    expect(second).toBeGreaterThan(jeanne);
    await lea.locator(`.case-page[data-case-id="${second}"] .thread`).waitFor();
    expect(await lea.locator('.thread .msg-text').allTextContents()).toEqual(['merci, et pour mon bagage ?']);

    await lea.click('[data-testid="case-more"]');
    await lea.getByRole('menuitem', { name: 'Fusionner dans un autre cas…' }).click();
    const merge = lea.locator('[data-testid="merge-dialog"]');
    await merge.locator(`input[name="merge-target"][value="${jeanne}"]`).check();
    await merge.getByRole('button', { name: 'Fusionner' }).click();
    await lea.waitForURL(`**/cases/${jeanne}`);
    await lea.locator('.thread .msg-text', { hasText: 'merci, et pour mon bagage ?' }).waitFor();
    await goto(second);
    expect(await lea.locator('[data-testid="merged-banner"]').textContent()).toContain(`cas n° ${jeanne}`);
    expect(await lea.locator('[data-testid="case-more"]').count()).toBe(0);
    expect(await lea.locator('#composer-text').count()).toBe(0);
    await screenshot(lea, 'case-merged.png');
  });

  it('moves the case to another community: it then answers from that community’s account', async () => {
    const r = await ingest({
      external_id: 'm-1',
      author: { handle: '@express' },
      text: 'Mon vol Express ASX12 est-il à l’heure ?',
    });
    await goto(r.case_id);
    await lea.click('[data-testid="case-more"]');
    await lea.getByRole('menuitem', { name: 'Déplacer vers une autre communauté…' }).click();
    const move = lea.locator('[data-testid="move-dialog"]');
    await move.locator('[data-testid="move-target"]').selectOption({ label: 'AirSocial Express · FR' });
    await move.getByRole('button', { name: 'Déplacer' }).click();
    await lea.waitForFunction(() =>
      document.querySelector('[data-testid="posting-as"]')?.textContent?.includes('@AirSocialExpress_fr'),
    );
    expect(await lea.locator('.case-place').textContent()).toContain('AirSocial Express · FR');
  });

  it('edits the customer’s profile: VIP, notes, tone over time, merging a duplicate', async () => {
    const dup = await ingest({
      external_id: 'dup-1',
      author: { handle: '@jeanne_bis', name: 'Jeanne D.' },
      text: 'Re-bonjour, toujours ce retard…',
    });
    await goto(jeanne);
    const panel = lea.locator('[data-testid="contact-panel"]');
    await panel.locator('[data-control="vip"]').check();
    await panel.locator('.badge-vip').waitFor();
    await panel.locator('[data-action="edit-notes"]').click();
    await panel.locator('[data-control="contact-notes"]').fill('Voyage souvent GVA–CDG. <b>pas de markup</b>');
    await panel.getByRole('button', { name: 'Enregistrer' }).click();
    await panel.locator('.contact-notes', { hasText: '<b>pas de markup</b>' }).waitFor();
    expect(await panel.locator('.contact-notes b').count()).toBe(0);
    await panel.locator('[data-testid="sentiment-weeks"] .sentiment-bars li').first().waitFor();

    await panel.locator('[data-action="merge-contact"]').click();
    const dialog = lea.locator('[data-testid="merge-contact-dialog"]');
    await dialog.locator('[data-testid="merge-contact-case"]').fill(String(dup.case_id));
    await dialog.getByRole('button', { name: 'Chercher' }).click();
    expect(await dialog.locator('[data-testid="merge-contact-other"]').textContent()).toBe(
      'Jeanne Dupont sera fusionné dans Jeanne D. (@jeanne_bis).',
    );
    await dialog.getByRole('button', { name: 'Fusionner dans Jeanne D.' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await lea.waitForFunction(
      () => document.querySelectorAll('[data-testid="contact-panel"] .identities li').length === 2,
    );
    expect(await panel.locator('.identities').textContent()).toContain('@jeanne_d');
    expect(await panel.locator('.identities').textContent()).toContain('@jeanne_bis');
    await screenshot(lea, 'case-contact.png');
  });

  it('links a back-office record; its status, reported by that system, shows on the case live', async () => {
    const panel = lea.locator('[data-testid="links-panel"]');
    await panel.locator('[data-action="add-link"]').click();
    await panel.getByLabel('Outil').fill('crm');
    await panel.getByLabel('Son numéro là-bas').fill('CRM-42');
    await panel.getByLabel('Adresse (facultatif)').fill('https://crm.example/tickets/42');
    await panel.getByRole('button', { name: 'Lier', exact: true }).click();
    const link = panel.locator('.links li', { hasText: 'CRM-42' });
    await link.waitFor();
    expect(await link.locator('a').getAttribute('href')).toBe('https://crm.example/tickets/42');
    expect(await link.textContent()).toContain('pas encore de statut');

    const { token } = await createToken(s.ctx.pool, s.ctx.directory().orgId, 'crm', ['links:write']);
    const r = await s.request('POST', '/api/v1/links/status', {
      token,
      body: { system: 'crm', external_id: 'CRM-42', status: 'Remboursement validé' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await link.locator('.pill-link', { hasText: 'Remboursement validé' }).waitFor({ timeout: 5_000 });
    await screenshot(lea, 'case-links.png');
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(errors).toEqual([]);
  });
});

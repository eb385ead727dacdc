import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dovecotSuiteEnabled } from '../../../test/fixtures/email/dovecot.ts';
import {
  customerMail,
  IMAP_PASSWORD,
  MailboxHarness,
  SALES,
  SMTP_LOGIN,
  SUPPORT,
  until,
} from '../../../test/fixtures/email/mailbox-harness.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { accountContexts } from '../../domain/accounts/store.ts';
import { emailConnector } from './connector.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../test/fixtures/email');
const suite = dovecotSuiteEnabled('email connector (Dovecot)')
  ? describeEachDatabase
  : (title: string, _body: unknown) => describe.skip(title, () => {});

const mail = (n: number, body: string, to = SUPPORT) =>
  customerMail({
    from: `Client ${n} <client${n}@example.org>`,
    to,
    subject: `Demande ${n}`,
    messageId: `r${n}@example.org`,
    body,
  });

suite('a support mailbox through restarts, outages and refusals', (db) => {
  const h = new MailboxHarness(db);
  const deadLetters = async () =>
    (await db().pool.query('select count(*)::int as n from dead_letters where source = $1', [`email:${SUPPORT}`]))
      .rows[0].n;

  beforeAll(async () => {
    await h.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('resumes from its UID cursor after a restart: nothing lost, nothing read twice', async () => {
    await h.dovecot.deliver(mail(1, 'Bonjour, ma réservation a disparu de l’application.'));
    await h.dovecot.deliver(fs.readFileSync(path.join(FIXTURES, 'auto-reply.eml')));
    await h.waitForMessage('r1@example.org');
    await until(async () => (await deadLetters()) === 1);
    await until(async () => (await h.account()).cursor?.lastUid === 2);

    await h.server.close();
    await h.dovecot.deliver(mail(2, 'Buongiorno, il mio volo è stato cancellato. Posso avere un rimborso?'));
    await h.dovecot.deliver(mail(3, 'Bonjour, mon bagage est arrivé abîmé.'));
    await h.startServer();

    const italian = await h.waitForMessage('r2@example.org');
    // The mailbox decides the community, whatever the language.
    expect(italian.community).toBe('airsocial-fr');
    await h.waitForMessage('r3@example.org');
    expect(await h.inboundCount()).toBe(3);
    // The auto-reply, before the cursor, was not read again.
    expect(await deadLetters()).toBe(1);
    expect((await h.account()).cursor).toMatchObject({ lastUid: 4, uidValidity: expect.any(String) });
  });

  it('reads again after a UIDVALIDITY change without duplicating anything', async () => {
    const before = (await h.account()).cursor.uidValidity;
    await h.server.close();
    h.dovecot.renewUidValidity(SUPPORT);
    await h.dovecot.deliver(mail(4, 'Bonjour, je voudrais changer mon siège.'));
    await h.startServer();
    await h.waitForMessage('r4@example.org');
    await until(async () => (await h.account()).cursor?.lastUid === 5);
    expect((await h.account()).cursor.uidValidity).not.toBe(before);
    const ids = await db().pool.query(
      `select external_id, count(*)::int as n from messages where channel = 'email' and direction = 'in' group by 1 order by 1`,
    );
    expect(ids.rows).toEqual(['r1', 'r2', 'r3', 'r4'].map((r) => ({ external_id: `${r}@example.org`, n: 1 })));
  });

  it('backs off while the IMAP server is down, and catches up when it is back', { timeout: 60_000 }, async () => {
    await h.dovecot.stop();
    await until(async () => {
      const a = await h.account();
      return a.status === 'error' && a.failure_count >= 1;
    }, 30_000);
    expect((await h.account()).last_error).toMatch(/^transient: /);
    await h.dovecot.start();
    await h.dovecot.deliver(mail(5, 'Bonjour, toujours pas de nouvelles de ma valise.'));
    await h.waitForMessage('r5@example.org', 40_000);
    await until(async () => {
      const a = await h.account();
      return a.status === 'active' && a.failure_count === 0;
    });
  });

  it('parks a mailbox whose password is refused as "needs reconnect", until an admin fixes it', {
    timeout: 45_000,
  }, async () => {
    const id = await h.connect(SALES, 'airsocial-de', 'wrong-password');
    await until(async () => (await h.account(id)).status === 'needs_reconnect');
    const listed = (await h.server.request('GET', '/api/v1/accounts', { cookie: h.leader })).body.find(
      (a: { id: number }) => a.id === id,
    );
    expect(listed.health.last_error).toMatch(/^auth: IMAP login refused/);
    expect(JSON.stringify(listed)).not.toContain('wrong-password');
    const test = (await h.server.request('POST', `/api/v1/accounts/${id}/test`, { cookie: h.leader })).body;
    expect(test).toMatchObject({ ok: false, detail: expect.stringMatching(/^IMAP login refused/) });

    await h.dovecot.deliver(mail(6, 'Guten Tag, mein Koffer ist weg.', SALES), { to: SALES });
    const fixed = await h.server.request('PATCH', `/api/v1/accounts/${id}`, {
      cookie: h.leader,
      body: { credentials: { user: SALES, password: IMAP_PASSWORD, smtp: SMTP_LOGIN } },
    });
    expect(fixed.body.status).toBe('active');
    expect((await h.waitForMessage('r6@example.org', 30_000)).community).toBe('airsocial-de');
    expect((await h.server.request('POST', `/api/v1/accounts/${id}/test`, { cookie: h.leader })).body).toEqual({
      ok: true,
      detail: `IMAP 127.0.0.1: INBOX has 1 messages; SMTP 127.0.0.1: login accepted`,
    });

    // Mail between two of the brand's mailboxes is internal: the support mailbox does not take it for a customer's.
    await h.dovecot.deliver(
      customerMail({
        from: `AirSocial DE <${SALES}>`,
        subject: 'Intern',
        messageId: 'internal-1@airsocial.example',
        body: 'FYI',
      }),
    );
    await h.dovecot.deliver(mail(7, 'Bonjour, une question sur mon billet.'));
    await h.waitForMessage('r7@example.org');
    expect(await h.message('internal-1@airsocial.example')).toBeUndefined();
  });

  it('retries a reply the SMTP server refused for now; backs off longer when rate-limited', {
    timeout: 45_000,
  }, async () => {
    const lea = await h.server.login('lea@airsocial.example');
    const replyTo = async (externalId: string, text: string) => {
      const m = await h.message(externalId);
      const r = await h.server.request('POST', `/api/v1/cases/${m.case_id}/replies`, { cookie: lea, body: { text } });
      expect(r.status).toBe(202);
      h.server.ctx.kickOutbox();
      return r.body.message_id as number;
    };
    const outbox = async (messageId: number) =>
      (
        await db().pool.query(
          `select status, attempts, last_error, idempotency_key, not_before > now() + interval '45 seconds' as held
           from outbox where message_id = $1`,
          [messageId],
        )
      ).rows[0];

    h.smtp.refusals.push({ code: 451, text: '4.3.0 Temporary local problem, try again' });
    const first = await replyTo('r1@example.org', 'Nous retrouvons votre réservation.');
    await until(async () => (await outbox(first)).status === 'sent', 20_000);
    expect(await outbox(first)).toMatchObject({ attempts: 2, last_error: null });
    expect(h.smtp.received.at(-1)?.parsed.inReplyTo).toBe('<r1@example.org>');

    h.smtp.refusals.push({ code: 421, text: '4.7.0 Too many messages, slow down' });
    const second = await replyTo('r3@example.org', 'Nous sommes désolés pour votre bagage.');
    await until(async () => (await outbox(second)).attempts === 1 && (await outbox(second)).status === 'pending');
    const held = await outbox(second);
    expect(held).toMatchObject({ held: true, last_error: expect.stringMatching(/^rate_limited: /) });
    await db().pool.query('update outbox set not_before = now() where message_id = $1', [second]);
    h.server.ctx.kickOutbox();
    await until(async () => (await outbox(second)).status === 'sent');
    // The retry carries the Message-ID derived from the same idempotency key.
    expect(h.smtp.received.at(-1)?.parsed.messageId).toBe(`<passeur.${held.idempotency_key}@airsocial.example>`);

    h.smtp.refusals.push({ code: 550, text: '5.1.1 Recipient address rejected' });
    const third = await replyTo('r4@example.org', 'Votre siège est changé.');
    await until(async () => (await outbox(third)).status === 'failed');
    expect((await outbox(third)).last_error).toMatch(/^permanent: SMTP refused the reply/);
  });

  it('sends a retried reply once: a copy already filed in Sent means it went out', async () => {
    const [context] = await accountContexts(db().pool, h.server.ctx.keyring, {
      orgId: h.server.ctx.directory().orgId,
      id: h.accountId,
    });
    const post = {
      idempotencyKey: 'b8c1f3a2-5d4e-4f60-9a7b-1c2d3e4f5a6b',
      account: context!.account,
      text: 'Votre remboursement est en cours.',
      inReplyTo: 'r2@example.org',
      visibility: 'public' as const,
    };
    const before = h.smtp.received.length;
    const a = await emailConnector.send(db().pool, post, context! as never, h.server.ctx.channels);
    const b = await emailConnector.send(db().pool, post, context! as never, h.server.ctx.channels);
    expect(a).toEqual(b);
    expect(a.externalId).toBe(`passeur.${post.idempotencyKey}@airsocial.example`);
    expect(h.smtp.received.length).toBe(before + 1);
  });
});

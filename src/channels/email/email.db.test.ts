import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dovecotSuiteEnabled } from '../../../test/fixtures/email/dovecot.ts';
import {
  customerMail,
  MailboxHarness,
  SMTP_LOGIN,
  SUPPORT,
  until,
} from '../../../test/fixtures/email/mailbox-harness.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../test/fixtures/email');
const RENEE = 'Renée Lefèvre <renee.lefevre@example.fr>';

const suite = dovecotSuiteEnabled('email connector (Dovecot)')
  ? describeEachDatabase
  : (title: string, _body: unknown) => describe.skip(title, () => {});

suite('a support mailbox: IMAP in, SMTP out', (db) => {
  const h = new MailboxHarness(db);

  beforeAll(async () => {
    await h.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('is offered to admins with its settings, and never shows the passwords back', async () => {
    const networks = await h.server.request('GET', '/api/v1/networks', { cookie: h.leader });
    const email = networks.body.find((n: { network: string }) => n.network === 'email');
    expect(email).toMatchObject({ kinds: ['account'], inbound: ['stream'], can_reply: true });
    expect(Object.keys(email.config_schema.properties)).toEqual(
      expect.arrayContaining(['address', 'imap', 'smtp', 'sent_folder', 'backfill_days']),
    );
    const accounts = await h.server.request('GET', '/api/v1/accounts', { cookie: h.leader });
    const mine = accounts.body.find((a: { id: number }) => a.id === h.accountId);
    expect(mine).toMatchObject({ network: 'email', handle: SUPPORT, has_credentials: true });
    expect(mine.config).toMatchObject({ address: SUPPORT, imap: { mailbox: 'INBOX' }, backfill_days: 3 });
    expect(JSON.stringify(accounts.body)).not.toMatch(/imap-secret|smtp-secret/);
    const bad = await h.server.request('POST', '/api/v1/accounts', {
      cookie: h.leader,
      body: {
        community_id: h.community('airsocial-fr').id,
        network: 'email',
        handle: 'x@airsocial.example',
        config: { address: 'not an address', imap: { host: 'h', port: 993, secure: true }, smtp: { host: 'h' } },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field)).toEqual(
      expect.arrayContaining(['config.address', 'config.smtp.port', 'config.smtp.secure']),
    );
  });

  it('takes a French email into the fr community, answers it threaded, and the customer’s reply joins the case', async () => {
    await h.dovecot.deliver(
      customerMail({
        from: RENEE,
        subject: 'Vol AF1234 en retard',
        messageId: 'c1.renee@example.fr',
        body: 'Bonjour, mon vol AF1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?',
      }),
    );
    const first = await h.waitForMessage('c1.renee@example.fr');
    expect(first).toMatchObject({
      community: 'airsocial-fr',
      kind: 'email',
      author_handle: 'renee.lefevre@example.fr',
      author_name: 'Renée Lefèvre',
      text: 'Bonjour, mon vol AF1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?',
      meta: { kind: 'email', title: 'Vol AF1234 en retard', to: [SUPPORT] },
    });

    const lea = await h.server.login('lea@airsocial.example');
    const reply = await h.server.request('POST', `/api/v1/cases/${first.case_id}/replies`, {
      cookie: lea,
      body: { text: 'Bonjour Renée, nous regardons votre correspondance tout de suite.', resolve: true },
    });
    expect(reply.status).toBe(202);
    h.server.ctx.kickOutbox();
    await until(() => h.smtp.received.length === 1);
    const sent = h.smtp.received[0]!;
    const key = (
      await db().pool.query('select idempotency_key from outbox where message_id = $1', [reply.body.message_id])
    ).rows[0].idempotency_key;
    const ourId = `passeur.${key}@airsocial.example`;
    expect(sent.user).toBe(SMTP_LOGIN.user);
    expect(sent.envelope).toEqual({ from: SUPPORT, to: ['renee.lefevre@example.fr'] });
    expect(sent.parsed.messageId).toBe(`<${ourId}>`);
    expect(sent.parsed.inReplyTo).toBe('<c1.renee@example.fr>');
    expect(sent.parsed.references).toBe('<c1.renee@example.fr>');
    expect(sent.parsed.subject).toBe('Re: Vol AF1234 en retard');
    expect(sent.parsed.from?.value).toEqual([{ address: SUPPORT, name: 'AirSocial' }]);
    expect(sent.parsed.to).toMatchObject({ value: [{ address: 'renee.lefevre@example.fr', name: 'Renée Lefèvre' }] });
    expect(sent.parsed.text?.trim()).toBe('Bonjour Renée, nous regardons votre correspondance tout de suite.');
    expect(sent.parsed.html).toBe(false);
    await until(
      async () =>
        (await db().pool.query('select external_id from messages where id = $1', [reply.body.message_id])).rows[0]
          .external_id === ourId,
    );

    // A copy is filed in Sent, exactly as it went out.
    const imap = await h.imap();
    try {
      const lock = await imap.getMailboxLock('Sent');
      const found = await imap.search({ header: { 'message-id': `<${ourId}>` } }, { uid: true });
      expect(found).toHaveLength(1);
      lock.release();
    } finally {
      await imap.logout();
    }

    // The customer answers from her mail program, quoting us: the resolved case reopens with her new words.
    await h.dovecot.deliver(
      customerMail({
        from: RENEE,
        subject: 'Re: Vol AF1234 en retard',
        messageId: 'c2.renee@example.fr',
        inReplyTo: ourId,
        references: ['c1.renee@example.fr', ourId],
        body: [
          'Merci, et pour mon bagage ?',
          '',
          'Le mar. 2 juin 2026 à 10:12, AirSocial <support@airsocial.example> a écrit :',
          '> Bonjour Renée, nous regardons votre correspondance tout de suite.',
        ].join('\r\n'),
      }),
    );
    const second = await h.waitForMessage('c2.renee@example.fr');
    expect(second).toMatchObject({
      case_id: first.case_id,
      in_reply_to: ourId,
      text: 'Merci, et pour mon bagage ?',
      case_status: 'open',
      meta: { quoted_history_removed: true, references: ['c1.renee@example.fr', ourId] },
    });
  });

  it('picks a new mail up within seconds through IDLE', async () => {
    await until(async () => (await h.account()).cursor !== null);
    await new Promise((r) => setTimeout(r, 1500)); // the connection is now idling
    const t0 = Date.now();
    await h.dovecot.deliver(
      customerMail({
        from: 'Paul <paul@example.ch>',
        subject: 'Bagage',
        messageId: 'idle-1@example.ch',
        body: 'Où est ma valise ?',
      }),
    );
    await h.waitForMessage('idle-1@example.ch', 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('decodes ISO-8859-1 quoted-printable and Windows-1252 HTML mail', async () => {
    await h.dovecot.deliver(fs.readFileSync(path.join(FIXTURES, 'latin1-quoted-printable.eml')));
    await h.dovecot.deliver(fs.readFileSync(path.join(FIXTURES, 'windows-1252-html.eml')));
    const latin1 = await h.waitForMessage('latin1-qp.4711@mail.example.fr');
    expect(latin1.text).toContain("Mon vol AF1234 de Genève a été annulé ce matin, je n'ai reçu aucune information.");
    expect(latin1.meta.title).toBe('Vol annulé à Genève');
    expect(latin1.author_name).toBe('Renée Lefèvre');
    const html = await h.waitForMessage('cp1252-html.0815@example.be');
    expect(html.text).toContain('Le billet coûtait 250\u00a0€ et l’appli affiche «\u00a0erreur\u00a0» au paiement.');
    expect(html.meta.title).toBe('Paiement refusé – 250 €');
  });

  it('lists a huge attachment without reading more than the limit of the message', { timeout: 60_000 }, async () => {
    // About 20 MiB of 0x01 bytes, in base64 lines of 76 characters (57 bytes each).
    const big = `${'AQEB'.repeat(19)}\r\n`.repeat(368_000);
    const raw = customerMail({
      from: 'Anna <anna@example.it>',
      subject: 'Foto',
      messageId: 'huge-1@example.it',
      body: '',
      mime: {
        headers: ['Content-Type: multipart/mixed; boundary="b"'],
        body: [
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Ecco la foto della valigia rotta.',
          '--b',
          'Content-Type: image/png; name="valigia.png"',
          'Content-Disposition: attachment; filename="valigia.png"',
          'Content-Transfer-Encoding: base64',
          '',
          big,
          '--b--',
        ].join('\r\n'),
      },
    });
    await h.dovecot.deliver(raw);
    const m = await h.waitForMessage('huge-1@example.it', 30_000);
    expect(m.text).toBe('Ecco la foto della valigia rotta.');
    expect(m.community).toBe('airsocial-fr');
    expect(m.meta).toMatchObject({
      truncated: true,
      attachments: [{ name: 'valigia.png', type: 'image/png', size: null, oversized: true }],
    });
  });

  it('does not take auto-replies, bounces or our own copies for customers', async () => {
    const deadBefore = (
      await db().pool.query(`select count(*)::int as n from dead_letters where source = $1`, [`email:${SUPPORT}`])
    ).rows[0].n;
    await h.dovecot.deliver(fs.readFileSync(path.join(FIXTURES, 'auto-reply.eml')));
    await h.dovecot.deliver(fs.readFileSync(path.join(FIXTURES, 'bounce.eml')));
    await h.dovecot.deliver(
      customerMail({
        from: `AirSocial <${SUPPORT}>`,
        subject: 'Re: x',
        messageId: 'own-1@airsocial.example',
        body: 'Our copy',
      }),
    );
    await h.dovecot.deliver(
      customerMail({
        from: 'Luc <luc@example.fr>',
        subject: 'Remboursement',
        messageId: 'after-1@example.fr',
        body: 'Et mon remboursement ?',
      }),
    );
    await h.waitForMessage('after-1@example.fr');
    for (const id of ['ooo-1@example.fr', 'bounce-1@mx.example.net', 'own-1@airsocial.example'])
      expect(await h.message(id)).toBeUndefined();
    const dead = await db().pool.query(`select reason, payload from dead_letters where source = $1 order by id`, [
      `email:${SUPPORT}`,
    ]);
    expect(dead.rows.length - deadBefore).toBe(2);
    expect(dead.rows.slice(deadBefore).map((r) => r.reason)).toEqual([
      'automatic message (Auto-Submitted: auto-replied)',
      'delivery report from mailer-daemon@mx.example.net',
    ]);
    expect(JSON.parse(dead.rows[deadBefore].payload)).toMatchObject({
      message_id: 'ooo-1@example.fr',
      from: 'jean.martin@example.fr',
    });
  });
});

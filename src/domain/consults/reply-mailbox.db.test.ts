import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DovecotPeer,
  disposeDovecot,
  dovecotSuiteEnabled,
  startDovecot,
} from '../../../test/fixtures/email/dovecot.ts';
import { customerMail, until } from '../../../test/fixtures/email/mailbox-harness.ts';
import { type SmtpPeer, startSmtpPeer } from '../../../test/fixtures/email/smtp-peer.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { ReplyAddresses } from './reply-address.ts';
import { ConsultReplyWorker, parseReplyImapUrl } from './reply-mailbox.ts';

const REPLIES = 'consults@passeur.example';
const PASSWORD = 'reply-secret-3';
const RELAY = { user: 'relay-passeur', password: 'smtp-secret-4' };

const suite = dovecotSuiteEnabled('consult replies by email (Dovecot)')
  ? describeEachDatabase
  : (title: string, _body: unknown) => describe.skip(title, () => {});

/**
 * Answering a consult by replying to its email: the notification (read from the SMTP peer) carries the consult's
 * reply address; the reply is delivered over LMTP into the reply mailbox of a real Dovecot; the server's own
 * worker reads it over IMAP and answers the consult, once.
 */
suite('consults answered by email reply', (db) => {
  let dovecot: DovecotPeer;
  let smtp: SmtpPeer;
  let s: TestServer;
  let env: Record<string, string>;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};
  let n = 0;
  let delivered = 0;

  const newCase = async () => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: `reply-consult-${++n}`,
        account: '@AirSocial',
        author: { handle: `@r${n}` },
        text: 'Bonjour, puis-je voyager avec mon chien d’assistance en cabine ?',
      },
    });
    expect(r.status).toBe(202);
    const caseId = r.body.case_id as number;
    const assign = await s.request('PATCH', `/api/v1/cases/${caseId}`, {
      cookie: cookie.lea,
      body: { assignee_id: id.lea, status: 'open' },
    });
    expect(assign.status).toBe(200);
    return caseId;
  };
  const ask = async (caseId: number, target: Record<string, number>) => {
    const r = await s.request('POST', `/api/v1/cases/${caseId}/consults`, {
      cookie: cookie.marie,
      body: { ...target, question: 'Le chien d’assistance voyage-t-il en cabine sur l’ATR ?', due_in_minutes: 120 },
    });
    expect(r.status).toBe(201);
    return r.body.id as number;
  };
  /** The consult email sent to a person, once the mailer sent it. */
  const mailTo = async (address: string, consultId: number) => {
    let found: SmtpPeer['received'][number] | undefined;
    await until(() => {
      found = smtp.received.find(
        (m) => m.envelope.to.includes(address) && (m.parsed.text ?? '').includes(`/consults/${consultId}`),
      );
      return found !== undefined;
    });
    return found!;
  };
  /** Delivers a reply into the reply mailbox and waits until the worker has read it. */
  const deliver = async (m: { from: string; to: string; body: string; messageId: string }) => {
    await dovecot.deliver(
      customerMail({ ...m, subject: 'Re: [Passeur] consultation', inReplyTo: 'notification@passeur.example' }),
      { to: REPLIES },
    );
    delivered++;
    await until(async () => {
      const r = await db().pool.query(`select last_uid from mailbox_cursors where name = 'consult-replies'`);
      return Number(r.rows[0]?.last_uid ?? 0) >= delivered;
    });
  };
  const consult = async (consultId: number) =>
    (
      await db().pool.query('select status, answer, answered_by, note_message_id from consults where id = $1', [
        consultId,
      ])
    ).rows[0];
  const record = async (messageId: string) =>
    (
      await db().pool.query(
        'select outcome, reason, consult_id, person_id from consult_email_replies where message_key = $1',
        [`id:${messageId}`],
      )
    ).rows;
  const notesOf = async (caseId: number) =>
    (
      await db().pool.query(`select id, text, person_id from messages where case_id = $1 and direction = 'note'`, [
        caseId,
      ])
    ).rows;

  const start = async () => {
    s = await startTestServer(db().url, env);
    for (const name of ['lea', 'marie']) cookie[name] = await s.login(`${name}@airsocial.example`);
  };

  beforeAll(async () => {
    dovecot = await startDovecot([{ user: REPLIES, password: PASSWORD }]);
    smtp = await startSmtpPeer({ [RELAY.user]: RELAY.password });
    env = {
      PASSEUR_SMTP_URL: `smtp://${RELAY.user}:${RELAY.password}@${smtp.host}:${smtp.port}`,
      PASSEUR_REPLY_IMAP_URL: `imap://${encodeURIComponent(REPLIES)}:${PASSWORD}@${dovecot.host}:${dovecot.imapPort}/INBOX`,
      PASSEUR_REPLY_ADDRESS: REPLIES,
      PASSEUR_REPLY_POLL_MS: '1000',
      PASSEUR_SLA_SWEEP_MS: '0',
    };
    await start();
    const people = await db().pool.query<{ id: number; email: string }>('select id, email from people');
    for (const p of people.rows) id[p.email.split('@')[0]!] = p.id;
  });
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
    await disposeDovecot(dovecot);
  });

  let caseId: number;
  let consultId: number;
  let replyTo: string;

  it('sends the expert a consult email whose Reply-To is the consult’s own address', async () => {
    caseId = await newCase();
    consultId = await ask(caseId, { expert_person_id: id.marc! });
    const mail = await mailTo('marc@airsocial.example', consultId);
    replyTo = mail.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^consults\\+${consultId}\\.[0-9a-f]{20}@passeur\\.example$`));
    expect(mail.parsed.text).toContain('Vous pouvez aussi répondre à ce courriel');
    // The asker's own notifications have no reply address.
    expect(smtp.received.filter((m) => m.parsed.replyTo && !m.envelope.to.includes('marc@airsocial.example'))).toEqual(
      [],
    );
  });

  it('turns the expert’s reply into the answer: a private note without the quote, the case back to open', async () => {
    await deliver({
      from: 'Marc Girard <marc@airsocial.example>',
      to: replyTo,
      messageId: 'answer-1.marc@airsocial.example',
      body: [
        'Oui, en cabine, au pied du passager, avec le harnais.',
        '',
        'Le dim. 29 nov. 2026 à 10:12, Passeur <consults@passeur.example>',
        'a écrit :',
        '',
        '> Bonjour Marc Girard,',
        '> Marie Lefèvre vous pose une question.',
        '',
        '-- ',
        'Marc Girard',
      ].join('\n'),
    });
    const k = await consult(consultId);
    expect(k).toMatchObject({
      status: 'answered',
      answer: 'Oui, en cabine, au pied du passager, avec le harnais.',
      answered_by: id.marc,
    });
    const notes = await notesOf(caseId);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ id: k.note_message_id, person_id: id.marc });
    expect(notes[0].text).toMatch(
      /^Consultation n° \d+ — .*\n\nOui, en cabine, au pied du passager, avec le harnais\.$/,
    );
    const c = await db().pool.query('select status from cases where id = $1', [caseId]);
    expect(c.rows[0].status).toBe('open');
    const told = await db().pool.query(
      `select 1 from notifications where person_id = $1 and kind = 'consult_answered' and case_id = $2`,
      [id.lea, caseId],
    );
    expect(told.rowCount).toBe(1);
    const audited = await db().pool.query(
      `select actor_person_id, data from audit_events where action = 'consult.answered' and subject_id = $1`,
      [String(consultId)],
    );
    expect(audited.rows).toEqual([{ actor_person_id: id.marc, data: expect.objectContaining({ via: 'email' }) }]);
    expect(await record('answer-1.marc@airsocial.example')).toEqual([
      { outcome: 'accepted', reason: null, consult_id: consultId, person_id: id.marc },
    ]);
  });

  it('answers once: the same email again, a second pass, and a restart that re-reads the mailbox change nothing', async () => {
    await deliver({
      from: 'Marc Girard <marc@airsocial.example>',
      to: replyTo,
      messageId: 'answer-1.marc@airsocial.example',
      body: 'Oui, en cabine, au pied du passager, avec le harnais.',
    });
    await s.close();
    // As if the process had died before saving where it was: the whole mailbox is read again.
    await db().pool.query(`delete from mailbox_cursors where name = 'consult-replies'`);
    await start();
    await until(async () => {
      const r = await db().pool.query(`select last_uid from mailbox_cursors where name = 'consult-replies'`);
      return Number(r.rows[0]?.last_uid ?? 0) >= delivered;
    });
    expect(await notesOf(caseId)).toHaveLength(1);
    const rows = await db().pool.query('select count(*)::int as n from consult_email_replies');
    expect(rows.rows[0].n).toBe(1);
  });

  it('refuses a reply to a closed consult, recorded with the reason', async () => {
    await deliver({
      from: 'Marc Girard <marc@airsocial.example>',
      to: replyTo,
      messageId: 'answer-2.marc@airsocial.example',
      body: 'Précision : il faut aussi le certificat.',
    });
    expect(await record('answer-2.marc@airsocial.example')).toEqual([
      { outcome: 'rejected', reason: 'the consult is answered', consult_id: consultId, person_id: id.marc },
    ]);
    expect(await notesOf(caseId)).toHaveLength(1);
    expect((await consult(consultId)).answer).toBe('Oui, en cabine, au pied du passager, avec le harnais.');
  });

  it('refuses a forged address and a reply from someone else than the asked expert, without touching the case', async () => {
    const other = await newCase();
    const open = await ask(other, { expert_person_id: id.marc! });
    const real = (await mailTo('marc@airsocial.example', open)).parsed.replyTo?.value[0]?.address ?? '';
    const tag = /\.([0-9a-f]{20})@/.exec(real)![1]!;
    // The tag of the answered consult on the open consult's id, and a made-up tag.
    const forged = [replyTo.replace(`+${consultId}.`, `+${open}.`), real.replace(tag, '0123456789abcdef0123')];
    for (const [i, to] of forged.entries()) {
      await deliver({
        from: 'Marc Girard <marc@airsocial.example>',
        to,
        messageId: `forged-${i}.marc@airsocial.example`,
        body: 'Non.',
      });
      expect(await record(`forged-${i}.marc@airsocial.example`)).toEqual([
        {
          outcome: 'rejected',
          reason: expect.stringContaining('no valid consult reply address'),
          consult_id: null,
          person_id: null,
        },
      ]);
    }
    await deliver({
      from: 'Hanna Keller <hanna@airsocial.example>',
      to: real,
      messageId: 'wrong-sender.hanna@airsocial.example',
      body: 'Non, jamais.',
    });
    expect(await record('wrong-sender.hanna@airsocial.example')).toEqual([
      {
        outcome: 'rejected',
        reason: 'the sender is not the asked expert nor a member of the asked team',
        consult_id: open,
        person_id: null,
      },
    ]);
    expect(await consult(open)).toMatchObject({ status: 'open', answer: null });
    expect(await notesOf(other)).toEqual([]);
    const listed = await s.request('GET', '/api/v1/consults/email-replies?outcome=rejected', { cookie: cookie.marie });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({
        consult_id: open,
        from: 'hanna@airsocial.example',
        reason: 'the sender is not the asked expert nor a member of the asked team',
        text: 'Non, jamais.',
      }),
    );
    expect(listed.body.items.every((i: { outcome: string }) => i.outcome === 'rejected')).toBe(true);
    expect((await s.request('GET', '/api/v1/consults/email-replies', { cookie: cookie.lea })).status).toBe(403);
    const refused = await db().pool.query(
      `select count(*)::int as n from audit_events where action = 'consult.email_refused' and subject_id = $1`,
      [String(open)],
    );
    expect(refused.rows[0].n).toBe(1);
  });

  it('accepts a reply from a member of the asked team', async () => {
    const teamCase = await newCase();
    const quality = (await db().pool.query(`select id from teams where slug = 'quality'`)).rows[0].id as number;
    const k = await ask(teamCase, { expert_team_id: quality });
    const to = (await mailTo('anna@airsocial.example', k)).parsed.replyTo?.value[0]?.address ?? '';
    await deliver({
      from: 'Anna Schmidt <Anna@AirSocial.example>',
      to,
      messageId: 'team.anna@airsocial.example',
      body: 'Ja, in der Kabine.\n\nAm 29.11.2026 um 10:12 schrieb Passeur <consults@passeur.example>:\n> Frage',
    });
    expect(await consult(k)).toMatchObject({ status: 'answered', answer: 'Ja, in der Kabine.', answered_by: id.anna });
  });

  it('reads the mailbox again after the server renumbered it, without answering twice', async () => {
    const before = await db().pool.query(`select uid_validity from mailbox_cursors where name = 'consult-replies'`);
    const counts = async () =>
      (
        await db().pool.query(
          `select (select count(*)::int from consult_email_replies) as replies,
             (select count(*)::int from messages where direction = 'note') as notes`,
        )
      ).rows[0];
    const was = await counts();
    dovecot.renewUidValidity(REPLIES);
    await until(async () => {
      const r = await db().pool.query(`select uid_validity from mailbox_cursors where name = 'consult-replies'`);
      return r.rows[0].uid_validity !== before.rows[0].uid_validity;
    });
    expect(await counts()).toEqual(was);
  });

  it('reads the mailbox from one process at a time', async () => {
    const second = new ConsultReplyWorker({
      pool: db().pool,
      log: pino({ level: 'silent' }),
      directory: () => s.ctx.directory(),
      addresses: new ReplyAddresses(s.ctx.keyring, REPLIES),
      mailbox: parseReplyImapUrl(env.PASSEUR_REPLY_IMAP_URL!),
      intervalMs: 60_000,
    });
    const ownerLocks = async () =>
      (
        await db().pool.query(
          `select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = 7311090 and granted
             and database = (select oid from pg_database where datname = current_database())`,
        )
      ).rows[0].n;
    try {
      // The server's worker owns the mailbox: this one does nothing.
      expect(await second.tick()).toEqual([]);
      expect(await ownerLocks()).toBe(1);
      // The server stops: this process takes over. With the mail server down, the pass fails and lets go.
      await s.close();
      await dovecot.stop();
      await expect(second.tick()).rejects.toThrow(/IMAP connection/);
      expect(await ownerLocks()).toBe(0);
      // Back up: it reads on from the saved position, and finds nothing new to answer.
      await dovecot.start();
      expect(await second.tick()).toEqual([]);
      expect(await ownerLocks()).toBe(1);
    } finally {
      await second.stop();
    }
    expect(await ownerLocks()).toBe(0);
  });
});

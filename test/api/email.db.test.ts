import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmailWorker } from '../../src/domain/notifications/mailer.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Received {
  to: string[];
  subject: string;
  body: string;
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) of a header. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function parseMail(raw: string): { subject: string; body: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeHeader(/^subject: (.*)$/im.exec(unfolded)?.[1] ?? '');
  let body = rest.join('\n\n');
  if (/content-transfer-encoding: quoted-printable/i.test(unfolded)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (/content-transfer-encoding: base64/i.test(unfolded)) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { subject, body };
}

describeEachDatabase('notification emails through SMTP', (db) => {
  const received: Received[] = [];
  /** SMTP reply codes to refuse the next recipients with. */
  const refusals: number[] = [];
  let smtp: SMTPServer;
  let smtpUrl: string;
  let s: TestServer;
  let marie: string;
  const id: Record<string, number> = {};
  const publicUrl = 'https://care.airsocial.example';

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        const code = refusals.shift();
        if (code === undefined) return callback();
        return callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: code }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const mail = parseMail(Buffer.concat(chunks).toString('utf8'));
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), ...mail });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    s = await startTestServer(db().url, {
      PASSEUR_SLA_SWEEP_MS: '0',
      PASSEUR_SMTP_URL: smtpUrl,
      PASSEUR_MAIL_FROM: 'AirSocial care <care@airsocial.example>',
      PASSEUR_PUBLIC_URL: publicUrl,
    });
    marie = await s.login('marie@airsocial.example');
    const people = await db().pool.query<{ id: number; email: string }>('select id, email from people');
    for (const p of people.rows) id[p.email.split('@')[0]!] = p.id;
  });
  afterAll(async () => {
    await s?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  async function newCase(externalId: string, account: string, text: string): Promise<number> {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', external_id: externalId, account, author: { handle: `@${externalId}` }, text },
    });
    return r.body.case_id;
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10_000) {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const notification = async (caseId: number, personId: number) =>
    (
      await db().pool.query<{ email_status: string | null; email_attempts: number }>(
        'select email_status, email_attempts from notifications where case_id = $1 and person_id = $2',
        [caseId, personId],
      )
    ).rows[0];

  it('emails an assignment to the assignee, in their language, with a link to the case', async () => {
    const caseId = await newCase('mail-de-1', '@AirSocial_de', 'Mein Koffer ist in Zürich nicht angekommen!');
    const patch = await s.request('PATCH', `/api/v1/cases/${caseId}`, {
      cookie: marie,
      body: { assignee_id: id.jonas },
    });
    expect(patch.status).toBe(200);
    const mail = await waitFor('the email', () => received.find((m) => m.subject.includes(`#${caseId}`)));
    expect(mail.to).toEqual(['jonas@airsocial.example']);
    expect(mail.subject).toBe(`[Passeur] Fall #${caseId} ist Ihnen zugewiesen`);
    expect(mail.body).toContain('Hallo Jonas Weber,');
    expect(mail.body).toContain('Marie Lefèvre hat Ihnen Fall #');
    expect(mail.body).toContain(`${publicUrl}/cases/${caseId}`);
    expect(mail.body).toContain('Mein Koffer ist in Zürich nicht angekommen!');
    // The server receives the mail before the worker records it as sent: wait for the record, then check it.
    const sent = await waitFor('the email recorded as sent', async () => {
      const n = await notification(caseId, id.jonas!);
      return n?.email_status === 'pending' ? undefined : n;
    });
    expect(sent).toEqual({ email_status: 'sent', email_attempts: 1 });
  });

  it('retries an email the SMTP server refused once', async () => {
    const caseId = await newCase('mail-fr-1', '@AirSocial', 'Mon vol est annulé et personne ne répond au téléphone.');
    refusals.push(451);
    const lea = await s.login('lea@airsocial.example');
    await s.request('POST', `/api/v1/cases/${caseId}/notes`, {
      cookie: lea,
      body: { text: '@marie tu peux regarder ?' },
    });
    // The server's worker tried at once and was refused: still pending, one attempt.
    await waitFor('the first attempt', async () => {
      const n = await notification(caseId, id.marie!);
      return n?.email_attempts === 1 ? n : undefined;
    });
    expect(await notification(caseId, id.marie!)).toEqual({ email_status: 'pending', email_attempts: 1 });
    expect(received.some((m) => m.subject.includes(`${caseId}`))).toBe(false);
    // A minute later (the retry schedule), a worker sends it.
    const worker = new EmailWorker({
      pool: db().pool,
      log: pino({ level: 'silent' }),
      smtpUrl,
      from: 'AirSocial care <care@airsocial.example>',
      publicUrl,
    });
    await worker.drain(new Date(Date.now() + 61_000));
    await worker.stop();
    expect(await notification(caseId, id.marie!)).toEqual({ email_status: 'sent', email_attempts: 2 });
    const mails = received.filter((m) => m.subject.includes(`${caseId}`));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to: ['marie@airsocial.example'],
      subject: `[Passeur] Léa Martin vous a mentionné·e dans le dossier n° ${caseId}`,
    });
    expect(mails[0]!.body).toContain(`Ouvrir le dossier: ${publicUrl}/cases/${caseId}`);
  });

  it('gives up at once on a permanent refusal', async () => {
    const caseId = await newCase('mail-fr-2', '@AirSocial', 'Où est ma valise ?');
    refusals.push(550);
    const lea = await s.login('lea@airsocial.example');
    await s.request('POST', `/api/v1/cases/${caseId}/notes`, { cookie: lea, body: { text: '@Marie' } });
    const n = await waitFor('the refusal', async () => {
      const row = await notification(caseId, id.marie!);
      return row?.email_status === 'failed' ? row : undefined;
    });
    expect(n).toEqual({ email_status: 'failed', email_attempts: 1 });
  });
});

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMail } from '../../channels/email/mail-reader.ts';
import { loadConfig } from '../../server/config.ts';
import { Keyring } from '../../server/secrets/keyring.ts';
import { composeEmail } from '../notifications/email.ts';
import { consultReplyTo, ReplyAddresses } from './reply-address.ts';
import { parseReplyImapUrl } from './reply-mailbox.ts';
import { answerFromReply, MAX_EMAIL_ANSWER } from './reply-text.ts';

const key = (id: string, byte: number) => ({ id, key: Buffer.alloc(32, byte) });

describe('consult reply addresses', () => {
  const addresses = new ReplyAddresses(new Keyring([key('k1', 1)], 'test'), 'Consults@Passeur.example');

  it('reads back the consult of its own address, whatever the case of its letters', () => {
    const a = addresses.forConsult(42);
    expect(a).toMatch(/^consults\+42\.[0-9a-f]{20}@passeur\.example$/);
    expect(addresses.consultOf(a)).toBe(42);
    expect(addresses.consultOf(a.toUpperCase())).toBe(42);
  });

  it('refuses a tampered tag, another consult’s id with this tag, and other mailboxes', () => {
    const a = addresses.forConsult(42);
    const tag = /\.([0-9a-f]{20})@/.exec(a)![1]!;
    const flipped = `${tag.slice(0, -1)}${tag.endsWith('0') ? '1' : '0'}`;
    expect(addresses.consultOf(a.replace(tag, flipped))).toBeUndefined();
    expect(addresses.consultOf(a.replace('+42.', '+43.'))).toBeUndefined();
    expect(addresses.consultOf(a.replace('+42.', '+042.'))).toBeUndefined();
    expect(addresses.consultOf(a.replace(tag, tag.slice(0, 16)))).toBeUndefined();
    expect(addresses.consultOf(a.replace('@passeur.example', '@evil.example'))).toBeUndefined();
    expect(addresses.consultOf(a.replace('consults+', 'other+'))).toBeUndefined();
    expect(addresses.consultOf('consults@passeur.example')).toBeUndefined();
    expect(addresses.forConsult(43)).not.toBe(a.replace('+42.', '+43.'));
    expect(() => new ReplyAddresses(new Keyring([key('k1', 1)], 'test'), 'consults+x@passeur.example')).toThrow(/"\+"/);
  });

  it('depends on the keyring: another key signs other tags; a rotated keyring still reads old addresses', () => {
    const old = addresses.forConsult(42);
    const other = new ReplyAddresses(new Keyring([key('k2', 2)], 'test'), 'consults@passeur.example');
    expect(other.consultOf(old)).toBeUndefined();
    const rotated = new ReplyAddresses(new Keyring([key('k2', 2), key('k1', 1)], 'test'), 'consults@passeur.example');
    expect(rotated.consultOf(old)).toBe(42);
    expect(rotated.forConsult(42)).toBe(other.forConsult(42));
  });
});

describe('the new part of a reply', () => {
  const quoted = ['> Marie Dubois asks you a question (consult #7), due tomorrow.', '> Open the consult: https://x'];

  it('cuts Gmail’s “On … wrote:” and the quote (English)', () => {
    const text = [
      'Yes, the wheelchair can go on the connecting flight.',
      '',
      'On Tue, 2 Jun 2026 at 10:12, Passeur <consults+7.abc@passeur.example> wrote:',
      '',
      ...quoted,
    ].join('\n');
    expect(answerFromReply(text)).toBe('Yes, the wheelchair can go on the connecting flight.');
  });

  it('cuts “Le … a écrit :” wrapped over two lines (French)', () => {
    const text = [
      'Oui, le fauteuil passe en soute.',
      '',
      'Le mar. 2 juin 2026 à 10:12, Passeur <consults+7.abc@passeur.example>',
      'a écrit :',
      '',
      ...quoted,
    ].join('\n');
    expect(answerFromReply(text)).toBe('Oui, le fauteuil passe en soute.');
  });

  it('cuts “Am … schrieb …:” with the name before the colon (German), even without “>” quotes', () => {
    const text = [
      'Ja, das geht.',
      'Grüsse',
      '',
      'Am 02.06.2026 um 10:12 schrieb Passeur <consults+7.abc@passeur.example>:',
      'Marie Dubois bittet um Ihre Expertise',
    ].join('\n');
    expect(answerFromReply(text)).toBe('Ja, das geht.\nGrüsse');
  });

  it('cuts “Il … ha scritto:” (Italian)', () => {
    const text = [
      'Sì, nessun problema.',
      '',
      'Il giorno mar 2 giu 2026 alle ore 10:12 Passeur <consults+7.abc@passeur.example> ha scritto:',
      ...quoted,
    ].join('\n');
    expect(answerFromReply(text)).toBe('Sì, nessun problema.');
  });

  it('cuts Outlook’s “From: … Sent: …” block, in English and French', () => {
    const en =
      'Approved.\r\n\r\nFrom: Passeur <consults+7.abc@passeur.example>\r\nSent: Tuesday, June 2, 2026 10:12\r\nTo: Marc\r\nSubject: consult #7\r\n\r\nMarie Dubois asks…';
    expect(answerFromReply(en)).toBe('Approved.');
    const fr =
      'Validé.\n\nDe : Passeur <consults+7.abc@passeur.example>\nEnvoyé : mardi 2 juin 2026 10:12\nÀ : Marc\n\nMarie…';
    expect(answerFromReply(fr)).toBe('Validé.');
  });

  it('keeps interleaved answers without the quoted lines, and cuts signatures and phone footers', () => {
    expect(answerFromReply('> Can he fly?\nYes.\n> Which seat?\nRow 3.')).toBe('Yes.\nRow 3.');
    expect(answerFromReply('Row 3.\n\n-- \nMarc Girard\nGround handling')).toBe('Row 3.');
    expect(answerFromReply('Row 3.\n\nEnvoyé de mon iPhone')).toBe('Row 3.');
    expect(answerFromReply('Row 3.\n\nVon meinem iPhone gesendet')).toBe('Row 3.');
  });

  it('is empty when nothing new was written, and capped', () => {
    expect(answerFromReply(['On Tue, 2 Jun 2026, Passeur <x@y> wrote:', ...quoted].join('\n'))).toBe('');
    expect(answerFromReply('   \n')).toBe('');
    const long = answerFromReply('a'.repeat(MAX_EMAIL_ANSWER + 500));
    expect(long).toHaveLength(MAX_EMAIL_ANSWER);
    expect(long.endsWith('…')).toBe(true);
  });

  it('reads an HTML-only reply as plain text: no tags, no scripts', async () => {
    const raw = [
      'From: Marc <marc@airsocial.example>',
      'To: consults+7.abc@passeur.example',
      'Subject: Re: consult',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>Yes, <b>row 3</b> &amp; a blanket.</p><blockquote>old</blockquote></body></html>',
      '',
    ].join('\r\n');
    const mail = await readMail(Readable.from([Buffer.from(raw)]));
    const answer = answerFromReply(mail.text);
    expect(answer).toMatch(/Yes, (row 3|ROW 3) & a blanket\./);
    expect(answer).not.toMatch(/<|alert|color:red/);
  });
});

describe('configuration of the reply mailbox', () => {
  it('reads the IMAP URL: TLS or not, the percent-encoded login, the folder', () => {
    expect(parseReplyImapUrl('imaps://consults%40passeur.example:p%40ss%3Aw@imap.passeur.example/Replies')).toEqual({
      imap: { host: 'imap.passeur.example', port: 993, secure: true, mailbox: 'Replies' },
      credentials: { user: 'consults@passeur.example', password: 'p@ss:w' },
    });
    expect(parseReplyImapUrl('imap://u:p@127.0.0.1:1143').imap).toEqual({
      host: '127.0.0.1',
      port: 1143,
      secure: false,
      mailbox: 'INBOX',
    });
    expect(() => parseReplyImapUrl('imap://127.0.0.1')).toThrow(/user and a password/);
  });

  it('needs the URL and the address together, and validates them', () => {
    const url = 'imaps://u:p@imap.example/INBOX';
    expect(
      loadConfig({ PASSEUR_REPLY_IMAP_URL: url, PASSEUR_REPLY_ADDRESS: 'Consults@Passeur.example' }),
    ).toMatchObject({
      replyImapUrl: url,
      replyAddress: 'consults@passeur.example',
      replyPollMs: 30_000,
    });
    expect(loadConfig({})).toMatchObject({ replyImapUrl: undefined, replyAddress: undefined });
    expect(() => loadConfig({ PASSEUR_REPLY_IMAP_URL: url })).toThrow(/go together/);
    expect(() => loadConfig({ PASSEUR_REPLY_ADDRESS: 'consults@passeur.example' })).toThrow(/go together/);
    expect(() =>
      loadConfig({ PASSEUR_REPLY_IMAP_URL: 'http://u:p@x', PASSEUR_REPLY_ADDRESS: 'consults@passeur.example' }),
    ).toThrow(/PASSEUR_REPLY_IMAP_URL/);
  });
});

describe('the consult email’s Reply-To', () => {
  const addresses = new ReplyAddresses(new Keyring([key('k1', 1)], 'test'), 'consults@passeur.example');
  const replyTo = consultReplyTo(addresses);

  it('is set on the email asking the expert only, and the email says replying answers', () => {
    expect(replyTo({ kind: 'consult', data: { consult_id: 9 } })).toBe(addresses.forConsult(9));
    expect(replyTo({ kind: 'consult_overdue', data: { consult_id: 9 } })).toBeUndefined();
    expect(replyTo({ kind: 'consult_answered', data: { consult_id: 9 } })).toBeUndefined();
    const facts = {
      kind: 'consult',
      caseId: null as unknown as number,
      caseSubject: null,
      data: { consult_id: 9, by_name: 'Marie' },
      recipientName: 'Marc',
      locale: 'it',
      timezone: 'Europe/Zurich',
    };
    expect(composeEmail({ ...facts, replyable: true }, 'https://p.example').text).toContain(
      'Può anche rispondere a questa e-mail',
    );
    expect(composeEmail(facts, 'https://p.example').text).not.toContain('rispondere a questa e-mail');
  });
});

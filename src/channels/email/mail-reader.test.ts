import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inboundPayload, mailSummary, notCustomer } from './inbound-mail.ts';
import { readMail } from './mail-reader.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../test/fixtures/email');
const fixture = (name: string) => readMail(fs.createReadStream(path.join(FIXTURES, name)));
const own = new Set(['support@airsocial.example']);

describe('reading customer emails', () => {
  it('decodes ISO-8859-1 quoted-printable headers and body', async () => {
    const mail = await fixture('latin1-quoted-printable.eml');
    expect(mail.subject).toBe('Vol annulé à Genève');
    expect(mail.from).toEqual({ address: 'renee.lefevre@example.fr', name: 'Renée Lefèvre' });
    expect(mail.messageId).toBe('latin1-qp.4711@mail.example.fr');
    expect(mail.text).toContain("Mon vol AF1234 de Genève a été annulé ce matin, je n'ai reçu aucune information.");
    expect(notCustomer(mail, own)).toBeUndefined();
    const payload = inboundPayload(mail, {
      accountHandle: 'support@airsocial.example',
      parent: undefined,
      receivedAt: undefined,
    });
    expect(payload).toMatchObject({
      channel: 'email',
      external_id: 'latin1-qp.4711@mail.example.fr',
      author: { handle: 'renee.lefevre@example.fr', name: 'Renée Lefèvre' },
      created_at: '2026-06-02T07:15:00.000Z',
      meta: { kind: 'email', title: 'Vol annulé à Genève', to: ['support@airsocial.example'] },
    });
  });

  it('turns Windows-1252 HTML (base64) into plain text', async () => {
    const mail = await fixture('windows-1252-html.eml');
    expect(mail.subject).toBe('Paiement refusé – 250 €');
    expect(mail.from?.name).toBe('Dupont, Marc');
    expect(mail.text).toContain('Le billet coûtait 250\u00a0€ et l’appli affiche «\u00a0erreur\u00a0» au paiement.');
    expect(mail.text).not.toMatch(/<p>|color:red/);
  });

  it('survives broken headers: raw UTF-8, unknown charsets, a bad date, a Message-ID without brackets', async () => {
    const mail = await fixture('broken-headers.eml');
    expect(mail.subject).toMatch(/^Gepäck verloren über Genève/);
    expect(mail.messageId).toBe('broken-4242@example.de');
    expect(mail.date).toBeUndefined();
    expect(mail.from).toEqual({ address: 'julia.becker@example.de', name: undefined });
    const receivedAt = new Date('2026-06-04T08:00:00Z');
    const payload = inboundPayload(mail, { accountHandle: 'support@airsocial.example', parent: undefined, receivedAt });
    expect(payload.created_at).toBe(receivedAt.toISOString());
    expect(payload.text).toBe('Mein Koffer ist seit drei Tagen nicht angekommen. Bitte helfen Sie mir.');
  });

  it('recognises auto-replies, bounces and our own copies, and keeps only a summary of them', async () => {
    const ooo = await fixture('auto-reply.eml');
    expect(notCustomer(ooo, own)).toEqual({
      kind: 'automatic',
      reason: 'automatic message (Auto-Submitted: auto-replied)',
    });
    expect(mailSummary(ooo, 7)).toEqual({
      uid: 7,
      message_id: 'ooo-1@example.fr',
      from: 'jean.martin@example.fr',
      subject: 'Réponse automatique\u00a0: Re: Votre vol',
      headers: { 'auto-submitted': 'auto-replied', 'content-type': 'text/plain; charset=utf-8' },
    });
    const bounce = await fixture('bounce.eml');
    expect(notCustomer(bounce, own)).toEqual({
      kind: 'automatic',
      reason: 'delivery report from mailer-daemon@mx.example.net',
    });
    const copy = await readMail(
      Readable.from([Buffer.from('From: AirSocial <Support@AirSocial.example>\r\nSubject: Re: x\r\n\r\nHello\r\n')]),
    );
    expect(notCustomer(copy, own)?.kind).toBe('own');
    const bulk = await readMail(
      Readable.from([Buffer.from('From: news@example.com\r\nPrecedence: bulk\r\nSubject: Offers\r\n\r\nBuy\r\n')]),
    );
    expect(notCustomer(bulk, own)?.reason).toBe('bulk or automatic message (Precedence: bulk)');
  });

  it('lists attachments by name, type and size without keeping them, and flags the oversized', async () => {
    // 11.4 MB of 0x01 bytes, in base64 lines of 76 characters (57 bytes each).
    const big = `${'AQEB'.repeat(19)}\r\n`.repeat(200_000);
    const raw = [
      'From: a@example.org',
      'Subject: photos',
      'Content-Type: multipart/mixed; boundary="x"',
      '',
      '--x',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Voici les photos de ma valise.',
      '--x',
      'Content-Type: image/jpeg; name="=?UTF-8?Q?valise_ab=C3=AEm=C3=A9e.jpg?="',
      "Content-Disposition: attachment; filename*=UTF-8''valise%20ab%C3%AEm%C3%A9e.jpg",
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('small').toString('base64'),
      '--x',
      'Content-Type: application/pdf; name="scan.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      big,
      '--x--',
      '',
    ].join('\r\n');
    const mail = await readMail(Readable.from([Buffer.from(raw)]));
    expect(mail.text.trim()).toBe('Voici les photos de ma valise.');
    expect(mail.attachments).toEqual([
      { name: 'valise abîmée.jpg', type: 'image/jpeg', size: 5 },
      { name: 'scan.pdf', type: 'application/pdf', size: 57 * 200_000, oversized: true },
    ]);
    expect(mail.messageId).toBeUndefined();
    expect(inboundPayload(mail, { accountHandle: 'x', parent: undefined, receivedAt: undefined }).external_id).toMatch(
      /^sha256\.[0-9a-f]{64}@no-message-id\.invalid$/,
    );
  });
});

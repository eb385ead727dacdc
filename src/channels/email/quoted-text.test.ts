import { describe, expect, it } from 'vitest';
import { stripQuotedHistory } from './quoted-text.ts';

describe('quoted history in replies', () => {
  it('cuts a Gmail-style quote and its attribution, wrapped over two lines', () => {
    const text = [
      'Merci, et pour mon bagage ?',
      '',
      'Le mar. 2 juin 2026 à 10:12, AirSocial <support@airsocial.example>',
      'a écrit :',
      '',
      '> Bonjour Renée,',
      '> nous regardons votre dossier.',
      '',
    ].join('\n');
    expect(stripQuotedHistory(text)).toEqual({ text: 'Merci, et pour mon bagage ?', cut: true });
  });

  it('cuts an Outlook header block and a separator, in several languages', () => {
    const outlook =
      'Danke!\n\nVon: AirSocial <support@airsocial.example>\nGesendet: Dienstag, 2. Juni 2026 10:12\nAn: Julia\n\nAlter Text';
    expect(stripQuotedHistory(outlook).text).toBe('Danke!');
    const sep = 'Grazie\n-----Messaggio originale-----\nDa: AirSocial';
    expect(stripQuotedHistory(sep).text).toBe('Grazie');
  });

  it('keeps a message that is only a quote, and lines that merely start like an attribution', () => {
    expect(stripQuotedHistory('> tout est cité\n> ici').cut).toBe(false);
    const text = 'Le vol était en retard\nOn Tuesday, John <j@x> wrote:\n> hello';
    expect(stripQuotedHistory(text).text).toBe('Le vol était en retard');
    expect(stripQuotedHistory('Pas de citation ici.\nMerci').cut).toBe(false);
  });
});

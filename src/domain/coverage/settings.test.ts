import { describe, expect, it } from 'vitest';
import { acknowledgementFor, settingsInputSchema } from './settings.ts';

const TEXTS = {
  it: { text: 'Grazie, le risponderemo presto.', link: 'https://www.airsocial.example/info/it' },
  en: { text: 'Thank you, we will answer soon.', link: null },
};

describe('out-of-hours acknowledgement texts', () => {
  it("answers in the message's language, else the community's, else English, with the link on its own line", () => {
    expect(acknowledgementFor(TEXTS, ['it', 'it'])).toEqual({
      lang: 'it',
      text: 'Grazie, le risponderemo presto.\nhttps://www.airsocial.example/info/it',
    });
    expect(acknowledgementFor(TEXTS, ['fr', 'it'])?.lang).toBe('it');
    expect(acknowledgementFor(TEXTS, ['fr', 'de'])).toEqual({ lang: 'en', text: 'Thank you, we will answer soon.' });
    expect(acknowledgementFor({ de: TEXTS.it }, ['fr', null])).toBeNull();
  });

  it('accepts http(s) information links only, and language codes only', () => {
    const base = {
      off_duty_policy: 'backup',
      auto_ack: { enabled: true, texts: {} as Record<string, unknown> },
      paging: { enabled: false },
    };
    const with_ = (texts: Record<string, unknown>) => ({ ...base, auto_ack: { enabled: true, texts } });
    expect(settingsInputSchema.safeParse(with_({ it: TEXTS.it })).success).toBe(true);
    for (const link of ['javascript:alert(1)', 'https://user:pw@example.com/', 'not a url']) {
      expect(settingsInputSchema.safeParse(with_({ it: { text: 'x', link } })).success).toBe(false);
    }
    expect(settingsInputSchema.safeParse(with_({ italian: { text: 'x' } })).success).toBe(false);
    expect(settingsInputSchema.safeParse(with_({ it: { text: '   ' } })).success).toBe(false);
    const parsed = settingsInputSchema.parse({ ...base, paging: { enabled: true, on_call_ids: [3, 3, 4] } });
    expect(parsed.paging).toEqual({ enabled: true, on_call_ids: [3, 4], webhook_url: null });
  });
});

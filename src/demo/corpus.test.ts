import { describe, expect, it } from 'vitest';
import { inboundMessageSchema } from '../domain/ingest/model.ts';
import { AIRLINE_TOPICS, INTENTS } from '../triage/types.ts';
import {
  CRISIS_TERMS,
  createCrisisSurge,
  createDemoStream,
  createLabeledCrisisSurge,
  createLabeledDemoStream,
  DEFAULT_DEMO_ACCOUNTS,
  DEMO_CANNED_REPLIES,
  DEMO_COMMUNITIES,
  DEMO_HOLDING_STATEMENTS,
  DEMO_LANGUAGE_PACKS,
  DEMO_LANGUAGE_WEIGHTS,
  DEMO_LANGUAGES,
  type DemoLanguage,
  demoDeskLanguage,
  type LabeledDemoInbound,
  URGENT_KINDS,
} from './corpus.ts';

const MAIN: readonly DemoLanguage[] = ['fr', 'de', 'it', 'en'];
const MINOR: readonly DemoLanguage[] = ['es', 'nl', 'pt'];

function take(n: number, seed = 42): LabeledDemoInbound[] {
  const stream = createLabeledDemoStream({ seed });
  return Array.from({ length: n }, () => stream.next());
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const SAMPLE = take(10_000);

describe('demo stream', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createDemoStream({ seed: 7 });
    const b = createDemoStream({ seed: 7 });
    const c = createDemoStream({ seed: 8 });
    const first = Array.from({ length: 500 }, () => a.next());
    expect(Array.from({ length: 500 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 500 }, () => c.next().text)).not.toEqual(first.map((m) => m.text));
  });

  it('gives the same messages with or without labels', () => {
    const plain = createDemoStream({ seed: 42 });
    for (const { message } of SAMPLE.slice(0, 300)) expect(plain.next()).toEqual(message);
  });

  it('dates messages with `now` when given, otherwise on its own rising clock from `start`', () => {
    const start = new Date('2026-01-05T08:00:00Z');
    const stream = createDemoStream({ seed: 1, start });
    const dates = Array.from({ length: 300 }, () => Date.parse(stream.next().created_at));
    expect(dates[0]).toBe(start.getTime());
    for (let i = 1; i < dates.length; i++) expect(dates[i]).toBeGreaterThan(dates[i - 1] ?? 0);
    const now = new Date('2026-02-01T12:34:56.789Z');
    expect(stream.next(now).created_at).toBe('2026-02-01T12:34:56.789Z');
  });

  it('keeps external_id unique over 10,000 messages', () => {
    const ids = SAMPLE.map((m) => m.message.external_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('demo-42-1');
  });

  it('fulfils the ingest contract', () => {
    for (const { message } of SAMPLE) {
      expect(message.channel).toBe('sandbox');
      expect(message.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const parsed = inboundMessageSchema.safeParse(message);
      if (!parsed.success) throw new Error(`${message.external_id}: ${parsed.error.message}`);
    }
  });

  it('threads follow-ups on an earlier message of the same author, language and account', () => {
    const byId = new Map(SAMPLE.map((m, i) => [m.message.external_id, { ...m, i }]));
    let followUps = 0;
    SAMPLE.forEach(({ message, label }, i) => {
      expect(label.followUp).toBe(message.in_reply_to !== undefined);
      if (message.in_reply_to === undefined) return;
      followUps += 1;
      const parent = byId.get(message.in_reply_to);
      expect(parent, message.external_id).toBeDefined();
      if (!parent) return;
      expect(parent.i).toBeLessThan(i);
      expect(parent.message.author.handle).toBe(message.author.handle);
      expect(parent.label.lang).toBe(label.lang);
      expect(parent.message.account).toBe(message.account);
      expect(Date.parse(parent.message.created_at)).toBeLessThan(Date.parse(message.created_at));
    });
    expect(followUps / SAMPLE.length).toBeGreaterThan(0.2);
    expect(followUps / SAMPLE.length).toBeLessThan(0.3);
  });

  it('has recurring customers, some coming back with a new question', () => {
    const opened = new Map<string, number>();
    for (const { message } of SAMPLE) {
      if (!message.in_reply_to) opened.set(message.author.handle, (opened.get(message.author.handle) ?? 0) + 1);
    }
    expect(opened.size).toBeGreaterThan(600);
    expect(opened.size).toBeLessThan(2000);
    expect([...opened.values()].filter((n) => n >= 3).length).toBeGreaterThan(100);
  });

  it('mixes languages as specified and sends each to its desk', () => {
    const counts = new Map<string, number>();
    for (const { message, label } of SAMPLE) {
      counts.set(label.lang, (counts.get(label.lang) ?? 0) + 1);
      const community = DEMO_COMMUNITIES.find((c) => c.key === label.community);
      expect(community?.lang).toBe(demoDeskLanguage(label.lang));
      expect(community?.brand).toBe(label.brand);
      if (message.account) expect(message.account).toBe(community?.handle);
    }
    for (const lang of DEMO_LANGUAGES) {
      const share = (counts.get(lang) ?? 0) / SAMPLE.length;
      // Follow-ups keep their thread's language, so shares wander a little more than independent draws would.
      const tolerance = MINOR.includes(lang) ? 0.35 : 0.15;
      expect(share, lang).toBeGreaterThan(DEMO_LANGUAGE_WEIGHTS[lang] * (1 - tolerance));
      expect(share, lang).toBeLessThan(DEMO_LANGUAGE_WEIGHTS[lang] * (1 + tolerance));
    }
    const minor = MINOR.reduce((n, lang) => n + (counts.get(lang) ?? 0), 0) / SAMPLE.length;
    expect(minor).toBeGreaterThan(0.05);
    expect(minor).toBeLessThan(0.14);
  });

  it('leaves about 10 % as plain mentions that still name their brand', () => {
    const mentions = SAMPLE.filter((m) => m.message.account === undefined);
    expect(mentions.length / SAMPLE.length).toBeGreaterThan(0.07);
    expect(mentions.length / SAMPLE.length).toBeLessThan(0.13);
    for (const { message, label } of mentions) {
      if (label.hostile) continue;
      const text = message.text.toLowerCase();
      if (label.brand === 'AirSocial Express') expect(text).toMatch(/airsocial ?express/);
      else expect(text).toMatch(/airsocial(?! ?express)/);
    }
  });

  it('writes mostly short messages', () => {
    const plain = SAMPLE.filter((m) => !m.label.hostile).map((m) => [...m.message.text].length);
    const inRange = plain.filter((n) => n >= 20 && n <= 280).length;
    expect(inRange / plain.length).toBeGreaterThan(0.95);
    expect(Math.max(...plain)).toBeLessThanOrEqual(320);
    const sorted = [...plain].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(50);
    expect(median).toBeLessThan(180);
  });

  it('covers every intent, topic and urgent case', () => {
    for (const lang of MAIN) {
      const mine = SAMPLE.filter((m) => m.label.lang === lang && !m.label.followUp);
      for (const topic of AIRLINE_TOPICS)
        expect(
          mine.some((m) => m.label.topic === topic),
          `${lang} ${topic}`,
        ).toBe(true);
      for (const intent of INTENTS)
        expect(
          mine.some((m) => m.label.intent === intent),
          `${lang} ${intent}`,
        ).toBe(true);
      for (const urgent of URGENT_KINDS)
        expect(
          mine.some((m) => m.label.urgent === urgent),
          `${lang} ${urgent}`,
        ).toBe(true);
    }
    const complaints = SAMPLE.filter((m) => m.label.intent === 'complaint').length / SAMPLE.length;
    const urgent = SAMPLE.filter((m) => m.label.urgent).length / SAMPLE.length;
    expect(complaints).toBeGreaterThan(0.25);
    expect(urgent).toBeGreaterThan(0.03);
    expect(urgent).toBeLessThan(0.12);
  });

  it('fills every slot of every template', () => {
    const used = new Set(take(40_000, 3).map((m) => m.label.templateId));
    for (const lang of DEMO_LANGUAGES) {
      const pack = DEMO_LANGUAGE_PACKS[lang];
      for (let i = 0; i < pack.templates.length; i++) expect(used.has(`${lang}:t${i}`), `${lang}:t${i}`).toBe(true);
      for (let i = 0; i < pack.followUps.length; i++) expect(used.has(`${lang}:f${i}`), `${lang}:f${i}`).toBe(true);
    }
    for (const { message } of SAMPLE) expect(message.text).not.toMatch(/\{[a-z0-9]+\}/);
  });

  it('mixes in a little hostile or odd input', () => {
    const hostile = SAMPLE.filter((m) => m.label.hostile);
    expect(hostile.length / SAMPLE.length).toBeGreaterThan(0.01);
    expect(hostile.length / SAMPLE.length).toBeLessThan(0.035);
    const all = hostile.map((m) => `${m.message.author.name ?? ''} ${m.message.text}`).join('\n');
    expect(all).toContain('<script>alert(1)</script>');
    expect(all).toContain('<img src=x onerror=alert(1)>');
    expect(all).toMatch(/[\u200b-\u200d\ufeff\u2060]/);
    expect(all).toMatch(/[\u0590-\u06ff\u202e]/);
    const long = hostile.filter((m) => m.label.hostile === 'long_text').map((m) => m.message.text.length);
    expect(long.length).toBeGreaterThan(0);
    for (const n of long) expect(n >= 3000 && n <= 4000, String(n)).toBe(true);
    const emojiOnly = hostile.filter((m) => m.label.hostile === 'emoji_only');
    expect(emojiOnly.length).toBeGreaterThan(0);
    for (const m of emojiOnly) expect(m.message.text).not.toMatch(/[\p{L}\p{N}]/u);
  });

  it('uses the default account map, or the one given', () => {
    expect(DEFAULT_DEMO_ACCOUNTS).toEqual({
      'airsocial-fr': '@AirSocial',
      'airsocial-de': '@AirSocial_de',
      'airsocial-it': '@AirSocial_it',
      'airsocial-en': '@AirSocial_en',
      'express-fr': '@AirSocialExpress_fr',
      'express-de': '@AirSocialExpress_de',
      'express-it': '@AirSocialExpress_it',
      'express-en': '@AirSocialExpress',
    });
    const stream = createLabeledDemoStream({ seed: 42, accounts: { 'airsocial-fr': '@AS_Suisse' } });
    const msgs = Array.from({ length: 2000 }, () => stream.next());
    const fr = msgs.filter((m) => m.label.community === 'airsocial-fr' && m.message.account);
    expect(fr.length).toBeGreaterThan(0);
    for (const m of fr) expect(m.message.account).toBe('@AS_Suisse');
    expect(msgs.some((m) => m.message.account === '@AirSocial_de')).toBe(true);
  });
});

describe('template data', () => {
  it('has at least 40 templates for fr, de, it, en covering every topic and intent, and some for es, nl, pt', () => {
    for (const lang of MAIN) {
      const { templates } = DEMO_LANGUAGE_PACKS[lang];
      expect(templates.length, lang).toBeGreaterThanOrEqual(40);
      expect(new Set(templates.map((t) => t.text)).size).toBe(templates.length);
      for (const topic of AIRLINE_TOPICS)
        expect(
          templates.some((t) => t.topic === topic),
          `${lang} ${topic}`,
        ).toBe(true);
      for (const intent of INTENTS)
        expect(
          templates.some((t) => t.intent === intent),
          `${lang} ${intent}`,
        ).toBe(true);
      for (const urgent of URGENT_KINDS)
        expect(
          templates.some((t) => t.urgent === urgent),
          `${lang} ${urgent}`,
        ).toBe(true);
    }
    for (const lang of MINOR) expect(DEMO_LANGUAGE_PACKS[lang].templates.length).toBeGreaterThanOrEqual(8);
  });

  it('has canned replies and ash-cloud holding statements with the reply variables', () => {
    for (const lang of MAIN) {
      const replies = DEMO_CANNED_REPLIES[lang as keyof typeof DEMO_CANNED_REPLIES];
      expect(replies.length).toBeGreaterThanOrEqual(8);
      for (const r of replies) {
        expect(r.title.length).toBeGreaterThan(3);
        expect(r.body).toContain('{{contact.name}}');
        expect(r.body).toContain('{{agent.name}}');
      }
      expect(replies.some((r) => r.body.includes('{{case.id}}'))).toBe(true);
      const holding = DEMO_HOLDING_STATEMENTS[lang as keyof typeof DEMO_HOLDING_STATEMENTS];
      expect(CRISIS_TERMS[lang].some((term) => fold(holding.body).includes(fold(term)))).toBe(true);
    }
    expect(DEMO_CANNED_REPLIES.fr.map((r) => r.title)).toContain('retard + correspondance');
    expect(DEMO_CANNED_REPLIES.de.map((r) => r.title)).toContain('Gepäck verloren');
    expect(DEMO_CANNED_REPLIES.it.map((r) => r.title)).toContain('rimborso');
    expect(DEMO_CANNED_REPLIES.en.map((r) => r.title)).toContain('delay + connection');
  });
});

describe('ash-cloud surge', () => {
  const start = new Date('2025-04-15T08:00:00Z');
  const surge = createLabeledCrisisSurge({ seed: 9, start, minutes: 60, perMinute: 20 });

  it('is deterministic and sized minutes × perMinute', () => {
    expect(surge).toHaveLength(1200);
    expect(createCrisisSurge({ seed: 9, start, minutes: 60, perMinute: 20 })).toEqual(surge.map((m) => m.message));
    expect(createCrisisSurge({ seed: 9, start, minutes: 0, perMinute: 20 })).toEqual([]);
  });

  it('spreads timestamps over the window in order', () => {
    const times = surge.map((m) => Date.parse(m.message.created_at));
    const end = start.getTime() + 60 * 60_000;
    for (let i = 0; i < times.length; i++) {
      expect(times[i]).toBeGreaterThanOrEqual(i === 0 ? start.getTime() : (times[i - 1] ?? 0));
      expect(times[i]).toBeLessThan(end);
    }
    for (let q = 0; q < 4; q++) {
      const from = start.getTime() + q * 15 * 60_000;
      const n = times.filter((t) => t >= from && t < from + 15 * 60_000).length;
      expect(n).toBeGreaterThan(200);
    }
  });

  it('talks about the volcano and the ash cloud, mostly negatively', () => {
    for (const { message, label } of surge) {
      expect(label.crisis).toBe(true);
      expect(MAIN).toContain(label.lang);
      if (label.followUp) continue;
      expect(
        CRISIS_TERMS[label.lang].some((term) => fold(message.text).includes(fold(term))),
        message.text,
      ).toBe(true);
    }
    const withTerm = surge.filter((m) =>
      CRISIS_TERMS[m.label.lang].some((t) => fold(m.message.text).includes(fold(t))),
    );
    expect(withTerm.length / surge.length).toBeGreaterThan(0.95);
    const negative = surge.filter((m) => m.label.sentiment === 'negative').length / surge.length;
    expect(negative).toBeGreaterThan(0.55);
    const worried = surge.filter((m) => m.label.intent === 'complaint' || m.label.intent === 'question').length;
    expect(worried / surge.length).toBeGreaterThan(0.85);
    const topics = new Set(surge.map((m) => m.label.topic));
    for (const topic of ['cancellation', 'booking', 'refund', 'airport']) expect(topics).toContain(topic);
    const all = fold(surge.map((m) => m.message.text).join('\n'));
    for (const word of [
      'volcan',
      'nuage de cendres',
      'vulkan',
      'aschewolke',
      'vulcano',
      'nube di cenere',
      'ash cloud',
      'volcano',
    ]) {
      expect(all).toContain(word);
    }
  });

  it('has unique ids, threads within the surge, and honours the languages asked for', () => {
    const ids = new Set(surge.map((m) => m.message.external_id));
    expect(ids.size).toBe(surge.length);
    for (const { message } of surge) {
      if (message.in_reply_to) expect(ids.has(message.in_reply_to)).toBe(true);
    }
    const es = createLabeledCrisisSurge({ seed: 1, start, minutes: 10, perMinute: 5, languages: ['es', 'de'] });
    expect(new Set(es.map((m) => m.label.lang))).toEqual(new Set(['es', 'de']));
    for (const m of es)
      if (m.label.lang === 'es') expect(m.message.account ?? '@AirSocial_en').toMatch(/^@AirSocial(Express|_en)$/);
    expect(() => createCrisisSurge({ start, minutes: 1, perMinute: 1, languages: ['xx'] })).toThrow(RangeError);
  });
});

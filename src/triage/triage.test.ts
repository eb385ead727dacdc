import { beforeAll, describe, expect, it } from 'vitest';
import { loadTriager, parseTaxonomy, type Triager } from './index.ts';
import { parseChecks } from './seeds/checks.ts';
import { INTENTS, SENTIMENTS, URGENCIES } from './types.ts';

let triager: Triager;
beforeAll(async () => {
  triager = await loadTriager();
});

const one = (text: string, lang?: string) => triager.triage([lang ? { text, lang } : { text }])[0]!;

describe('multilingual seed checks', () => {
  it('fr: delay, missed connection, asks what to do', () => {
    const r = one('mon vol AF1234 a 3 h de retard, je vais rater ma correspondance, que faire ?');
    expect(r.lang).toBe('fr');
    expect(r.sentiment).toBe('negative');
    expect(r.intent).toBe('question');
    expect(r.topics[0]).toBe('delay');
    expect(r.urgency).toBe('high');
  });

  it('de: lost luggage complaint', () => {
    const r = one('Mein Koffer ist in Frankfurt verloren gegangen und niemand antwortet. Unverschämt!');
    expect(r.lang).toBe('de');
    expect(r.sentiment).toBe('negative');
    expect(r.intent).toBe('complaint');
    expect(r.topics).toContain('baggage');
    expect(r.topics[0]).toBe('baggage');
  });

  it('it: stranded on the tarmac without water is critical and a safety matter', () => {
    const r = one('Siamo bloccati sulla pista da due ore senza acqua, è una vergogna');
    expect(r.lang).toBe('it');
    expect(r.urgency).toBe('critical');
    expect(r.sensitive).toContain('safety');
    expect(r.team).toBe('crisis_cell');
  });

  it('praise goes to marketing with low urgency', () => {
    for (const text of [
      '@AirSocial thank you so much, the crew was amazing! Best flight ever ❤️',
      'Merci beaucoup à l’équipage, vol parfait !',
      'Vielen Dank an die Crew, super Flug!',
    ]) {
      const r = one(text);
      expect(r.sentiment, text).toBe('positive');
      expect(r.intent, text).toBe('praise');
      expect(r.team, text).toBe('marketing');
      expect(r.urgency, text).toBe('low');
    }
  });

  it('an idea is a suggestion for innovation', () => {
    for (const text of [
      'It would be great if you added an option to choose meals in the app',
      'Ce serait bien de pouvoir choisir son repas dans l’application',
      'Sarebbe bello poter scegliere il posto gratis durante il check-in',
      'Deberían ofrecer wifi gratis en los vuelos largos',
    ]) {
      const r = one(text);
      expect(r.intent, text).toBe('suggestion');
      expect(r.team, text).toBe('innovation');
    }
  });

  it('legal threats, press and discrimination are flagged and raise urgency', () => {
    const legal = one('I will sue you, my lawyer is preparing the lawsuit');
    expect(legal.sensitive).toContain('legal');
    expect(legal.urgency).toBe('high');
    const press = one("I'm a journalist at Reuters writing a story about your delays, who can comment?");
    expect(press.sensitive).toContain('press');
    expect(['high', 'critical']).toContain(press.urgency);
    const disc = one('The gate agent made racist comments to my family');
    expect(disc.sensitive).toContain('discrimination');
  });

  it('a recurring defect goes to quality', () => {
    const r = one('The wifi is broken again, third time this month on your planes');
    expect(r.team).toBe('quality');
  });

  it('the hand-written checks in five languages mostly pass', () => {
    const checks = parseChecks();
    const rs = triager.triage(checks.map((c) => ({ text: c.text })));
    let n = 0;
    let ok = 0;
    checks.forEach((c, i) => {
      const r = rs[i]!;
      const pairs: [string | undefined, string | undefined][] = [
        [c.lang, r.lang],
        [c.intent, r.intent],
        [c.sentiment, r.sentiment],
        [c.topic, r.topics[0]],
        [c.urgency, r.urgency],
      ];
      for (const [want, got] of pairs) {
        if (want === undefined) continue;
        n++;
        if (want === got) ok++;
      }
      if (c.sensitive) {
        n++;
        if (r.sensitive.includes(c.sensitive)) ok++;
      }
    });
    expect(ok / n).toBeGreaterThan(0.88);
  });
});

describe('language', () => {
  it('detects seven languages on short noisy texts', () => {
    const cases: [string, string][] = [
      ['@AirSocial my bag is lost again 😡 #fail http://t.co/x1', 'en'],
      ['@AirSocial_FR merci pour le vol, équipage au top 👍', 'fr'],
      ['@AirSocial wo ist mein Koffer?? #wtf', 'de'],
      ['@AirSocial grazie mille, volo perfetto! 😍', 'it'],
      ['@AirSocial_ES ¿dónde está mi maleta? 😤', 'es'],
      ['@AirSocial waar is mijn koffer? Ik wacht al twee dagen', 'nl'],
      ['@AirSocial onde está a minha mala? Ninguém responde', 'pt'],
    ];
    for (const [text, lang] of cases) expect(one(text).lang, text).toBe(lang);
  });

  it('a caller-provided language wins', () => {
    const r = one('merci beaucoup', 'de');
    expect(r.lang).toBe('de');
    expect(r.explain.lang.features).toEqual(['given']);
    expect(one('merci beaucoup', 'FR-ca').lang).toBe('fr');
  });
});

describe('result shape', () => {
  it('fills every field with labels from the contract and explanations', () => {
    const r = one('@AirSocial flight delayed 4 hours, missed my connection, please call me on +33 6 12 34 56 78');
    expect(SENTIMENTS).toContain(r.sentiment);
    expect(INTENTS).toContain(r.intent);
    expect(URGENCIES).toContain(r.urgency);
    expect(r.sentimentScore).toBeGreaterThanOrEqual(-1);
    expect(r.sentimentScore).toBeLessThanOrEqual(1);
    expect(r.pii.map((p) => p.kind)).toEqual(['phone']);
    expect(r.explain.sentiment.features.length).toBeGreaterThan(0);
    expect(r.explain.topics[0]?.topic).toBe(r.topics[0]);
    expect(r.explain.topics[0]?.features.length).toBeGreaterThan(0);
    for (const e of [r.explain.lang, r.explain.sentiment, r.explain.intent, r.explain.urgency, r.explain.team]) {
      expect(e.confidence).toBeGreaterThanOrEqual(0);
      expect(e.confidence).toBeLessThanOrEqual(1);
    }
    expect(r.model).toBe(triager.model);
  });

  it('copes with empty, huge and odd inputs', () => {
    const rs = triager.triage([
      { text: '' },
      { text: '🙂🙂🙂' },
      { text: 'a'.repeat(20_000) },
      { text: '@a @b @c http://x.y' },
    ]);
    expect(rs).toHaveLength(4);
    for (const r of rs) expect(SENTIMENTS).toContain(r.sentiment);
  });

  it('is deterministic across calls and loads', async () => {
    const texts = parseChecks().map((c) => ({ text: c.text }));
    const a = JSON.stringify(triager.triage(texts));
    const b = JSON.stringify(triager.triage(texts));
    const other = await loadTriager();
    const c = JSON.stringify(other.triage(texts));
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('triages a batch of 1,000 tweets quickly', () => {
    const texts = Array.from({ length: 1000 }, (_, i) => ({
      text: `@AirSocial flight AS${i} delayed ${i % 9} hours, thanks for nothing #fail`,
    }));
    const t0 = performance.now();
    triager.triage(texts);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('taxonomy as data', () => {
  it('uses an organization taxonomy with its own topics and teams', async () => {
    const taxonomy = parseTaxonomy({
      name: 'telecom',
      topics: [
        {
          id: 'network',
          keywords: { en: 'no signal|signal|network|4g|5g|coverage', fr: 'réseau|pas de réseau|couverture' },
        },
        { id: 'billing', keywords: { en: 'bill|invoice|charged', fr: 'facture|facturé|prélèvement' } },
      ],
      teams: ['support', 'billing_team'],
      defaultTeam: 'support',
      teamRules: [{ team: 'billing_team', topics: ['billing'], reason: 'billing topic' }],
    });
    const t = await loadTriager({ taxonomy });
    const [a, b] = t.triage([
      { text: 'No signal at home since Monday, 5G coverage is a joke' },
      { text: 'Ma facture est fausse, facturé deux fois' },
    ]);
    expect(a!.topics[0]).toBe('network');
    expect(a!.team).toBe('support');
    expect(b!.topics[0]).toBe('billing');
    expect(b!.team).toBe('billing_team');
  });
});

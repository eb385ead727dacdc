import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTriager, type Triager } from './index.ts';
import { type LearnExample, learn } from './learn.ts';
import type { ModelManifest } from './model.ts';

/**
 * A synthetic organization: its customers talk about "SkyLounge" passes (its lounge product, which
 * it files under `loyalty`) and use the slang "zorped" for a ruined trip (negative). The shipped model
 * knows neither.
 */
function corrections(): LearnExample[] {
  const who = ['@AirSocial', '@AirSocial hi', 'Hello @AirSocial', ''];
  const lounge = [
    'my SkyLounge pass was refused at the door',
    'the SkyLounge app shows my pass as inactive',
    'SkyLounge entry denied even though I renewed',
    'is the SkyLounge open in terminal 2 tonight',
    'my SkyLounge renewal has not arrived',
    'SkyLounge pass not recognised by the scanner',
    'can I bring a guest into the SkyLounge',
    'the SkyLounge pass price went up again',
  ];
  const zorped = [
    'totally zorped my weekend',
    'zorped again, thanks a lot',
    'my trip got zorped',
    'you zorped our holiday',
    'zorped from start to end',
  ];
  const plain = [
    ['my flight is delayed by three hours', 'delay'],
    ['you lost my suitcase in Rome', 'baggage'],
    ['the flight got cancelled this morning', 'cancellation'],
    ['I was on hold for an hour with customer service', 'customer_service'],
  ] as const;
  const out: LearnExample[] = [];
  for (let i = 0; i < 48; i++) {
    out.push({ text: `${who[i % who.length]} ${lounge[i % lounge.length]} (${i})`.trim(), topics: ['loyalty'] });
  }
  for (let i = 0; i < 30; i++) {
    out.push({ text: `${who[i % who.length]} ${zorped[i % zorped.length]} #${i}`.trim(), sentiment: 'negative' });
  }
  for (let i = 0; i < 32; i++) {
    const [text, topic] = plain[i % plain.length]!;
    out.push({
      text: `${who[i % who.length]} ${text}, flight ${100 + i}`.trim(),
      topics: [topic],
      sentiment: 'negative',
    });
  }
  return out;
}

const probes = [
  'SkyLounge pass refused again at the entrance',
  'my SkyLounge pass does not work',
  'zorped my whole trip, well done',
  'how do I change my seat online?',
  'Thanks for the great flight!',
  'Mon vol est annulé, que faire ?',
  'You should add more vegan meals',
];

let dir: string;
let base: Triager;
let learned: Triager;
let result: Awaited<ReturnType<typeof learn>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'passeur-learn-test-'));
  base = await loadTriager();
  result = await learn(corrections(), { modelDir: join(dir, 'org') });
  learned = await loadTriager({ modelDir: join(dir, 'org') });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('learn', () => {
  it('writes a loadable organization model and reports held-back scores', () => {
    expect(existsSync(join(dir, 'org', 'manifest.json'))).toBe(true);
    expect(result.examples).toBe(110);
    expect(result.corrected).toEqual({ sentiment: 62, intent: 0, topics: 80, team: 0 });
    expect(result.adapted.sort()).toEqual(['sentiment', 'topics']);
    expect(result.heldOut.n).toBe(22);
    expect(result.heldOut.topics).toBeDefined();
    expect(result.heldOut.sentiment).toBeDefined();
    expect(learned.model).toBe(result.modelId);
  });

  it('improves the corrected fields', () => {
    const topics = result.heldOut.topics!;
    expect(topics.after.accuracy).toBeGreaterThan(topics.before.accuracy);
    expect(topics.after.accuracy).toBeGreaterThan(0.85);
    const [a, b, z] = learned.triage(probes.slice(0, 3).map((text) => ({ text })));
    expect(a!.topics[0]).toBe('loyalty');
    expect(b!.topics[0]).toBe('loyalty');
    expect(z!.sentiment).toBe('negative');
    const [a0] = base.triage([{ text: probes[0]! }]);
    expect(a0!.topics[0]).not.toBe('loyalty');
  });

  it('keeps the default behaviour of fields never corrected', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'org', 'manifest.json'), 'utf8')) as ModelManifest;
    const intent = manifest.heads.find((h) => h.name === 'intent');
    expect(intent?.source).toBe('base');
    const texts = probes.map((text) => ({ text }));
    const before = base.triage(texts);
    const after = learned.triage(texts);
    after.forEach((r, i) => {
      expect(r.intent).toBe(before[i]!.intent);
      expect(r.lang).toBe(before[i]!.lang);
      expect(r.pii).toEqual(before[i]!.pii);
    });
  });

  it('treats a missing field as "not corrected"', async () => {
    const only = corrections().filter((e) => e.sentiment === undefined); // topics only
    const out = join(dir, 'topics-only');
    const r = await learn(only, { modelDir: out });
    expect(r.adapted).toEqual(['topics']);
    const t = await loadTriager({ modelDir: out });
    const texts = probes.map((text) => ({ text }));
    const before = base.triage(texts);
    t.triage(texts).forEach((x, i) => {
      expect(x.sentiment).toBe(before[i]!.sentiment);
      expect(x.sentimentScore).toBe(before[i]!.sentimentScore);
    });
  });

  it('learns team corrections over the rules', async () => {
    const ex: LearnExample[] = [];
    for (let i = 0; i < 40; i++)
      ex.push({ text: `@AirSocial the SkyLounge staff were rude to me (${i})`, team: 'quality' });
    for (let i = 0; i < 20; i++) ex.push({ text: `@AirSocial my bag is lost, case ${i}`, team: 'customer_care' });
    const out = join(dir, 'teams');
    const r = await learn(ex, { modelDir: out });
    expect(r.adapted).toEqual(['team']);
    const t = await loadTriager({ modelDir: out });
    const [x] = t.triage([{ text: 'The SkyLounge staff were so rude tonight' }]);
    expect(x!.team).toBe('quality');
  });

  it('rejects labels outside the taxonomy', async () => {
    await expect(learn([{ text: 'x', topics: ['spaceships'] }], { modelDir: join(dir, 'bad') })).rejects.toThrow(
      /unknown topic/,
    );
    await expect(learn([{ text: 'x', sentiment: 'angry' as never }], { modelDir: join(dir, 'bad') })).rejects.toThrow(
      /unknown sentiment/,
    );
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'passeur');
const dir = mkdtempSync(join(tmpdir(), 'passeur-cli-triage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function passeur(args: string[], input?: string) {
  const r = spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', input, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONTRACT_KEYS = [
  'id',
  'lang',
  'sentiment',
  'sentiment_score',
  'intent',
  'topics',
  'urgency',
  'team',
  'sensitive',
];

describe('passeur triage', () => {
  it('answers every line in order, with errors in place, and exits 0', () => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          id: 'a1',
          text: 'mon vol a 3 h de retard, je vais rater ma correspondance, que faire ?',
          channel: 'x',
        }),
        '{"id": "broken", "text": ',
        '',
        JSON.stringify({ id: 'b2' }),
        JSON.stringify({ text: 'no id here' }),
        JSON.stringify({
          id: 'c3',
          text: 'Thank you for the lovely flight!',
          lang: 'en',
          created_at: '2026-01-01T10:00:00Z',
        }),
        '   ',
        JSON.stringify({ id: 7, text: 'numeric id' }),
        JSON.stringify({ id: 'd4', text: 'Mein Koffer ist verloren gegangen' }),
        '',
      ].join('\n'),
    );
    const r = passeur(['triage', '--in', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(7);
    expect(lines.map((l) => l.id)).toEqual(['a1', undefined, 'b2', undefined, 'c3', 7, 'd4']);
    const ok = [lines[0]!, lines[4]!, lines[6]!];
    for (const l of ok) {
      expect(Object.keys(l).slice(0, CONTRACT_KEYS.length)).toEqual(CONTRACT_KEYS);
      expect(l.error).toBeUndefined();
    }
    expect(lines[0]).toMatchObject({ lang: 'fr', sentiment: 'negative', intent: 'question', urgency: 'high' });
    expect((lines[0]!.topics as string[])[0]).toBe('delay');
    expect(lines[4]).toMatchObject({ lang: 'en', sentiment: 'positive', intent: 'praise', team: 'marketing' });
    expect(lines[6]).toMatchObject({ lang: 'de' });
    for (const i of [1, 2, 3, 5]) expect(typeof lines[i]!.error).toBe('string');
    expect(r.stderr).toMatch(/line 2: invalid JSON/);
    expect(r.stderr).toMatch(/line 4: missing or non-string "text"/);
    expect(r.stderr).toMatch(/line 5: missing "id"/);
    expect(r.stderr).toMatch(/line 8: "id" must be a string/);
  });

  it('writes to --out and streams large inputs in order', () => {
    const file = join(dir, 'big.jsonl');
    const n = 2500;
    writeFileSync(
      file,
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({ id: `m${i}`, text: `@AirSocial flight ${i} delayed again` }),
      ).join('\n'),
    );
    const out = join(dir, 'out.jsonl');
    const r = passeur(['triage', '--in', file, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const ids = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toHaveLength(n);
    expect(ids[0]).toBe('m0');
    expect(ids[n - 1]).toBe(`m${n - 1}`);
    expect(ids.every((id, i) => id === `m${i}`)).toBe(true);
  });

  it('explains usage errors', () => {
    expect(passeur(['triage']).code).toBe(2);
    expect(passeur(['triage', '--in', join(dir, 'missing.jsonl')]).code).toBe(1);
    expect(passeur(['triage', '--bogus']).code).toBe(2);
  });
});

describe('passeur learn', () => {
  it('trains from corrections and the model is used by triage --model-dir', () => {
    const file = join(dir, 'corrections.jsonl');
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++)
      rows.push({ text: `@AirSocial my SkyLounge pass was refused (${i})`, topics: ['loyalty'] });
    for (let i = 0; i < 20; i++)
      rows.push({ text: `@AirSocial flight ${i} delayed two hours`, sentiment: 'negative', topics: ['delay'] });
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`);
    const model = join(dir, 'model');
    const r = passeur(['learn', '--in', file, '--model-dir', model]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/line 61: invalid JSON/);
    expect(r.stdout).toMatch(/held-back scores on 12 examples/);
    expect(r.stdout).toMatch(/topics +main-topic accuracy/);
    const input = join(dir, 'probe.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'p', text: 'SkyLounge pass refused again' })}\n`);
    const t = passeur(['triage', '--in', input, '--model-dir', model]);
    expect(t.code).toBe(0);
    expect((JSON.parse(t.stdout) as { topics: string[] }).topics[0]).toBe('loyalty');
  });

  it('requires --in and --model-dir', () => {
    expect(passeur(['learn', '--in', 'x.jsonl']).code).toBe(2);
  });
});

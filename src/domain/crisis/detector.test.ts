import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTriager } from '../../triage/index.ts';
import { type Alert, CrisisDetector } from './detector.ts';
import { replay } from './replay.ts';

describe('crisis detector', () => {
  it('alerts within 60 s of a 5x surge in a small community, and stays quiet through a normal week', {
    timeout: 240_000,
  }, async () => {
    const onset = Date.parse('2026-03-07T10:17:00Z');
    const stream = replay({
      seed: 5,
      start: new Date('2026-03-01T00:00:00Z'),
      days: 7,
      communities: [
        { name: 'small-it', peakPerHour: 200, language: 'it' },
        { name: 'large-fr', peakPerHour: 1500, language: 'fr' },
      ],
      surge: { community: 'small-it', at: new Date(onset), minutes: 60, factor: 5 },
    });
    const triager = await loadTriager();
    const triaged = triager.triage(stream.map((m) => ({ text: m.text })));
    const detector = new CrisisDetector();
    const alerts: Alert[] = [];
    for (const [i, m] of stream.entries())
      alerts.push(...detector.push({ ...m, negative: triaged[i]!.sentiment === 'negative' }));
    const surge = alerts.filter(
      (a) => a.community === 'small-it' && Date.parse(a.at) >= onset && Date.parse(a.at) < onset + 3_600_000,
    );
    const falseAlarms = alerts.filter((a) => !surge.includes(a));
    expect(surge.length).toBeGreaterThan(0);
    expect(Date.parse(surge[0]!.at) - onset).toBeLessThanOrEqual(60_000);
    expect(falseAlarms.length).toBeLessThanOrEqual(1);
    // The evidence says what happened: counts against the expected, sample messages, and the new words.
    expect(surge[0]!.evidence).toMatchObject({
      observed: expect.any(Number),
      expected: expect.any(Number),
      sample_ids: expect.any(Array),
    });
    const words = JSON.stringify(surge.map((a) => a.evidence.terms ?? []));
    expect(words).toMatch(/vulcan|cener|nube/);
  });

  it('raises a small community on a handful of messages sharing a word it has never used, not on a usual word', () => {
    // Six hours of two messages a minute, drawn from a fixed vocabulary, then four messages within 40 s.
    const start = Date.parse('2026-03-02T08:00:00Z');
    const vocabulary = ['bagaglio perso', 'rimborso biglietto', 'ritardo volo', 'posto finestrino', 'cibo bordo'];
    const run = (burst: string) => {
      const d = new CrisisDetector();
      const out: Alert[] = [];
      let i = 0;
      for (let t = start; t < start + 6 * 3_600_000; t += 30_000)
        out.push(...d.push({ id: `n${i}`, text: `${vocabulary[i++ % vocabulary.length]} ${i % 7}`, at: t }));
      const onset = start + 6 * 3_600_000;
      for (let j = 0; j < 4; j++)
        out.push(...d.push({ id: `b${j}`, text: `${burst} ${j}`, at: onset + 5_000 + j * 10_000 }));
      return out.filter((a) => Date.parse(a.at) >= onset);
    };
    const novel = run('vulcano nube cenere');
    expect(novel).toHaveLength(1);
    expect(novel[0]!.kind).toBe('volume');
    expect(JSON.stringify(novel[0]!.evidence.terms)).toContain('"term":"vulcano","count":4');
    expect(run('ritardo volo')).toEqual([]);
  });

  it('is deterministic', () => {
    const run = () => {
      const d = new CrisisDetector();
      const out: Alert[] = [];
      for (let i = 0; i < 3000; i++) {
        const at = Date.parse('2026-03-01T00:00:00Z') + (i < 2800 ? i * 20_000 : 2800 * 20_000 + (i - 2800) * 500);
        out.push(
          ...d.push({
            id: String(i),
            text: i >= 2800 ? 'volcan nuage de cendres vol annulé' : `message ${i % 17}`,
            at,
          }),
        );
      }
      return out;
    };
    const a = run();
    expect(a.length).toBeGreaterThan(0);
    expect(run()).toEqual(a);
  });
});

describe('passeur detect (contract)', () => {
  it('reads a cold stream, reports bad lines, and prints one JSON line per alert', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-detect-'));
    const file = path.join(dir, 'stream.jsonl');
    const start = Date.parse('2026-04-15T12:00:00Z');
    const lines: string[] = [];
    // Two quiet hours, then a burst of volcano messages.
    for (let i = 0; i < 240; i++) {
      lines.push(
        JSON.stringify({
          id: `n${i}`,
          text: `Question ${i % 9} sur mon vol, merci`,
          created_at: new Date(start + i * 30_000).toISOString(),
          community: 'fr',
        }),
      );
    }
    lines.push('not json', JSON.stringify({ id: 'x', text: 'no date' }));
    for (let i = 0; i < 60; i++) {
      lines.push(
        JSON.stringify({
          id: `v${i}`,
          text: 'Le volcan et le nuage de cendres : mon vol est annulé, que faire ?',
          created_at: new Date(start + 7_200_000 + i * 2_000).toISOString(),
          community: 'fr',
        }),
      );
    }
    fs.writeFileSync(file, lines.join('\n'));
    const r = spawnSync('bin/passeur', ['detect', '--in', file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('stream.jsonl:241: skipped: not valid JSON');
    expect(r.stderr).toContain('stream.jsonl:242: skipped: missing "created_at"');
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Alert);
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      expect(a.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(['volume', 'negative_share', 'new_terms']).toContain(a.kind);
      expect(a.community).toBe('fr');
      expect(typeof a.score).toBe('number');
    }
    const first = Date.parse(alerts[0]!.at) - (start + 7_200_000);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(60_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

import { describe, expect, it } from 'vitest';
import { playbookSchema, VOLCANIC_ASH_PLAYBOOK } from './playbook.ts';
import { type CrisisReport, reportCsv } from './room.ts';

describe('crisis playbooks', () => {
  it('validates the demo playbook and fills the defaults', () => {
    const p = playbookSchema.parse(VOLCANIC_ASH_PLAYBOOK);
    expect(p.holding_statements.map((h) => h.language).sort()).toEqual(['de', 'en', 'fr', 'it']);
    expect(p.routing_rules.every((r) => r.id.startsWith('crisis-') && r.continue)).toBe(true);
    expect(playbookSchema.parse({ slug: 'strike', name: 'Strike', holding_statements: [] }).notify).toEqual({
      roles: ['leader'],
      teams: [],
      emails: [],
    });
  });

  it('refuses a playbook with a bad routing rule or email', () => {
    expect(() =>
      playbookSchema.parse({
        ...VOLCANIC_ASH_PLAYBOOK,
        routing_rules: [{ id: 'x', name: 'x', actions: { priority: 'asap' } }],
      }),
    ).toThrow();
    expect(() => playbookSchema.parse({ ...VOLCANIC_ASH_PLAYBOOK, task_force: ['not an email'] })).toThrow();
  });
});

describe('crisis report CSV', () => {
  it('quotes cells and defuses spreadsheet formulas', () => {
    const w = {
      from: 'a',
      to: 'b',
      messages: 1,
      negative: 0,
      negative_share: 0,
      cases: 1,
      answered: 1,
      median_first_response_s: 60,
      p90_first_response_s: 60,
    };
    const csv = reportCsv({
      crisis: {
        id: 1,
        title: '=HYPERLINK("x"), "ash"',
        playbook: 'p',
        status: 'stood_down',
        declared_at: 'd',
        stood_down_at: null,
        community_ids: [],
      },
      windows: { before: w, during: w, after: w },
      volumes: { bucket_minutes: 5, series: [] },
      top_issues: [{ topic: 'refund', n: 3 }],
      deflected: 2,
      timeline: [],
      changes: [],
    } as CrisisReport);
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(`1,"'=HYPERLINK(""x""), ""ash""",p,stood_down,d,,2`);
    expect(csv).toContain('top_issue,messages\r\nrefund,3');
  });
});

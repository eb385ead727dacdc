import { describe, expect, it } from 'vitest';
import type { Rule } from '../../api.ts';
import { cleanRule, localProblems, moveRule, newRuleId, ruleIndexOfField, samePolicy, stableJson } from './routing.ts';

const rule = (id: string, extra: Partial<Rule> = {}): Rule => ({
  id,
  name: id,
  enabled: true,
  when: {},
  actions: {},
  continue: false,
  ...extra,
});

describe('routing editor helpers', () => {
  it('gives new rules an unused id', () => {
    expect(newRuleId([])).toBe('rule-1');
    expect(newRuleId([rule('rule-2'), rule('x')])).toBe('rule-3');
    expect(newRuleId([rule('rule-2'), rule('rule-3')])).toBe('rule-4');
  });

  it('moves rules up and down, staying in bounds', () => {
    const list = ['a', 'b', 'c'];
    expect(moveRule(list, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveRule(list, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(list, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveRule(list, 2, 1)).toEqual(['a', 'b', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });

  it('drops empty conditions and actions before saving', () => {
    const r = cleanRule(
      rule('r', {
        name: '  Delays  ',
        when: { topics: [], keywords: ['retard'], regex: '  ', time: { from: '08:00', to: '18:00', days: [] } },
        actions: { tags: [], team: 'customer_care', reassign_after_minutes: 0, auto_acknowledge: false },
      }),
    );
    expect(r).toEqual({
      id: 'r',
      name: 'Delays',
      enabled: true,
      when: { keywords: ['retard'], time: { from: '08:00', to: '18:00' } },
      actions: { team: 'customer_care' },
      continue: false,
    });
  });

  it('compares policies whatever the order of their fields', () => {
    const a = [rule('a', { when: { topics: ['delay'], languages: ['fr'] } })];
    const b = [
      {
        continue: false,
        actions: {},
        when: { languages: ['fr'], topics: ['delay'] },
        enabled: true,
        name: 'a',
        id: 'a',
      },
    ];
    expect(samePolicy(a, b)).toBe(true);
    expect(samePolicy(a, [rule('a', { enabled: false, when: { topics: ['delay'], languages: ['fr'] } })])).toBe(false);
    expect(stableJson({ b: 1, a: [2, { d: 1, c: 0 }] })).toBe('{"a":[2,{"c":0,"d":1}],"b":1}');
  });

  it('finds the rule a server error is about', () => {
    expect(ruleIndexOfField('rules.3.when.regex')).toBe(3);
    expect(ruleIndexOfField('rules.12')).toBe(12);
    expect(ruleIndexOfField('rules')).toBeNull();
    expect(ruleIndexOfField('note')).toBeNull();
    expect(ruleIndexOfField(undefined)).toBeNull();
  });

  it('spots blank names before the server does', () => {
    expect([...localProblems([rule('a'), rule('b', { name: ' ' })])]).toEqual([[1, 'name']]);
  });
});

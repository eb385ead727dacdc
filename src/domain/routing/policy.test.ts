import { describe, expect, it } from 'vitest';
import { compileRule, evaluate, type Facts, policySchema, type Rule } from './policy.ts';

const base: Facts = {
  community: 'airsocial-fr',
  channel: 'sandbox',
  account: '@AirSocial',
  lang: 'fr',
  sentiment: 'negative',
  intent: 'question',
  topics: ['delay'],
  urgency: 'high',
  sensitive: [],
  text: 'Mon vol a 3 h de retard, je suis en fauteuil roulant à Genève',
  contactVip: false,
  repeatContact: false,
  localDay: 2,
  localMinutes: 9 * 60,
};

const rule = (over: Partial<Rule> & Pick<Rule, 'id' | 'actions'>): Rule => ({
  name: over.id,
  enabled: true,
  when: {},
  continue: false,
  ...over,
});

const run = (rules: Rule[], f: Partial<Facts> = {}) =>
  evaluate(policySchema.parse(rules).map(compileRule), { ...base, ...f });

describe('routing policy', () => {
  it('takes the first matching rule and explains why', () => {
    const r = run([
      rule({ id: 'ideas', when: { intents: ['suggestion'] }, actions: { team: 'innovation' } }),
      rule({
        id: 'delays',
        name: 'Delays → Customer care',
        when: { topics: ['delay', 'cancellation'] },
        actions: { team: 'customer_care' },
      }),
      rule({ id: 'default', actions: { team: 'quality' } }),
    ]);
    expect(r.matches.map((m) => m.rule.id)).toEqual(['delays']);
    expect(r.matches[0]!.reasons).toEqual(['topic delay']);
    expect(r.actions.team).toBe('customer_care');
  });

  it('lets continue-rules add tags and priority that later rules refine', () => {
    const r = run(
      [
        rule({ id: 'vip', when: { contact_vip: true }, actions: { priority: 'high', tags: ['vip'] }, continue: true }),
        rule({
          id: 'a11y',
          when: { keywords: ['fauteuil roulant'] },
          actions: { tags: ['accessibility'] },
          continue: true,
        }),
        rule({ id: 'default', actions: { team: 'customer_care', assign: 'least_loaded' } }),
      ],
      { contactVip: true },
    );
    expect(r.matches.map((m) => m.rule.id)).toEqual(['vip', 'a11y', 'default']);
    expect(r.actions).toMatchObject({ priority: 'high', tags: ['vip', 'accessibility'], team: 'customer_care' });
  });

  it('matches keywords as whole words, ignoring case and accents', () => {
    const rules = [rule({ id: 'k', when: { keywords: ['geneve'] }, actions: { team: 'x' } })];
    expect(run(rules).matches).toHaveLength(1);
    expect(run(rules, { text: 'GENÈVE !' }).matches).toHaveLength(1);
    expect(run(rules, { text: 'genevensis' }).matches).toHaveLength(0);
  });

  it('compares urgency by rank and sensitive flags by any', () => {
    const rules = [rule({ id: 'u', when: { urgency_at_least: 'high', sensitive: ['press', 'legal'] }, actions: {} })];
    expect(run(rules, { sensitive: ['legal'] }).matches).toHaveLength(1);
    expect(run(rules, { sensitive: ['legal'], urgency: 'normal' }).matches).toHaveLength(0);
    expect(run(rules, { urgency: 'critical' }).matches).toHaveLength(0);
  });

  it('handles time windows across midnight on the day they start', () => {
    const night = [rule({ id: 'n', when: { time: { from: '22:00', to: '06:00', days: [5] } }, actions: {} })];
    expect(run(night, { localDay: 5, localMinutes: 23 * 60 }).matches).toHaveLength(1);
    // Saturday 02:00 belongs to Friday night's window.
    expect(run(night, { localDay: 6, localMinutes: 2 * 60 }).matches).toHaveLength(1);
    expect(run(night, { localDay: 5, localMinutes: 2 * 60 }).matches).toHaveLength(0);
    expect(run(night, { localDay: 6, localMinutes: 23 * 60 }).matches).toHaveLength(0);
  });

  it('skips disabled rules and matches regexes case-insensitively', () => {
    const r = run(
      [
        rule({ id: 'off', enabled: false, actions: { team: 'a' } }),
        rule({ id: 're', when: { regex: 'AS\\d{3,4}' }, actions: { team: 'b' } }),
      ],
      { text: 'vol as1234' },
    );
    expect(r.matches.map((m) => m.rule.id)).toEqual(['re']);
  });

  it('refuses invalid policies with a reason', () => {
    const bad = (rules: unknown) => policySchema.safeParse(rules).success;
    expect(bad([])).toBe(false);
    expect(bad([rule({ id: 'a', actions: {} }), rule({ id: 'a', actions: {} })])).toBe(false);
    expect(bad([rule({ id: 'r', when: { regex: '(a+)+$' }, actions: {} })])).toBe(false);
    expect(bad([rule({ id: 'r', when: { regex: '[' }, actions: {} })])).toBe(false);
    expect(bad([{ id: 'x', name: 'x', actions: { team: 'a' }, when: { colour: 'red' } }])).toBe(false);
    expect(bad([rule({ id: 'ok', when: { time: { from: '25:00', to: '06:00' } }, actions: {} })])).toBe(false);
  });
});

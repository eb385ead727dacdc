import { describe, expect, it } from 'vitest';
import { AIRSOCIAL_GOVERNANCE } from '../../demo/governance.ts';
import {
  autonomyOf,
  checkGuidelines,
  type GuidelineInput,
  governanceSchema,
  type ReplyFacts,
  requiredApprovals,
} from './policy.ts';

const policy = governanceSchema.parse(AIRSOCIAL_GOVERNANCE);
const facts = (over: Partial<ReplyFacts> = {}): ReplyFacts => ({
  community: 'airsocial-fr',
  channel: 'sandbox',
  autonomy: 'standard',
  sensitive: [],
  urgency: 'normal',
  sentiment: 'neutral',
  caseTags: [],
  text: 'Bonjour, nous regardons votre dossier.',
  ...over,
});
const input = (text: string, over: Partial<GuidelineInput> = {}): GuidelineInput => ({
  community: 'airsocial-fr',
  text,
  visibility: 'public',
  customerLang: 'fr',
  replyLang: 'fr',
  ...over,
});

describe('approval rules', () => {
  it('lets routine replies and seniors through, and asks approval of trainees, sensitive cases and amounts', () => {
    expect(requiredApprovals(policy.approvals, facts()).requirement.approvals).toBe(0);
    expect(requiredApprovals(policy.approvals, facts({ autonomy: 'senior', sensitive: ['press'] })).rule?.id).toBe(
      'seniors',
    );
    const trainee = requiredApprovals(policy.approvals, facts({ autonomy: 'trainee' }));
    expect(trainee.rule?.id).toBe('trainees');
    expect(trainee.reasons).toEqual(['author autonomy trainee']);
    expect(trainee.requirement).toMatchObject({ approvals: 1, mode: 'any', sla_minutes: 30 });
    const press = requiredApprovals(policy.approvals, facts({ sensitive: ['press'] }));
    expect(press.requirement.approvals).toBe(2);
    expect(requiredApprovals(policy.approvals, facts({ caseTags: ['crisis'] })).rule?.id).toBe('crisis');
    const money = requiredApprovals(
      policy.approvals,
      facts({ text: 'Nous vous proposons un dédommagement de 150 CHF.' }),
    );
    expect(money.rule?.id).toBe('compensation');
    expect(money.reasons.join(' ')).toContain('150 CHF');
    // A refund without an amount is routine (the canned replies mention refunds).
    expect(requiredApprovals(policy.approvals, facts({ text: 'Nous allons vous rembourser.' })).rule?.id).toBe(
      'routine',
    );
  });

  it('takes a person’s autonomy in a community from the policy before their own level', () => {
    const luca = { email: 'Luca@airsocial.example', autonomy: 'standard' };
    expect(autonomyOf(policy, luca, 'airsocial-en')).toBe('trainee');
    expect(autonomyOf(policy, luca, 'airsocial-it')).toBe('standard');
    expect(autonomyOf(policy, { email: 'x@y.example', autonomy: 'bogus' }, 'airsocial-it')).toBe('standard');
  });
});

describe('guidelines', () => {
  const kinds = (text: string, over: Partial<GuidelineInput> = {}) =>
    checkGuidelines(policy.guidelines, input(text, over)).map((f) => `${f.guideline}:${f.severity}`);

  it('finds each kind of problem, blocks first', () => {
    expect(kinds('Bonjour, nous regardons votre dossier.')).toEqual([]);
    expect(kinds('Chez AlpJet ce serait pire.')).toEqual(['confidential:block']);
    expect(kinds('Écrivez à jeanne.dupont@example.com')).toEqual(['pii:block']);
    expect(kinds('Écrivez à jeanne.dupont@example.com', { visibility: 'private' })).toEqual([]);
    expect(kinds('NOUS AVONS DÉJÀ RÉPONDU À VOTRE QUESTION')).toEqual(['shouting:warn']);
    expect(kinds('C’est votre faute, pas la nôtre.')).toEqual(['blame:warn']);
    expect(kinds('Voir https://evil.example/x et https://www.airsocial.example/ok')).toEqual(['links:warn']);
    expect(kinds('Voir https://help.airsocial.example/ok')).toEqual([]);
    expect(kinds('Wir kümmern uns darum.', { replyLang: 'de' })).toEqual(['language:warn']);
    expect(kinds('Wir kümmern uns darum.', { replyLang: 'und' })).toEqual([]);
    expect(kinds('NOUS SOMMES CHEZ ALPJET AUJOURD’HUI')).toEqual(['confidential:block', 'shouting:warn']);
  });

  it('applies a guideline only to its communities, with its own message and severity', () => {
    const custom = governanceSchema.parse({
      guidelines: [
        {
          id: 'de-only',
          kind: 'terms',
          severity: 'warn',
          communities: ['airsocial-de'],
          terms: ['Kulanz'],
          message: 'Nein',
        },
        { id: 'pii-warn', kind: 'pii', severity: 'warn' },
      ],
    }).guidelines;
    expect(checkGuidelines(custom, input('Aus Kulanz'))).toEqual([]);
    expect(checkGuidelines(custom, input('Aus Kulanz', { community: 'airsocial-de' }))).toEqual([
      { guideline: 'de-only', kind: 'terms', severity: 'warn', message: 'Nein' },
    ]);
    expect(checkGuidelines(custom, input('Appelez le +41 22 555 12 34'))[0]).toMatchObject({
      guideline: 'pii-warn',
      severity: 'warn',
      message: 'personal data in a public reply: phone',
    });
  });

  it('refuses duplicate ids and unknown fields', () => {
    expect(
      governanceSchema.safeParse({ guidelines: [{ id: 'a', kind: 'pii', severity: 'block', x: 1 }] }).success,
    ).toBe(false);
    const dup = { id: 'a', name: 'A', require: { approvals: 0 } };
    expect(governanceSchema.safeParse({ approvals: [dup, dup] }).success).toBe(false);
  });
});

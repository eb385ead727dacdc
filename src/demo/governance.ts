import type { GovernancePolicyInput } from '../domain/governance/policy.ts';

const APPROVERS = ['approver', 'manager', 'leader'] as const;

/**
 * The demo organization's governance: seniors reply freely; trainees (Sophie, Tom, and Luca on the English
 * desk) have every reply approved; press and legal replies need two approvals; crisis signals, other sensitive
 * cases and compensation with an amount need one. Guidelines keep confidential matters, competitors and
 * internal codes out, refuse personal data in public replies and warn about tone, links and language.
 */
export const AIRSOCIAL_GOVERNANCE: GovernancePolicyInput = {
  autonomy: [{ person: 'luca@airsocial.example', community: 'airsocial-en', level: 'trainee' }],
  approvals: [
    {
      id: 'seniors',
      name: 'Senior staff reply freely',
      when: { autonomy: ['senior'] },
      require: { approvals: 0 },
    },
    {
      id: 'trainees',
      name: 'Trainees: every reply is approved',
      when: { autonomy: ['trainee'] },
      require: { approvals: 1, from: { roles: [...APPROVERS] }, sla_minutes: 30 },
    },
    {
      id: 'crisis',
      name: 'Crisis signal',
      when: { crisis: true },
      require: { approvals: 1, from: { roles: ['approver', 'leader'] }, sla_minutes: 15 },
    },
    {
      id: 'press-legal',
      name: 'Press and legal: two approvals',
      when: { sensitive: ['press', 'legal'] },
      require: { approvals: 2, from: { roles: [...APPROVERS] }, sla_minutes: 60 },
    },
    {
      id: 'sensitive',
      name: 'Other sensitive cases',
      when: { sensitive: ['discrimination', 'data_privacy', 'safety', 'death_injury'] },
      require: { approvals: 1, from: { roles: [...APPROVERS] }, sla_minutes: 60 },
    },
    {
      id: 'compensation',
      name: 'Compensation with an amount',
      when: { promises: true, amounts: true },
      require: { approvals: 1, from: { roles: [...APPROVERS] }, sla_minutes: 60 },
    },
    { id: 'routine', name: 'Routine replies go straight out', require: { approvals: 0 } },
  ],
  guidelines: [
    {
      id: 'confidential',
      kind: 'terms',
      severity: 'block',
      terms: [
        'confidentiel',
        'vertraulich',
        'riservato',
        'confidential',
        'SkyRival',
        'AlpJet',
        'code OPS',
        'procédure interne',
        'interne Anweisung',
        'procedura interna',
      ],
      message: 'Confidential matters, competitors and internal codes never appear in a reply',
    },
    { id: 'pii', kind: 'pii', severity: 'block' },
    { id: 'shouting', kind: 'all_caps', severity: 'warn' },
    { id: 'blame', kind: 'blame', severity: 'warn' },
    { id: 'links', kind: 'links', severity: 'warn', domains: ['airsocial.example'] },
    { id: 'language', kind: 'language', severity: 'warn' },
  ],
};

import { describe, expect, it } from 'vitest';
import { canAnswerConsult, canAskConsult, canReadAudit, canReadConsultKpi } from '../access/policy.ts';
import type { PersonPrincipal, TokenPrincipal } from '../access/principal.ts';
import type { Role } from '../organization/definition.ts';

const person = (role: Role, communities: number[], teamIds: number[] = [], id = 1): PersonPrincipal => ({
  kind: 'person',
  id,
  orgId: 1,
  name: 'P',
  email: 'p@example.com',
  role,
  languages: [],
  locale: 'en',
  timezone: 'UTC',
  autonomy: 'standard',
  communityIds: new Set(communities),
  teamIds,
  sessionId: 's',
});
const token: TokenPrincipal = { kind: 'token', id: 1, orgId: 1, name: 't', scopes: new Set(['cases:read']) };

describe('consult and audit access rules', () => {
  it('lets only people who work the case ask', () => {
    expect(canAskConsult(person('manager', [3]), 3)).toBe(true);
    expect(canAskConsult(person('manager', [3]), 4)).toBe(false);
    expect(canAskConsult(person('viewer', [3]), 3)).toBe(false);
    expect(canAskConsult(person('expert', [3]), 3)).toBe(false);
    expect(canAskConsult(token, 3)).toBe(false);
  });

  it('lets the asked person or a member of the asked team answer, whatever their role', () => {
    const toMarc = { expert_person_id: 7, expert_team_id: null };
    const toQuality = { expert_person_id: null, expert_team_id: 4 };
    expect(canAnswerConsult(person('expert', [], [], 7), toMarc)).toBe(true);
    expect(canAnswerConsult(person('expert', [], [], 8), toMarc)).toBe(false);
    expect(canAnswerConsult(person('leader', [1, 2, 3], [], 8), toMarc)).toBe(false);
    expect(canAnswerConsult(person('approver', [], [4], 9), toQuality)).toBe(true);
    expect(canAnswerConsult(person('expert', [], [5], 9), toQuality)).toBe(false);
    expect(canAnswerConsult(token, toMarc)).toBe(false);
  });

  it('shows the turnaround KPI to leaders, managers and viewers, the audit log to leaders', () => {
    expect((['leader', 'manager', 'viewer'] as Role[]).every((r) => canReadConsultKpi(person(r, [])))).toBe(true);
    expect((['backup', 'expert', 'approver'] as Role[]).some((r) => canReadConsultKpi(person(r, [])))).toBe(false);
    expect(canReadAudit(person('leader', []))).toBe(true);
    expect(canReadAudit(person('manager', [1]))).toBe(false);
    expect(canReadAudit(token)).toBe(false);
  });
});

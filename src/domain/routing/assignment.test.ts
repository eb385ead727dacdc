import { describe, expect, it } from 'vitest';
import { type Candidate, pickAssignee } from './assignment.ts';

const person = (id: number, over: Partial<Candidate> = {}): Candidate => ({
  id,
  name: `P${id}`,
  languages: ['fr'],
  skills: [],
  communityIds: new Set([1]),
  capacity: 10,
  load: 0,
  lastAssignedAt: 0,
  onDuty: true,
  ...over,
});
const now = new Date('2026-12-01T08:00:00Z');
const need = { communityId: 1, language: 'fr', skills: [] as string[], strategy: 'least_loaded' as const };

describe('assignment', () => {
  it('picks the least loaded person on duty who speaks the language', () => {
    const people = [
      person(1, { load: 3 }),
      person(2, { load: 1 }),
      person(3, { load: 0, onDuty: false }),
      person(4, { load: 0, languages: ['de'] }),
    ];
    const pick = pickAssignee(people, need, now);
    expect(pick.person?.id).toBe(2);
    expect(pick.reason).toContain('lowest load (1 open)');
  });

  it('spreads a batch: each pick counts at once', () => {
    const people = [person(1), person(2)];
    const ids = [1, 2, 3, 4].map(() => pickAssignee(people, need, now).person!.id);
    expect(ids.sort()).toEqual([1, 1, 2, 2]);
  });

  it('takes turns in round-robin, regardless of load', () => {
    const people = [person(1, { load: 0, lastAssignedAt: 50 }), person(2, { load: 9, lastAssignedAt: 10 })];
    expect(pickAssignee(people, { ...need, strategy: 'round_robin' }, now).person?.id).toBe(2);
  });

  it('respects skills and capacity, and says why nobody fits', () => {
    expect(pickAssignee([person(1, { load: 10 })], need, now)).toEqual({
      person: null,
      reason: 'everyone eligible is at capacity',
    });
    expect(pickAssignee([person(1)], { ...need, skills: ['accessibility'] }, now).reason).toContain(
      'skills accessibility',
    );
    expect(pickAssignee([person(1, { onDuty: false })], need, now).reason).toBe('nobody of this community is on duty');
    expect(pickAssignee([person(1, { communityIds: new Set([2]) })], need, now).reason).toBe(
      'nobody works in this community',
    );
    expect(
      pickAssignee([person(1, { skills: ['accessibility'] })], { ...need, skills: ['accessibility'] }, now).person?.id,
    ).toBe(1);
  });
});

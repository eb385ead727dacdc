import { describe, expect, it } from 'vitest';
import type { Role } from '../organization/definition.ts';
import {
  canEditCannedReply,
  canEditContact,
  canManageWebhooks,
  canMergeContacts,
  canReadCannedReplies,
  canSaveViews,
  canWriteLinkStatus,
} from './policy.ts';
import type { PersonPrincipal, TokenPrincipal } from './principal.ts';

const person = (role: Role, communities: number[]): PersonPrincipal => ({
  kind: 'person',
  id: 1,
  orgId: 1,
  name: 'P',
  email: 'p@example.com',
  role,
  languages: [],
  locale: 'en',
  timezone: 'UTC',
  autonomy: 'standard',
  communityIds: new Set(communities),
  teamIds: [],
  sessionId: 's',
});
const token = (scopes: string[]): TokenPrincipal => ({
  kind: 'token',
  id: 1,
  orgId: 1,
  name: 't',
  scopes: new Set(scopes),
});

describe('case-handling access rules', () => {
  it('lets everyone with an inbox save views, and everyone who works cases read canned replies', () => {
    expect(canSaveViews(person('viewer', [1]))).toBe(true);
    expect(canSaveViews(person('expert', []))).toBe(false);
    expect(canSaveViews(token(['cases:read']))).toBe(false);
    expect(canReadCannedReplies(person('backup', [1]))).toBe(true);
    expect(canReadCannedReplies(person('viewer', [1]))).toBe(false);
  });

  it('lets leaders edit every canned reply and managers those of their communities only', () => {
    expect(canEditCannedReply(person('leader', [1]), null)).toBe(true);
    expect(canEditCannedReply(person('manager', [1]), 1)).toBe(true);
    expect(canEditCannedReply(person('manager', [1]), 2)).toBe(false);
    expect(canEditCannedReply(person('manager', [1]), null)).toBe(false);
    expect(canEditCannedReply(person('backup', [1]), 1)).toBe(false);
  });

  it('lets people who work cases merge customers they can both see, and edit those they work', () => {
    expect(canMergeContacts(person('manager', [1, 2]), [1], [2])).toBe(true);
    expect(canMergeContacts(person('manager', [1]), [1], [2])).toBe(false);
    expect(canMergeContacts(person('viewer', [1, 2]), [1], [2])).toBe(false);
    expect(canEditContact(person('backup', [1]), [2, 1])).toBe(true);
    expect(canEditContact(person('viewer', [1]), [1])).toBe(false);
  });

  it('keeps link statuses to integrations with links:write, and webhooks to leaders', () => {
    expect(canWriteLinkStatus(token(['links:write']))).toBe(true);
    expect(canWriteLinkStatus(token(['ingest', 'cases:read']))).toBe(false);
    expect(canWriteLinkStatus(person('leader', [1]))).toBe(false);
    expect(canManageWebhooks(person('leader', []))).toBe(true);
    expect(canManageWebhooks(person('manager', [1]))).toBe(false);
  });
});

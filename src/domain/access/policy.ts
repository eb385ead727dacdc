import type { Principal } from './principal.ts';

/**
 * Access rules, one small function each, all in this file, so the access-matrix test can enumerate them.
 * A person reaches a case through its community; roles decide what they may do there.
 */

const CASE_READERS = new Set(['leader', 'manager', 'backup', 'approver', 'viewer']);
/** The roles that read cases, for SQL that selects people (e.g. who may be notified about a case). */
export const CASE_READER_ROLES: readonly string[] = [...CASE_READERS];
const CASE_WRITERS = new Set(['leader', 'manager', 'backup', 'approver']);

export function canReadCommunity(p: Principal, communityId: number): boolean {
  if (p.kind === 'token') return p.scopes.has('cases:read');
  return CASE_READERS.has(p.role) && p.communityIds.has(communityId);
}

export function canWorkCase(p: Principal, communityId: number): boolean {
  if (p.kind === 'token') return false;
  return CASE_WRITERS.has(p.role) && p.communityIds.has(communityId);
}

export function canIngest(p: Principal): boolean {
  return p.kind === 'token' && p.scopes.has('ingest');
}

export function canUseInbox(p: Principal): boolean {
  return p.kind === 'person' && CASE_READERS.has(p.role);
}

export function canAdminister(p: Principal): boolean {
  return p.kind === 'person' && p.role === 'leader';
}

/** The communities whose cases a principal may list; `all` for integration tokens with read scope. */
export function readableCommunities(p: Principal): Set<number> | 'all' {
  if (p.kind === 'token') return p.scopes.has('cases:read') ? 'all' : new Set();
  return CASE_READERS.has(p.role) ? p.communityIds : new Set();
}

const REPORT_READERS = new Set(['leader', 'manager', 'viewer']);

/**
 * Reports: leaders read every community's, managers and viewers those of their communities (read-only: reports
 * change nothing); integration tokens with the cases:read scope read all (BI tools). Experts and others: none.
 */
export function reportCommunities(p: Principal): Set<number> | 'all' {
  if (p.kind === 'token') return p.scopes.has('cases:read') ? 'all' : new Set();
  return REPORT_READERS.has(p.role) ? p.communityIds : new Set();
}

export function canReadReports(p: Principal): boolean {
  return p.kind === 'token' ? p.scopes.has('cases:read') : REPORT_READERS.has(p.role);
}

/** Saved inbox views: anyone with an inbox keeps their own and sees the shared ones. */
export function canSaveViews(p: Principal): boolean {
  return canUseInbox(p);
}

/** Canned replies are read by everyone who works cases (the composer offers them). */
export function canReadCannedReplies(p: Principal): boolean {
  return p.kind === 'person' && CASE_WRITERS.has(p.role);
}

/**
 * Leaders edit every canned reply; managers edit those of the communities they work in, not the
 * organization-wide ones (community null).
 */
export function canEditCannedReply(p: Principal, communityId: number | null): boolean {
  if (p.kind !== 'person') return false;
  if (p.role === 'leader') return true;
  return p.role === 'manager' && communityId !== null && p.communityIds.has(communityId);
}

/** Merging two customers: a person who works cases and can read at least one case of each of them. */
export function canMergeContacts(p: Principal, sourceCommunities: number[], targetCommunities: number[]): boolean {
  if (p.kind !== 'person' || !CASE_WRITERS.has(p.role)) return false;
  return sourceCommunities.some((c) => canReadCommunity(p, c)) && targetCommunities.some((c) => canReadCommunity(p, c));
}

/** Vip flag and notes of a customer: a person who works at least one of the customer's cases. */
export function canEditContact(p: Principal, communities: number[]): boolean {
  return communities.some((c) => canWorkCase(p, c));
}

/** Integrations report the status of back-office records linked to cases. */
export function canWriteLinkStatus(p: Principal): boolean {
  return p.kind === 'token' && p.scopes.has('links:write');
}

/**
 * Approving a reply: a person named among the request's approvers (fixed when it was requested) who still
 * works in the case's community; never the reply's author.
 */
export function canApproveReply(
  p: Principal,
  r: { communityId: number; authorId: number; approverIds: readonly number[] },
): boolean {
  return p.kind === 'person' && p.id !== r.authorId && r.approverIds.includes(p.id) && canWorkCase(p, r.communityId);
}

/** Approval statistics (the cost of approvals): leaders and managers. */
export function canReadApprovalStats(p: Principal): boolean {
  return p.kind === 'person' && (p.role === 'leader' || p.role === 'manager');
}

/** Outgoing webhooks send case data to another system: leaders only. */
export function canManageWebhooks(p: Principal): boolean {
  return canAdminister(p);
}

/**
 * Whether a realtime event reaches a signed-in person: a notification only its recipients, anything else
 * everyone who reads the event's community.
 */
export function canReceiveEvent(
  p: Principal,
  e: { type: string; org_id: number; community_id: number; people?: number[] | undefined },
): boolean {
  if (p.kind !== 'person' || e.org_id !== p.orgId) return false;
  if (e.type === 'notification.created') return e.people?.includes(p.id) ?? false;
  return canReadCommunity(p, e.community_id);
}

/** Consults: asking one from a case is working the case. */
export function canAskConsult(p: Principal, communityId: number): boolean {
  return canWorkCase(p, communityId);
}

/**
 * Answering a consult: the asked person, or a member of the asked team, whatever their role (experts included).
 * They see only the consult (question, shared excerpt, the case's language and topics), never the case.
 */
export function canAnswerConsult(
  p: Principal,
  k: { expert_person_id: number | null; expert_team_id: number | null },
): boolean {
  if (p.kind !== 'person') return false;
  return k.expert_person_id === p.id || (k.expert_team_id !== null && p.teamIds.includes(k.expert_team_id));
}

/** Consult turnaround per team: leaders, managers and viewers. */
export function canReadConsultKpi(p: Principal): boolean {
  return p.kind === 'person' && (p.role === 'leader' || p.role === 'manager' || p.role === 'viewer');
}

/** Searching and exporting the audit log: leaders only. */
export function canReadAudit(p: Principal): boolean {
  return canAdminister(p);
}

/** The crisis page (alerts, crisis room, report): leaders and managers. */
export function canViewCrisis(p: Principal): boolean {
  return p.kind === 'person' && (p.role === 'leader' || p.role === 'manager');
}

/** Declaring a crisis, standing it down, dismissing an alert: leaders only. */
export function canDeclareCrisis(p: Principal): boolean {
  return canAdminister(p);
}

/** Exporting or erasing everything about a customer (GDPR access and erasure): leaders only. */
export function canHandlePersonalData(p: Principal): boolean {
  return canAdminister(p);
}

/** Coverage planning (gaps and forecast over the coming days): leaders and managers, for their communities. */
export function canPlanCoverage(p: Principal): boolean {
  return p.kind === 'person' && (p.role === 'leader' || p.role === 'manager');
}

/**
 * Declaring, changing or removing an absence: the person themselves, leaders for anyone, managers for someone
 * who works in one of their communities.
 */
export function canManageAbsence(p: Principal, person: { id: number; communityIds: readonly number[] }): boolean {
  if (p.kind !== 'person') return false;
  if (p.id === person.id || p.role === 'leader') return true;
  return p.role === 'manager' && person.communityIds.some((c) => p.communityIds.has(c));
}

/** Public holidays of the organization or of a community: leaders only. */
export function canManageHolidays(p: Principal): boolean {
  return canAdminister(p);
}

/** Coverage settings (off-duty policy, out-of-hours acknowledgement, paging): leaders change them. */
export function canManageCoverage(p: Principal): boolean {
  return canAdminister(p);
}

/** Reading coverage settings and what was sent out of hours: leaders, and managers for their communities. */
export function canReadCoverage(p: Principal, communityId: number): boolean {
  return p.kind === 'person' && (p.role === 'leader' || (p.role === 'manager' && p.communityIds.has(communityId)));
}

/** A person's backups: leaders and managers (managers for people of their communities, checked with the person). */
export function canManageBackups(p: Principal): boolean {
  return p.kind === 'person' && (p.role === 'leader' || p.role === 'manager');
}

/** Handover briefs: read by the people who read their community's cases (tokens: none, briefs are for people). */
export function canReadHandover(p: Principal, communityId: number): boolean {
  return p.kind === 'person' && canReadCommunity(p, communityId);
}

/** Generating, editing and publishing a community's handover brief: those who work its cases. */
export function canPrepareHandover(p: Principal, communityId: number): boolean {
  return canWorkCase(p, communityId);
}

/** Acknowledging a brief: someone who works the community's cases, other than the person who published it. */
export function canAcknowledgeHandover(p: Principal, b: { communityId: number; publishedBy: number | null }): boolean {
  return canWorkCase(p, b.communityId) && (p.kind !== 'person' || p.id !== b.publishedBy);
}

const POST_WRITERS = new Set(['leader', 'manager']);

/** Publishing: the calendar of a community is read by the people who read its cases (people only). */
export function canReadPosts(p: Principal, communityId: number): boolean {
  return p.kind === 'person' && canReadCommunity(p, communityId);
}

/** Writing, scheduling and cancelling posts: the leader and the community's managers (marketing, community). */
export function canWritePosts(p: Principal, communityId?: number): boolean {
  if (p.kind !== 'person' || !POST_WRITERS.has(p.role)) return false;
  return communityId === undefined || p.communityIds.has(communityId);
}

/** Pausing and resuming a community's scheduled posts: leaders (a declared crisis pauses them too). */
export function canPausePublishing(p: Principal): boolean {
  return canAdminister(p);
}

/**
 * Quality review: drawing samples of sent replies and reviewing them is for leaders, in the communities they lead
 * (a leader leads every community of the organization).
 */
export function canReviewQuality(p: Principal, communityId: number): boolean {
  return p.kind === 'person' && p.role === 'leader' && p.communityIds.has(communityId);
}

/** Quality scores per person and community: leaders, and managers for their communities. */
export function qualityScoreCommunities(p: Principal): Set<number> {
  if (p.kind !== 'person' || (p.role !== 'leader' && p.role !== 'manager')) return new Set();
  return p.communityIds;
}

/** Training: leaders for every community, managers for theirs, start sessions for others and read their practice. */
export function canLeadTraining(p: Principal, communityId: number): boolean {
  return p.kind === 'person' && (p.role === 'leader' || (p.role === 'manager' && p.communityIds.has(communityId)));
}

/** Practising on replays of a community's past cases: the people who could work its cases. */
export function canTrainIn(p: Principal, communityId: number): boolean {
  return canWorkCase(p, communityId);
}

/** A training session: read by its trainee and by those who lead training in its community. */
export function canReadTraining(p: Principal, s: { personId: number; communityId: number }): boolean {
  return p.kind === 'person' && (p.id === s.personId || canLeadTraining(p, s.communityId));
}

/** Scoring someone's training answer: those who lead training in its community, never the trainee. */
export function canScoreTraining(p: Principal, s: { personId: number; communityId: number }): boolean {
  return canLeadTraining(p, s.communityId) && p.kind === 'person' && p.id !== s.personId;
}

/**
 * The ideas and incidents backlog: every signed-in person reads it (Innovation and Quality members often work no
 * community); the cases behind an item are listed only where the reader may read them.
 */
export function canReadBacklog(p: Principal): boolean {
  return p.kind === 'person';
}

/** Changing an idea's or incident's status: members of its owner team (Innovation, Quality), and leaders. */
export function canDecideFeedback(p: Principal, ownerTeamId: number | null): boolean {
  if (p.kind !== 'person') return false;
  return p.role === 'leader' || (ownerTeamId !== null && p.teamIds.includes(ownerTeamId));
}

/** The advocates of a community (ranking, a contact's advocate history): people who read its cases. */
export function canReadAdvocates(p: Principal, communityId: number): boolean {
  return p.kind === 'person' && canReadCommunity(p, communityId);
}

/** Thanking and highlighting an advocate: people who work the community's cases. */
export function canThankAdvocate(p: Principal, communityId: number): boolean {
  return canWorkCase(p, communityId);
}

/** Leaving a contact out of a community's ranking (an employee, a troll), and back in: leaders only. */
export function canExcludeAdvocate(p: Principal, communityId: number): boolean {
  return canAdminister(p) && canWorkCase(p, communityId);
}

/**
 * Asking advocates to share the official sources of an active crisis: leaders and the crisis's task force (by
 * email, from the playbook as applied), in a community of the crisis they work.
 */
export function canAskAdvocates(
  p: Principal,
  crisis: { communityIds: readonly number[]; taskForce: readonly string[] },
  communityId: number,
): boolean {
  if (p.kind !== 'person' || !crisis.communityIds.includes(communityId) || !canWorkCase(p, communityId)) return false;
  return p.role === 'leader' || crisis.taskForce.some((e) => e.toLowerCase() === p.email.toLowerCase());
}

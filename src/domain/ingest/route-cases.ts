import type { Queryable } from '../../server/db/database.ts';
import type { TriageResult } from '../../triage/types.ts';
import type { Community, Directory } from '../organization/directory.ts';
import { loadCandidates, pickAssignee, recordAssignments } from '../routing/assignment.ts';
import type { Router } from '../routing/router.ts';
import { newCaseDeadlines, type SlaContext } from '../sla/deadlines.ts';
import { type InboundMessage, truncateText } from './model.ts';
import type { NewCaseRow } from './store.ts';

/** A new case as ingest planned it: its first message, triage, community and customer. */
export interface NewCasePlan {
  caseId: number;
  m: InboundMessage;
  triage: TriageResult;
  community: Community;
  accountId: number | null;
  communityReason: string;
  contactId: number;
  /** All messages of the batch that go into this case, oldest first. */
  messages: { m: InboundMessage; triage: TriageResult }[];
}

const REPEAT_WINDOW_DAYS = 30;

/**
 * Routes the new cases of a batch (inside its transaction): facts about their customers, the routing policy,
 * then assignment among the people on duty. Returns the rows to insert.
 */
export async function routeNewCases(
  tx: Queryable,
  directory: Directory,
  router: Router,
  sla: SlaContext,
  plans: NewCasePlan[],
  now: Date,
): Promise<{ rows: NewCaseRow[]; assigned: { caseId: number; personId: number }[] }> {
  if (plans.length === 0) return { rows: [], assigned: [] };
  const contactIds = [...new Set(plans.map((p) => p.contactId))];
  const facts = await tx.query<{ id: number; vip: boolean; repeat: boolean }>(
    `select ct.id, ct.vip,
       exists (select 1 from cases c where c.contact_id = ct.id
         and c.created_at > $2::timestamptz - make_interval(days => $3)) as repeat
     from contacts ct where ct.id = any($1::bigint[])`,
    [contactIds, now, REPEAT_WINDOW_DAYS],
  );
  const factOf = new Map(facts.rows.map((f) => [f.id, f]));
  const decisions = router.route(
    plans.map((p) => ({
      community: p.community,
      triage: p.triage,
      channel: p.m.channel,
      account: p.accountId === null ? null : (directory.accounts.get(p.accountId)?.handle ?? null),
      text: p.m.text,
      contactVip: factOf.get(p.contactId)?.vip ?? false,
      repeatContact: factOf.get(p.contactId)?.repeat ?? false,
      at: now,
    })),
  );

  const assigned: { caseId: number; personId: number }[] = [];
  const assigneeOf = new Map<number, number>();
  if (decisions.some((d) => d.assign !== 'none')) {
    const candidates = await loadCandidates(tx, directory.orgId, now);
    decisions.forEach((d, i) => {
      if (d.assign === 'none') return;
      const p = plans[i]!;
      const pick = pickAssignee(
        candidates,
        { communityId: p.community.id, language: p.triage.lang, skills: d.skills, strategy: d.assign },
        now,
      );
      d.explanation.assignment = pick.person ? `assigned to ${pick.reason}` : `left in the team queue: ${pick.reason}`;
      if (pick.person) {
        assigneeOf.set(p.caseId, pick.person.id);
        assigned.push({ caseId: p.caseId, personId: pick.person.id });
      }
    });
    await recordAssignments(
      tx,
      assigned.map((a) => a.personId),
      now,
    );
  }

  const rows = plans.map((p, i): NewCaseRow => {
    const d = decisions[i]!;
    const last = p.messages[p.messages.length - 1]!;
    const assignee = assigneeOf.get(p.caseId) ?? null;
    const deadlines = newCaseDeadlines(sla, p.community.id, d.priority, now);
    return {
      id: p.caseId,
      community_id: p.community.id,
      contact_id: p.contactId,
      priority: d.priority,
      team_id: d.teamId,
      assignee_id: assignee,
      assigned_at: assignee === null ? null : now.toISOString(),
      tags: d.tags,
      channel: p.m.channel,
      account_id: p.accountId ?? directory.accountOf(p.community.id, p.m.channel)?.id ?? null,
      language: p.triage.lang,
      subject: subjectOf(p.m),
      sentiment: last.triage.sentiment,
      intent: last.triage.intent,
      topics: last.triage.topics,
      urgency: last.triage.urgency,
      routing: {
        ...d.explanation,
        community: p.communityReason,
        ...(d.reassignAfterMinutes !== null ? { reassign_after_minutes: d.reassignAfterMinutes } : {}),
        ...(d.autoAcknowledge ? { auto_acknowledge: true } : {}),
      },
      message_count: p.messages.length,
      created_at: now.toISOString(),
      last_inbound_at: latest(
        p.messages.map((x) => x.m),
        now,
      ),
      sla_policy_id: deadlines.sla_policy_id,
      first_response_due_at: deadlines.first_response_due_at?.toISOString() ?? null,
      resolution_due_at: deadlines.resolution_due_at?.toISOString() ?? null,
      search_text: p.messages.map((x) => x.m.text).join(' '),
    };
  });
  return { rows, assigned };
}

const SUBJECT_LENGTH = 140;

function subjectOf(m: InboundMessage): string {
  const title = typeof m.meta?.title === 'string' ? m.meta.title : '';
  const text = (title || m.text).replace(/\s+/g, ' ').trim();
  return truncateText(text, SUBJECT_LENGTH);
}

/** The latest `created_at` of the messages (the time of receipt for those without one). */
export function latest(messages: InboundMessage[], now: Date): string {
  let max = '';
  for (const m of messages) {
    const at = m.created_at ? new Date(m.created_at).toISOString() : now.toISOString();
    if (at > max) max = at;
  }
  return max;
}

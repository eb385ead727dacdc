import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { HttpError } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import { canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';
import { lockCases, refuseMerged, workableCase } from './merge.ts';

export interface MoveResult {
  case_id: number;
  community_id: number;
  account_id: number | null;
  team_id: number | null;
  assignee_id: number | null;
}

/**
 * Moves a case to another community (a message that reached the wrong desk). The case takes that
 * community's brand account on the same network, its default team, and keeps its assignee only if they
 * can work there. Messages and history stay as they are.
 */
export async function moveCase(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  caseId: number,
  communityId: number,
): Promise<MoveResult> {
  const target = deps.directory.communities.get(communityId);
  if (!target) throw invalidField('community_id', 'no such community');
  return transaction(deps.pool, async (tx) => {
    const c = workableCase(person, (await lockCases(tx, person.orgId, [caseId])).get(caseId));
    refuseMerged(c);
    if (c.community_id === target.id) throw invalidField('community_id', 'the case is already in this community');
    if (!canWorkCase(person, target.id)) {
      throw new HttpError(403, 'forbidden', `you do not work cases of ${target.name}`);
    }
    const network = (c.account_id !== null && deps.directory.accounts.get(c.account_id)?.network) || c.channel;
    const account = deps.directory.accountOf(target.id, network) ?? null;
    let assigneeId = c.assignee_id;
    if (assigneeId !== null) {
      const a = await tx.query<{ ok: boolean }>(
        `select p.active and p.role in ('leader', 'manager', 'backup', 'approver') and (p.role = 'leader' or exists (
           select 1 from person_communities pc where pc.person_id = p.id and pc.community_id = $2)) as ok
         from people p where p.id = $1`,
        [assigneeId, target.id],
      );
      if (!a.rows[0]?.ok) assigneeId = null;
    }
    const result: MoveResult = {
      case_id: c.id,
      community_id: target.id,
      account_id: account?.id ?? null,
      team_id: target.defaultTeamId,
      assignee_id: assigneeId,
    };
    await tx.query(
      `update cases set community_id = $2, account_id = $3, team_id = $4, assignee_id = $5, updated_at = now(),
         assigned_at = case when $5::int is null then null else assigned_at end
       where id = $1`,
      [c.id, target.id, result.account_id, result.team_id, assigneeId],
    );
    const data = {
      from_community: c.community_id,
      to_community: target.id,
      account_id: result.account_id,
      team_id: result.team_id,
      assignee_kept: assigneeId !== null,
      previous_assignee_id: c.assignee_id,
    };
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'moved', $4)`,
      [person.orgId, c.id, person.id, data],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'case.moved',
      actorPersonId: person.id,
      subjectType: 'case',
      subjectId: c.id,
      data,
    });
    // Both inboxes learn about it: the old one drops the case, the new one shows it.
    await publish(
      tx,
      [c.community_id, target.id].map((community) => ({
        type: 'case.updated' as const,
        org_id: person.orgId,
        case_id: c.id,
        community_id: community,
      })),
    );
    return result;
  });
}

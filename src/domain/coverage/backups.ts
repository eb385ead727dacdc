import type pg from 'pg';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish, type RealtimeEvent } from '../../server/realtime/events.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { notify } from '../notifications/service.ts';
import { loadCandidates, recordAssignments } from '../routing/assignment.ts';
import { invalidField } from '../validation.ts';
import { enqueueWebhookEvents } from '../webhooks/events.ts';

/**
 * Backups (migration 0017): each person has backups in order of rank. When the person is off duty (schedule,
 * override, absence, holiday: the assignment's duty computation), their open cases follow their community's
 * off-duty policy: `stay` with them, go to their first `backup` on duty, or go back to the `team` queue.
 *
 * A backup must be able to open every case of the communities they back up: saving a person's backups makes
 * each backup a member of that person's communities (recorded in the audit log). Removing a backup does not
 * take the membership away; a leader edits communities by hand for that.
 */

export const MAX_BACKUPS = 5;
/** Roles that work cases; only they can take someone's cases over. */
const BACKUP_ROLES = ['leader', 'manager', 'backup', 'approver'];

export interface BackupRow {
  backup_id: number;
  rank: number;
  name: string;
  email: string;
  role: string;
}

export async function listBackups(db: Queryable, orgId: number, personId: number): Promise<BackupRow[]> {
  const r = await db.query<BackupRow>(
    `select b.backup_id, b.rank, p.name, p.email, p.role
     from person_backups b join people p on p.id = b.backup_id
     where b.org_id = $1 and b.person_id = $2 order by b.rank`,
    [orgId, personId],
  );
  return r.rows;
}

/** The communities a person works in (a leader's are all of the organization's). */
async function communitiesOf(db: Queryable, orgId: number, personId: number): Promise<number[] | undefined> {
  const r = await db.query<{ role: string; community_ids: number[] }>(
    `select p.role,
       case when p.role = 'leader' then array(select id from communities where org_id = p.org_id)
            else array(select community_id from person_communities where person_id = p.id) end as community_ids
     from people p where p.id = $1 and p.org_id = $2 and p.active`,
    [personId, orgId],
  );
  return r.rows[0]?.community_ids;
}

/**
 * Managers may edit the backups of people who work in one of their communities; leaders anyone's. Returns the
 * person's communities.
 */
export async function backupsTarget(db: Queryable, actor: PersonPrincipal, personId: number): Promise<number[]> {
  const communities = await communitiesOf(db, actor.orgId, personId);
  if (!communities) throw notFound('person');
  if (actor.role !== 'leader' && !communities.some((c) => actor.communityIds.has(c))) {
    throw new HttpError(403, 'forbidden', 'you may edit the backups of people of your communities only');
  }
  return communities;
}

/** Replaces a person's backups (in rank order) and gives each backup access to the person's communities. */
export async function saveBackups(
  pool: pg.Pool,
  actor: PersonPrincipal,
  personId: number,
  backupIds: number[],
): Promise<{ backups: BackupRow[]; granted: { backup_id: number; community_ids: number[] }[] }> {
  if (backupIds.includes(personId)) throw invalidField('backup_ids', 'a person cannot be their own backup');
  return transaction(pool, async (tx) => {
    const communities = await backupsTarget(tx, actor, personId);
    const found = await tx.query<{ id: number; role: string }>(
      'select id, role from people where org_id = $1 and active and id = any($2::int[])',
      [actor.orgId, backupIds],
    );
    for (const [i, id] of backupIds.entries()) {
      const p = found.rows.find((r) => r.id === id);
      if (!p) throw invalidField(`backup_ids.${i}`, `no active person ${id}`);
      if (!BACKUP_ROLES.includes(p.role)) {
        throw invalidField(`backup_ids.${i}`, `a ${p.role} does not work cases and cannot be a backup`);
      }
    }
    await tx.query('delete from person_backups where person_id = $1', [personId]);
    await tx.query(
      `insert into person_backups (org_id, person_id, backup_id, rank, created_by)
       select $1, $2, x.id, x.rank, $4 from unnest($3::int[]) with ordinality as x(id, rank)`,
      [actor.orgId, personId, backupIds, actor.id],
    );
    const granted: { backup_id: number; community_ids: number[] }[] = [];
    for (const id of backupIds) {
      const g = await tx.query<{ community_id: number }>(
        `insert into person_communities (person_id, community_id)
         select $1, c from unnest($2::int[]) as c
         on conflict do nothing returning community_id`,
        [id, communities],
      );
      if (g.rows.length > 0) granted.push({ backup_id: id, community_ids: g.rows.map((r) => r.community_id) });
    }
    await audit(tx, {
      orgId: actor.orgId,
      action: 'coverage.backups_updated',
      actorPersonId: actor.id,
      subjectType: 'person',
      subjectId: personId,
      data: { backup_ids: backupIds, granted },
    });
    return { backups: await listBackups(tx, actor.orgId, personId), granted };
  });
}

const SWEEP_LOCK = 7_311_041;

interface OffDutyCase {
  id: number;
  org_id: number;
  community_id: number;
  assignee_id: number;
  policy: 'backup' | 'team';
}

export interface OffDutyResult {
  toBackup: number;
  toQueue: number;
}

/**
 * Moves the open cases of people who are off duty at `now`, in communities whose policy is not `stay`. Each
 * move is a `reassigned` event in the case's timeline and an audit entry; the backup is notified.
 */
export async function sweepOffDuty(pool: pg.Pool, orgId: number, now: Date): Promise<OffDutyResult> {
  return transaction(pool, async (tx) => {
    const result: OffDutyResult = { toBackup: 0, toQueue: 0 };
    const locked = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, $2) as ok', [
      SWEEP_LOCK,
      orgId,
    ]);
    if (!locked.rows[0]?.ok) return result;
    const policies = await tx.query<{ n: number }>(
      `select count(*)::int as n from coverage_settings where org_id = $1 and off_duty_policy <> 'stay'`,
      [orgId],
    );
    if (!policies.rows[0]?.n) return result;
    const candidates = await loadCandidates(tx, orgId, now);
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const offDuty = candidates.filter((c) => !c.onDuty).map((c) => c.id);
    if (offDuty.length === 0) return result;
    const cases = await tx.query<OffDutyCase>(
      `select c.id, c.org_id, c.community_id, c.assignee_id, s.off_duty_policy as policy
       from cases c join coverage_settings s on s.community_id = c.community_id
       where c.org_id = $1 and c.assignee_id = any($2::int[]) and c.status in ('new', 'open')
         and s.off_duty_policy <> 'stay'
       order by c.id limit 500
       for update of c skip locked`,
      [orgId, offDuty],
    );
    if (cases.rows.length === 0) return result;
    const backups = await tx.query<{ person_id: number; backup_id: number }>(
      'select person_id, backup_id from person_backups where person_id = any($1::int[]) order by person_id, rank',
      [[...new Set(cases.rows.map((c) => c.assignee_id))]],
    );
    const events: RealtimeEvent[] = [];
    const picked: number[] = [];
    for (const c of cases.rows) {
      let to: number | null = null;
      let detail = 'the community sends them back to the team queue';
      if (c.policy === 'backup') {
        const backup = backups.rows
          .filter((b) => b.person_id === c.assignee_id)
          .map((b) => byId.get(b.backup_id))
          .find((b) => b?.onDuty && b.communityIds.has(c.community_id));
        if (backup) {
          to = backup.id;
          detail = `${backup.name}: first backup on duty`;
          backup.load++;
        } else detail = 'no backup on duty: back to the team queue';
      }
      await tx.query('update cases set assignee_id = $2, assigned_at = $3, updated_at = now() where id = $1', [
        c.id,
        to,
        to === null ? null : now,
      ]);
      const data = { from: c.assignee_id, to, reason: 'the assignee went off duty', policy: c.policy, detail };
      await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, 'reassigned', $3)`, [
        c.org_id,
        c.id,
        data,
      ]);
      await audit(tx, {
        orgId: c.org_id,
        action: 'coverage.off_duty_moved',
        subjectType: 'case',
        subjectId: c.id,
        data: { from: c.assignee_id, to, policy: c.policy },
      });
      if (to !== null) {
        picked.push(to);
        result.toBackup++;
        await enqueueWebhookEvents(tx, c.org_id, [
          { event: 'case.assigned', caseId: c.id, data: { assignee_id: to, previous_assignee_id: c.assignee_id } },
        ]);
        await notify(tx, { orgId: c.org_id, personIds: [to], kind: 'assigned', caseId: c.id, data: { backup: true } });
      } else result.toQueue++;
      events.push({
        type: 'case.updated',
        org_id: c.org_id,
        case_id: c.id,
        community_id: c.community_id,
        people: to === null ? [c.assignee_id] : [to, c.assignee_id],
      });
    }
    await recordAssignments(tx, picked, now);
    await publish(tx, events);
    return result;
  });
}

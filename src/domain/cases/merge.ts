import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import { canReadCommunity, canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { moveFeedbackLinks } from '../feedback/move.ts';
import { PRIORITIES } from '../routing/priorities.ts';
import { caseChangeClocks, clockSets } from '../sla/clocks.ts';
import { asPriority, type CaseClocks, loadCaseSlaContext } from '../sla/deadlines.ts';
import { invalidField } from '../validation.ts';
import type { CaseRow } from './store.ts';

/** Locks cases in id order (no deadlock between two merges of the same pair); by id. */
export async function lockCases(tx: pg.PoolClient, orgId: number, ids: number[]): Promise<Map<number, CaseRow>> {
  const r = await tx.query<CaseRow>(
    'select * from cases where org_id = $1 and id = any($2::bigint[]) order by id for update',
    [orgId, ids],
  );
  return new Map(r.rows.map((c) => [c.id, c]));
}

/** The case, if the person may read it (else 404) and work it (else 403). */
export function workableCase(person: PersonPrincipal, c: CaseRow | undefined, what = 'case'): CaseRow {
  if (!c || !canReadCommunity(person, c.community_id)) throw notFound(what);
  if (!canWorkCase(person, c.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot change cases');
  return c;
}

export function refuseMerged(c: CaseRow): void {
  if (c.merged_into !== null) {
    throw new HttpError(409, 'merged', `case ${c.id} was merged into case ${c.merged_into}`);
  }
}

const CONFLICT = (code: string, message: string) => new HttpError(409, code, message);

/**
 * Merges a case into another of the same community: its messages, conversations, pending replies and
 * back-office links move to the target; the source is closed with `merged_into`. A merged case never
 * becomes a target, and the target must be open to work, so merges cannot form cycles.
 */
export async function mergeCase(
  pool: pg.Pool,
  person: PersonPrincipal,
  sourceId: number,
  targetId: number,
): Promise<{ case_id: number; merged_case_id: number; moved_messages: number }> {
  if (sourceId === targetId) throw invalidField('into', 'a case cannot be merged into itself');
  return transaction(pool, async (tx) => {
    const locked = await lockCases(tx, person.orgId, [sourceId, targetId]);
    const s = workableCase(person, locked.get(sourceId));
    const t = workableCase(person, locked.get(targetId), 'target case');
    refuseMerged(s);
    if (t.merged_into !== null) {
      throw CONFLICT('target_merged', `case ${t.id} was itself merged into case ${t.merged_into}: merge into that one`);
    }
    if (t.status === 'closed') throw CONFLICT('target_closed', `case ${t.id} is closed: reopen it first`);
    if (s.community_id !== t.community_id) {
      throw CONFLICT('different_community', 'both cases must be in the same community: move one of them first');
    }
    const moved = await tx.query('update messages set case_id = $2 where case_id = $1', [s.id, t.id]);
    await tx.query('update conversations set case_id = $2 where case_id = $1', [s.id, t.id]);
    await tx.query('update outbox set case_id = $2 where case_id = $1', [s.id, t.id]);
    await tx.query('update case_links set case_id = $2 where case_id = $1', [s.id, t.id]);
    await moveFeedbackLinks(tx, s.id, t.id);
    const n = moved.rowCount ?? 0;
    // The target takes the higher priority, both sets of tags, and reopens if the source still needed an answer;
    // its SLA clocks follow those changes.
    const priority =
      PRIORITIES[Math.max(PRIORITIES.indexOf(asPriority(s.priority)), PRIORITIES.indexOf(asPriority(t.priority)))]!;
    const reopen = t.status === 'resolved' && ['new', 'open', 'waiting_internal'].includes(s.status);
    const params: unknown[] = [s.id, t.id, n, priority, reopen ? 'open' : t.status];
    const clockSql: string[] = [];
    if (reopen || priority !== t.priority) {
      const target = t as unknown as CaseClocks;
      const sla = await loadCaseSlaContext(tx, person.orgId, target);
      const change = { status: reopen ? 'open' : undefined, priority: priority !== t.priority ? priority : undefined };
      clockSql.push(...clockSets(caseChangeClocks(sla, target, change, new Date()), params));
    }
    await tx.query(
      `update cases t set message_count = t.message_count + $3,
         tags = array(select distinct x from unnest(t.tags || s.tags) as x order by x),
         priority = $4, status = $5,
         resolved_at = case when $5 = 'open' then null else t.resolved_at end,
         last_inbound_at = greatest(t.last_inbound_at, s.last_inbound_at),
         last_outbound_at = greatest(t.last_outbound_at, s.last_outbound_at),
         ${clockSql.map((c) => `${c}, `).join('')}updated_at = now(),
         search = passeur_case_search(t.id)
       from cases s where t.id = $2 and s.id = $1`,
      params,
    );
    await tx.query(
      `update cases set status = 'closed', closed_at = now(), merged_into = $2, message_count = 0, updated_at = now(),
         search = null
       where id = $1`,
      [s.id, t.id],
    );
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data)
       values ($1, $2, $4, 'merged_into', $5), ($1, $3, $4, 'merged_from', $6)`,
      [person.orgId, s.id, t.id, person.id, { into: t.id, messages: n }, { from: s.id, messages: n }],
    );
    for (const [subject, action, data] of [
      [s.id, 'case.merged', { into: t.id, messages: n }],
      [t.id, 'case.merge_received', { from: s.id, messages: n }],
    ] as const) {
      await audit(tx, {
        orgId: person.orgId,
        action,
        actorPersonId: person.id,
        subjectType: 'case',
        subjectId: subject,
        data,
      });
    }
    await publish(
      tx,
      [s, t].map((c) => ({ type: 'case.updated', org_id: person.orgId, case_id: c.id, community_id: c.community_id })),
    );
    return { case_id: t.id, merged_case_id: s.id, moved_messages: n };
  });
}

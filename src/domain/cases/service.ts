import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish, type RealtimeEvent } from '../../server/realtime/events.ts';
import { canReadCommunity, canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal, Principal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { caseReaders, matchMentions, mentionTokens } from '../notifications/mentions.ts';
import { notify } from '../notifications/service.ts';
import type { Directory } from '../organization/directory.ts';
import { caseChangeClocks, clockSets, describeClocks } from '../sla/clocks.ts';
import { asPriority, type ClockColumns, loadCaseSlaContext } from '../sla/deadlines.ts';
import { invalidField } from '../validation.ts';
import { enqueueWebhookEvents, type WebhookEventInput } from '../webhooks/events.ts';
import { type CaseRow, type CaseStatus, getCase } from './store.ts';

/** Loads a case the principal may read; a case of another community is "not found", not "forbidden". */
export async function readableCase(db: pg.Pool | pg.PoolClient, p: Principal, id: number): Promise<CaseRow> {
  const c = await getCase(db, p.orgId, id);
  if (!c || !canReadCommunity(p, c.community_id)) throw notFound('case');
  return c;
}

export interface CasePatch {
  status?: CaseStatus | undefined;
  priority?: string | undefined;
  assignee_id?: number | null | undefined;
  team_id?: number | null | undefined;
  tags?: string[] | undefined;
}

export async function updateCase(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  id: number,
  patch: CasePatch,
): Promise<void> {
  await transaction(deps.pool, async (tx) => {
    const r = await tx.query<CaseRow>('select * from cases where id = $1 and org_id = $2 for update', [
      id,
      person.orgId,
    ]);
    const c = r.rows[0];
    if (!c || !canReadCommunity(person, c.community_id)) throw notFound('case');
    if (!canWorkCase(person, c.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot change cases');
    const event = await applyCasePatch(tx, deps.directory, person, c, patch);
    if (event) await publish(tx, [event]);
  });
}

/**
 * Applies a patch to a case the caller locked (`for update`) and may work: the row, its `updated` event,
 * the audit record and the webhook events. Checks come before any write, so a refused patch (a
 * ValidationError) writes nothing. Returns the realtime event to publish, or null when nothing changed.
 */
export async function applyCasePatch(
  tx: pg.PoolClient,
  directory: Directory,
  person: PersonPrincipal,
  c: CaseRow,
  patch: CasePatch,
  via?: 'bulk',
): Promise<RealtimeEvent | null> {
  const id = c.id;
  const sets: string[] = [];
  const params: unknown[] = [id];
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set = (col: string, value: unknown, from: unknown) => {
    if (JSON.stringify(value) === JSON.stringify(from)) return;
    params.push(value);
    sets.push(`${col} = $${params.length}`);
    changes[col] = { from, to: value };
  };
  if (patch.status !== undefined) {
    set('status', patch.status, c.status);
    if (patch.status === 'resolved' && c.status !== 'resolved') sets.push('resolved_at = now()');
    if (patch.status === 'closed' && c.status !== 'closed') sets.push('closed_at = now()');
    if (patch.status !== 'resolved' && patch.status !== 'closed') sets.push('resolved_at = null', 'closed_at = null');
  }
  if (patch.priority !== undefined) set('priority', patch.priority, c.priority);
  if (patch.tags !== undefined) set('tags', [...new Set(patch.tags)], c.tags);
  if (patch.team_id !== undefined) {
    if (patch.team_id !== null && !directory.teams.has(patch.team_id)) {
      throw invalidField('team_id', 'no such team');
    }
    set('team_id', patch.team_id, c.team_id);
  }
  if (patch.assignee_id !== undefined) {
    if (patch.assignee_id !== null) {
      const a = await tx.query<{ ok: boolean }>(
        `select (p.role = 'leader' or exists (select 1 from person_communities pc
           where pc.person_id = p.id and pc.community_id = $3)) and p.role in ('leader', 'manager', 'backup', 'approver')
           and p.active as ok
         from people p where p.id = $1 and p.org_id = $2`,
        [patch.assignee_id, person.orgId, c.community_id],
      );
      if (!a.rows[0]?.ok) {
        throw invalidField('assignee_id', 'this person cannot work cases of this community');
      }
    }
    set('assignee_id', patch.assignee_id, c.assignee_id);
    if (changes.assignee_id) sets.push(patch.assignee_id === null ? 'assigned_at = null' : 'assigned_at = now()');
  }
  if (sets.length === 0) return null;
  // SLA clocks follow the new status and priority (paused, resumed, stopped, restarted, re-targeted).
  let clocks: ClockColumns = {};
  if (changes.status || changes.priority) {
    const sla = await loadCaseSlaContext(tx, person.orgId, c);
    const priority = changes.priority ? asPriority(String(changes.priority.to)) : undefined;
    clocks = caseChangeClocks(sla, c, { status: patch.status, priority }, new Date());
    sets.push(...clockSets(clocks, params));
  }
  await tx.query(`update cases set ${sets.join(', ')}, updated_at = now() where id = $1`, params);
  await tx.query(
    `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'updated', $4)`,
    [
      person.orgId,
      id,
      person.id,
      Object.keys(clocks).length > 0 ? { ...changes, sla: describeClocks(clocks) } : changes,
    ],
  );
  await audit(tx, {
    orgId: person.orgId,
    action: 'case.updated',
    actorPersonId: person.id,
    subjectType: 'case',
    subjectId: id,
    data: { fields: Object.keys(changes), ...(via ? { via } : {}) },
  });
  await enqueueWebhookEvents(tx, person.orgId, patchWebhookEvents(id, changes));
  const assignee = changes.assignee_id?.to;
  if (typeof assignee === 'number' && assignee !== person.id) {
    await notify(tx, {
      orgId: person.orgId,
      personIds: [assignee],
      kind: 'assigned',
      caseId: id,
      data: { by: person.id, by_name: person.name },
    });
  }
  const people = patch.assignee_id ? [patch.assignee_id] : undefined;
  return {
    type: 'case.updated',
    org_id: person.orgId,
    case_id: id,
    community_id: c.community_id,
    ...(people ? { people } : {}),
  };
}

/** `case.assigned` when someone takes the case, `case.resolved` when it becomes resolved. */
function patchWebhookEvents(caseId: number, changes: Record<string, { from: unknown; to: unknown }>) {
  const events: WebhookEventInput[] = [];
  const assignee = changes.assignee_id;
  if (assignee && assignee.to !== null) {
    events.push({
      event: 'case.assigned',
      caseId,
      data: { assignee_id: assignee.to, previous_assignee_id: assignee.from },
    });
  }
  if (changes.status?.to === 'resolved') events.push({ event: 'case.resolved', caseId });
  return events;
}

/**
 * An internal note on a case: never published, visible to everyone who can read the case. People it
 * @mentions (first name or email local part, among those who can read the case) are notified.
 */
export async function addNote(pool: pg.Pool, person: PersonPrincipal, id: number, text: string): Promise<number> {
  const body = text.trim();
  if (!body) throw invalidField('text', 'a note cannot be empty');
  return transaction(pool, async (tx) => {
    const r = await tx.query<{ community_id: number; channel: string }>(
      'select community_id, channel from cases where id = $1 and org_id = $2 for update',
      [id, person.orgId],
    );
    const c = r.rows[0];
    if (!c || !canReadCommunity(person, c.community_id)) throw notFound('case');
    if (!canWorkCase(person, c.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot add notes');
    const m = await tx.query<{ id: number }>(
      `insert into messages (org_id, channel, case_id, direction, kind, author_handle, author_name, person_id, text, created_at)
       values ($1, $2, $3, 'note', 'note', '', $4, $5, $6, now()) returning id`,
      [person.orgId, c.channel, id, person.name, person.id, body],
    );
    await tx.query('update cases set updated_at = now(), message_count = message_count + 1 where id = $1', [id]);
    const mentioned =
      mentionTokens(body).length === 0
        ? []
        : matchMentions(body, await caseReaders(tx, person.orgId, c.community_id)).filter((p) => p !== person.id);
    await audit(tx, {
      orgId: person.orgId,
      action: 'case.note_added',
      actorPersonId: person.id,
      subjectType: 'case',
      subjectId: id,
      data: { message_id: m.rows[0]!.id, ...(mentioned.length > 0 ? { mentioned } : {}) },
    });
    await notify(tx, {
      orgId: person.orgId,
      personIds: mentioned,
      kind: 'mention',
      caseId: id,
      data: { message_id: m.rows[0]!.id, by: person.id, by_name: person.name },
    });
    await publish(tx, [
      {
        type: 'message.created',
        org_id: person.orgId,
        case_id: id,
        community_id: c.community_id,
        message_id: m.rows[0]!.id,
      },
    ]);
    return m.rows[0]!.id;
  });
}

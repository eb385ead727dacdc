import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { publish } from '../../server/realtime/events.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { invalidField } from '../validation.ts';
import { enqueueWebhookEvents } from '../webhooks/events.ts';
import { lockCases, refuseMerged, workableCase } from './merge.ts';

const SUBJECT_LENGTH = 140;

/**
 * Splits messages off a case into a new case of the same customer and community. The new case copies the
 * routing (team, priority, assignee, SLA deadlines, explanation); a conversation moves with its messages
 * when all of them move, else it stays with the original case.
 */
export async function splitCase(
  pool: pg.Pool,
  person: PersonPrincipal,
  sourceId: number,
  messageIds: number[],
): Promise<{ case_id: number; split_from: number; moved_messages: number }> {
  const ids = [...new Set(messageIds)];
  return transaction(pool, async (tx) => {
    const s = workableCase(person, (await lockCases(tx, person.orgId, [sourceId])).get(sourceId));
    refuseMerged(s);
    const msgs = await tx.query<{
      id: number;
      conversation_id: number | null;
      direction: string;
      text: string;
      created_at: Date;
      sentiment: string | null;
      intent: string | null;
      topics: string[] | null;
      urgency: string | null;
    }>(
      `select id, conversation_id, direction, text, created_at, sentiment, intent, topics, urgency
       from messages where case_id = $1 and id = any($2::bigint[]) order by id`,
      [s.id, ids],
    );
    const found = new Set(msgs.rows.map((m) => m.id));
    const stranger = ids.find((id) => !found.has(id));
    if (stranger !== undefined) throw invalidField('message_ids', `message ${stranger} is not in this case`);
    const total = await tx.query<{ n: number }>('select count(*)::int as n from messages where case_id = $1', [s.id]);
    if (msgs.rows.length >= total.rows[0]!.n) {
      throw invalidField('message_ids', 'leave at least one message in the case');
    }
    const first = msgs.rows[0]!;
    const lastIn = msgs.rows.filter((m) => m.direction === 'in').at(-1);
    const firstOut = msgs.rows.find((m) => m.direction === 'out');
    const subject = first.text.replace(/\s+/g, ' ').trim();
    const created = await tx.query<{ id: number }>(
      `insert into cases (org_id, community_id, contact_id, status, priority, team_id, assignee_id, assigned_at, tags,
         channel, account_id, language, subject, sentiment, intent, topics, urgency, routing, first_response_due_at,
         first_responded_at, next_response_due_at, resolution_due_at, sla_policy_id)
       select org_id, community_id, contact_id, 'open', priority, team_id, assignee_id, assigned_at, tags, channel,
         account_id, language, $2, coalesce($3, sentiment), coalesce($4, intent), coalesce($5, topics),
         coalesce($6, urgency), routing || jsonb_build_object('split_from', id), first_response_due_at, $7,
         next_response_due_at, resolution_due_at, sla_policy_id
       from cases where id = $1
       returning id`,
      [
        s.id,
        subject.length > SUBJECT_LENGTH ? `${subject.slice(0, SUBJECT_LENGTH - 1)}…` : subject,
        lastIn?.sentiment ?? null,
        lastIn?.intent ?? null,
        lastIn?.topics ?? null,
        lastIn?.urgency ?? null,
        firstOut?.created_at ?? null,
      ],
    );
    const newId = created.rows[0]!.id;
    await tx.query('update messages set case_id = $2 where id = any($1::bigint[])', [ids, newId]);
    await tx.query('update outbox set case_id = $2 where message_id = any($1::bigint[])', [ids, newId]);
    const convs = [...new Set(msgs.rows.map((m) => m.conversation_id).filter((c) => c !== null))];
    await tx.query(
      `update conversations cv set case_id = $3
       where cv.id = any($1::bigint[]) and cv.case_id = $2
         and not exists (select 1 from messages m where m.conversation_id = cv.id and m.case_id = $2)`,
      [convs, s.id, newId],
    );
    // Counts and latest activity of both cases, from what they now hold.
    await tx.query(
      `update cases c set message_count = x.n, last_inbound_at = x.last_in, last_outbound_at = x.last_out,
         updated_at = now(), search = passeur_case_search(c.id)
       from (select case_id, count(*)::int as n, max(created_at) filter (where direction = 'in') as last_in,
               max(created_at) filter (where direction = 'out') as last_out
             from messages where case_id = any($1::bigint[]) group by case_id) x
       where c.id = x.case_id`,
      [[s.id, newId]],
    );
    const n = ids.length;
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data)
       values ($1, $2, $4, 'split', $5), ($1, $3, $4, 'split_from', $6)`,
      [person.orgId, s.id, newId, person.id, { new_case_id: newId, messages: n }, { from: s.id, messages: n }],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'case.split',
      actorPersonId: person.id,
      subjectType: 'case',
      subjectId: s.id,
      data: { new_case_id: newId, message_ids: ids },
    });
    await enqueueWebhookEvents(tx, person.orgId, [
      { event: 'case.created', caseId: newId, data: { split_from: s.id } },
    ]);
    await publish(tx, [
      { type: 'case.created', org_id: person.orgId, case_id: newId, community_id: s.community_id },
      { type: 'case.updated', org_id: person.orgId, case_id: s.id, community_id: s.community_id },
    ]);
    return { case_id: newId, split_from: s.id, moved_messages: n };
  });
}

import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import { canAnswerConsult, canAskConsult, canReadCommunity } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { applyCasePatch } from '../cases/service.ts';
import type { CaseRow } from '../cases/store.ts';
import { truncateText } from '../ingest/model.ts';
import { notify } from '../notifications/service.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';
import type { ConsultRow } from './model.ts';
import { notifyAboutConsult } from './notify.ts';
import { getConsult } from './store.ts';

/** The first line of the note an answer becomes, in the language of the case's community. */
const NOTE_HEADERS: Record<string, (id: number) => string> = {
  en: (id) => `Consult #${id}`,
  fr: (id) => `Consultation n° ${id}`,
  de: (id) => `Rückfrage #${id}`,
  it: (id) => `Consulto n. ${id}`,
};

/** Case statuses a new consult moves to `waiting_internal` (a resolved or closed case keeps its status). */
const WAITABLE = new Set(['new', 'open', 'waiting_customer']);

export interface AskInput {
  expertiseId?: number | undefined;
  expertPersonId?: number | undefined;
  expertTeamId?: number | undefined;
  question: string;
  excerpt?: string | undefined;
  dueInMinutes: number;
}

interface Target {
  expertiseId: number | null;
  personId: number | null;
  teamId: number | null;
}

async function resolveTarget(tx: pg.PoolClient, orgId: number, input: AskInput): Promise<Target> {
  if (input.expertiseId !== undefined) {
    const r = await tx.query<{ person_id: number | null; team_id: number | null }>(
      'select person_id, team_id from expertise where id = $1 and org_id = $2 and active',
      [input.expertiseId, orgId],
    );
    const e = r.rows[0];
    if (!e) throw invalidField('expertise_id', 'no such entry in the expertise directory');
    return { expertiseId: input.expertiseId, personId: e.person_id, teamId: e.team_id };
  }
  if ((input.expertPersonId === undefined) === (input.expertTeamId === undefined)) {
    throw invalidField('expert_person_id', 'name exactly one of expertise_id, expert_person_id, expert_team_id');
  }
  return { expertiseId: null, personId: input.expertPersonId ?? null, teamId: input.expertTeamId ?? null };
}

/**
 * Asks a question from a case to an expert or a team. The case goes to `waiting_internal` (SLA clocks follow,
 * as for any status change); the expert (or every member of the team) is notified with a link to the consult.
 */
export async function askConsult(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  caseId: number,
  input: AskInput,
): Promise<number> {
  const question = input.question.trim();
  if (!question) throw invalidField('question', 'a question cannot be empty');
  return transaction(deps.pool, async (tx) => {
    const r = await tx.query<CaseRow>('select * from cases where id = $1 and org_id = $2 for update', [
      caseId,
      person.orgId,
    ]);
    const c = r.rows[0];
    if (!c || !canReadCommunity(person, c.community_id)) throw notFound('case');
    if (!canAskConsult(person, c.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot ask consults');
    if (c.merged_into !== null) {
      throw new HttpError(409, 'case_merged', `this case was merged into case ${c.merged_into}: ask from that case`);
    }
    const target = await resolveTarget(tx, person.orgId, input);
    let recipients: number[];
    let teamId: number | null;
    if (target.personId !== null) {
      const p = await tx.query<{ id: number; team_id: number | null }>(
        `select p.id, (select min(tm.team_id) from team_members tm where tm.person_id = p.id) as team_id
         from people p where p.id = $1 and p.org_id = $2 and p.active`,
        [target.personId, person.orgId],
      );
      if (!p.rows[0]) throw invalidField('expert_person_id', 'no such active person');
      if (target.personId === person.id) throw invalidField('expert_person_id', 'you cannot consult yourself');
      recipients = [target.personId];
      teamId = p.rows[0].team_id;
    } else {
      if (target.teamId === null || !deps.directory.teams.has(target.teamId)) {
        throw invalidField('expert_team_id', 'no such team');
      }
      const m = await tx.query<{ person_id: number }>(
        `select tm.person_id from team_members tm join people p on p.id = tm.person_id
         where tm.team_id = $1 and p.active and p.id <> $2`,
        [target.teamId, person.id],
      );
      recipients = m.rows.map((row) => row.person_id);
      teamId = target.teamId;
    }
    const k = await tx.query<{ id: number; due_at: Date }>(
      `insert into consults (org_id, case_id, asker_id, expertise_id, expert_person_id, expert_team_id, team_id,
         question, excerpt, due_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(mins => $10)) returning id, due_at`,
      [
        person.orgId,
        caseId,
        person.id,
        target.expertiseId,
        target.personId,
        target.personId === null ? target.teamId : null,
        teamId,
        question,
        (input.excerpt ?? '').trim(),
        input.dueInMinutes,
      ],
    );
    const consult = k.rows[0]!;
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'consult_asked', $4)`,
      [
        person.orgId,
        caseId,
        person.id,
        {
          consult_id: consult.id,
          expert_person_id: target.personId,
          expert_team_id: target.personId === null ? target.teamId : null,
        },
      ],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'consult.asked',
      actorPersonId: person.id,
      subjectType: 'consult',
      subjectId: consult.id,
      data: {
        case_id: caseId,
        expert_person_id: target.personId,
        expert_team_id: target.personId === null ? target.teamId : null,
        due_at: consult.due_at.toISOString(),
      },
    });
    const events = [];
    if (WAITABLE.has(c.status)) {
      const e = await applyCasePatch(tx, deps.directory, person, c, { status: 'waiting_internal' });
      if (e) events.push(e);
    } else {
      events.push({
        type: 'case.updated' as const,
        org_id: person.orgId,
        case_id: caseId,
        community_id: c.community_id,
      });
    }
    await notifyAboutConsult(tx, {
      orgId: person.orgId,
      personIds: recipients,
      kind: 'consult',
      consultId: consult.id,
      communityId: c.community_id,
      data: { by: person.id, by_name: person.name, due_at: consult.due_at.toISOString() },
    });
    await publish(tx, events);
    return consult.id;
  });
}

/**
 * Answers a consult: the answer becomes a private note in the case (by the expert), the case's assignee and the
 * asker are notified, and the case goes back to `open` when this was its last open consult.
 */
export async function answerConsult(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  id: number,
  text: string,
): Promise<ConsultRow> {
  return transaction(deps.pool, (tx) => answerConsultIn(tx, deps.directory, person, id, text, 'view'));
}

/**
 * Answers a consult in the caller's transaction: from the minimal view (`view`), or by a reply to the consult's
 * email (`email`, recorded in the audit data). Both take exactly this path.
 */
export async function answerConsultIn(
  tx: pg.PoolClient,
  directory: Directory,
  person: PersonPrincipal,
  id: number,
  text: string,
  via: 'view' | 'email',
): Promise<ConsultRow> {
  const answer = text.trim();
  if (!answer) throw invalidField('answer', 'an answer cannot be empty');
  // The case first, then the consult: the same lock order as askConsult.
  const pre = await tx.query<{ case_id: number }>('select case_id from consults where id = $1 and org_id = $2', [
    id,
    person.orgId,
  ]);
  if (!pre.rows[0]) throw notFound('consult');
  const cr = await tx.query<CaseRow>('select * from cases where id = $1 for update', [pre.rows[0].case_id]);
  const c = cr.rows[0]!;
  const k = await getConsult(tx, person.orgId, id, true);
  if (!k || !canAnswerConsult(person, k)) throw notFound('consult');
  if (k.status !== 'open') throw new HttpError(409, 'consult_closed', `this consult is ${k.status}`);
  const language = directory.communities.get(c.community_id)?.language ?? 'en';
  const question = truncateText(k.question, 200);
  const header = `${(NOTE_HEADERS[language] ?? NOTE_HEADERS.en!)(k.id)} — ${question}`;
  const m = await tx.query<{ id: number }>(
    `insert into messages (org_id, channel, case_id, direction, kind, author_handle, author_name, person_id, text,
       created_at, meta)
     values ($1, $2, $3, 'note', 'note', '', $4, $5, $6, now(), $7) returning id`,
    [person.orgId, c.channel, c.id, person.name, person.id, `${header}\n\n${answer}`, { consult_id: k.id }],
  );
  const messageId = m.rows[0]!.id;
  await tx.query('update cases set updated_at = now(), message_count = message_count + 1 where id = $1', [c.id]);
  await tx.query(
    `update consults set status = 'answered', answer = $2, answered_by = $3, answered_at = now(), note_message_id = $4
     where id = $1`,
    [k.id, answer, person.id, messageId],
  );
  await tx.query(
    `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'consult_answered', $4)`,
    [person.orgId, c.id, person.id, { consult_id: k.id, message_id: messageId }],
  );
  await audit(tx, {
    orgId: person.orgId,
    action: 'consult.answered',
    actorPersonId: person.id,
    subjectType: 'consult',
    subjectId: k.id,
    data: via === 'email' ? { case_id: c.id, message_id: messageId, via } : { case_id: c.id, message_id: messageId },
  });
  const stillOpen = await tx.query<{ n: number }>(
    `select count(*)::int as n from consults where case_id = $1 and status = 'open'`,
    [c.id],
  );
  const events = [];
  if (stillOpen.rows[0]!.n === 0 && c.status === 'waiting_internal') {
    const e = await applyCasePatch(tx, directory, person, c, { status: 'open' });
    if (e) events.push(e);
  }
  events.push({
    type: 'message.created' as const,
    org_id: person.orgId,
    case_id: c.id,
    community_id: c.community_id,
    message_id: messageId,
  });
  const told = [c.assignee_id, k.asker_id].filter((p): p is number => p !== null && p !== person.id);
  await notify(tx, {
    orgId: person.orgId,
    personIds: told,
    kind: 'consult_answered',
    caseId: c.id,
    data: { consult_id: k.id, message_id: messageId, by: person.id, by_name: person.name },
  });
  await publish(tx, events);
  return (await getConsult(tx, person.orgId, id))!;
}

/** Withdraws an open consult (the asker or anyone who works the case); the case goes back to `open` as above. */
export async function cancelConsult(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  id: number,
): Promise<void> {
  await transaction(deps.pool, async (tx) => {
    const pre = await tx.query<{ case_id: number }>('select case_id from consults where id = $1 and org_id = $2', [
      id,
      person.orgId,
    ]);
    if (!pre.rows[0]) throw notFound('consult');
    const cr = await tx.query<CaseRow>('select * from cases where id = $1 for update', [pre.rows[0].case_id]);
    const c = cr.rows[0]!;
    if (!canReadCommunity(person, c.community_id)) throw notFound('consult');
    if (!canAskConsult(person, c.community_id))
      throw new HttpError(403, 'forbidden', 'your role cannot cancel consults');
    const u = await tx.query(`update consults set status = 'cancelled' where id = $1 and status = 'open'`, [id]);
    if (u.rowCount !== 1) throw new HttpError(409, 'consult_closed', 'this consult is not open');
    await audit(tx, {
      orgId: person.orgId,
      action: 'consult.cancelled',
      actorPersonId: person.id,
      subjectType: 'consult',
      subjectId: id,
      data: { case_id: c.id },
    });
    const stillOpen = await tx.query<{ n: number }>(
      `select count(*)::int as n from consults where case_id = $1 and status = 'open'`,
      [c.id],
    );
    if (stillOpen.rows[0]!.n === 0 && c.status === 'waiting_internal') {
      const e = await applyCasePatch(tx, deps.directory, person, c, { status: 'open' });
      if (e) await publish(tx, [e]);
    }
  });
}

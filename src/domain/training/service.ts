import type pg from 'pg';
import type { ConnectorRegistry } from '../../channels/registry.ts';
import { transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import type { Urgency } from '../../triage/types.ts';
import { canLeadTraining, canReadTraining, canScoreTraining, canTrainIn } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { personPrincipal } from '../access/service.ts';
import { audit } from '../audit/log.ts';
import { textLength } from '../composer/thread.ts';
import { fillVariables, firstName } from '../composer/variables.ts';
import { type CaseFacts, evaluateReply, type GovernanceDeps, type ReplyCheck } from '../governance/service.ts';
import { invalidField } from '../validation.ts';
import { CASE_NUMBER, pickReplayCases, type Snapshot, snapshotCase } from './snapshot.ts';
import { getItem, type ItemRow, lockItem } from './store.ts';

export interface TrainingDeps extends GovernanceDeps {
  connectors: ConnectorRegistry;
}

const WRITER_ROLES = new Set(['leader', 'manager', 'backup', 'approver']);

/**
 * Starts a session of `count` replays of a community's past cases for a person (themselves, or someone a leader or
 * manager trains). Each replay is an anonymized snapshot taken now; nothing of real work is written.
 */
export async function startSession(
  deps: TrainingDeps,
  actor: PersonPrincipal,
  input: { community_id: number; person_id?: number | undefined; count: number; topic?: string | undefined },
): Promise<{ id: number; items: number }> {
  const community = deps.directory.communities.get(input.community_id);
  if (!community) throw invalidField('community_id', 'no such community');
  const traineeId = input.person_id ?? actor.id;
  if (traineeId === actor.id) {
    if (!canTrainIn(actor, community.id) && !canLeadTraining(actor, community.id)) {
      throw new HttpError(403, 'forbidden', 'you may not practise on this community');
    }
  } else if (!canLeadTraining(actor, community.id)) {
    throw new HttpError(403, 'forbidden', 'you may not train others on this community');
  }
  const trainee = traineeId === actor.id ? actor : await personPrincipal(deps.pool, traineeId);
  if (!trainee || trainee.orgId !== actor.orgId) throw invalidField('person_id', 'no such person');
  if (!WRITER_ROLES.has(trainee.role)) throw invalidField('person_id', `a ${trainee.role} does not answer customers`);
  const cases = await pickReplayCases(deps.pool, actor.orgId, {
    communityId: community.id,
    personId: trainee.id,
    topic: input.topic,
    count: input.count,
  });
  const snapshots: Snapshot[] = [];
  for (const id of cases) {
    const s = await snapshotCase(deps.pool, deps.directory, id);
    if (s) snapshots.push(s);
  }
  if (snapshots.length === 0) {
    throw new HttpError(
      409,
      'no_replays',
      input.topic
        ? `no resolved case of ${community.name} about "${input.topic}" can be replayed`
        : `no resolved case of ${community.name} can be replayed yet`,
    );
  }
  return transaction(deps.pool, async (tx) => {
    const s = await tx.query<{ id: number }>(
      `insert into training_sessions (org_id, person_id, community_id, topic, created_by)
       values ($1, $2, $3, $4, $5) returning id`,
      [actor.orgId, trainee.id, community.id, input.topic ?? null, actor.id],
    );
    const sessionId = Number(s.rows[0]!.id);
    for (const [i, snap] of snapshots.entries()) {
      const item = await tx.query<{ id: number }>(
        `insert into training_items (session_id, position, source_case_id, channel, account_id, language, intent,
           urgency, sentiment, sensitive, topics, tags, contact, thread, reference_text)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id`,
        [
          sessionId,
          i + 1,
          snap.source_case_id,
          snap.channel,
          snap.account_id,
          snap.language,
          snap.intent,
          snap.urgency,
          snap.sentiment,
          snap.sensitive,
          snap.topics,
          snap.tags,
          JSON.stringify(snap.contact),
          JSON.stringify(snap.thread),
          snap.reference_text,
        ],
      );
      const own = `T${item.rows[0]!.id}`;
      await tx.query(
        `update training_items set reference_text = replace(reference_text, $2, $3),
           thread = replace(thread::text, $2, $3)::jsonb where id = $1`,
        [item.rows[0]!.id, CASE_NUMBER, own],
      );
    }
    await audit(tx, {
      orgId: actor.orgId,
      action: 'training.session_started',
      actorPersonId: actor.id,
      subjectType: 'training_session',
      subjectId: sessionId,
      data: { person_id: trainee.id, community_id: community.id, items: snapshots.length, topic: input.topic ?? null },
    });
    return { id: sessionId, items: snapshots.length };
  });
}

/** An item the person may read (trainee or training lead), else 404 (nothing reveals that it exists). */
export async function readableItem(pool: pg.Pool, person: PersonPrincipal, id: number): Promise<ItemRow> {
  const item = await getItem(pool, person.orgId, id);
  if (!item || !canReadTraining(person, { personId: item.person_id, communityId: item.community_id })) {
    throw notFound('training item');
  }
  return item;
}

function ownItem(person: PersonPrincipal, item: ItemRow): void {
  if (item.person_id !== person.id) throw new HttpError(403, 'forbidden', 'only the trainee answers a training item');
}

/** The trainee opens an item: the clock of the time to answer starts at the first opening. */
export async function openItem(pool: pg.Pool, person: PersonPrincipal, id: number): Promise<ItemRow> {
  const item = await readableItem(pool, person, id);
  if (item.person_id === person.id && item.opened_at === null) {
    const r = await pool.query<{ opened_at: Date }>(
      'update training_items set opened_at = now() where id = $1 and opened_at is null returning opened_at',
      [id],
    );
    if (r.rows[0]) item.opened_at = r.rows[0].opened_at;
  }
  return item;
}

/** The facts governance reads, taken from the replay instead of a live case. */
function itemFacts(item: ItemRow): CaseFacts {
  return {
    id: 0,
    community_id: item.community_id,
    channel: item.channel,
    account_id: item.account_id,
    tags: item.tags,
    merged_into: null,
    sensitive: item.sensitive,
    urgency: item.urgency as Urgency,
    sentiment: item.sentiment,
    lang: item.language,
  };
}

/** Governance's verdict on a draft, in a dry run: the same function as for a real reply, and nothing is sent. */
export async function checkAnswer(
  deps: TrainingDeps,
  person: PersonPrincipal,
  id: number,
  text: string,
): Promise<ReplyCheck> {
  const item = await readableItem(deps.pool, person, id);
  ownItem(person, item);
  const { requirement: _r, ...check } = await evaluateReply(deps, person, itemFacts(item), text.trim(), 'public');
  return check;
}

/** The composer's preview for a replay: variables filled with the replay's stand-ins, length against the network. */
export async function renderAnswer(
  deps: TrainingDeps,
  person: PersonPrincipal,
  id: number,
  input: { text?: string | undefined; canned_reply_id?: number | undefined },
) {
  const item = await readableItem(deps.pool, person, id);
  ownItem(person, item);
  let template = input.text ?? '';
  if (input.canned_reply_id !== undefined) {
    const r = await deps.pool.query<{ body: string; community_id: number | null }>(
      'select body, community_id from canned_replies where org_id = $1 and id = $2',
      [person.orgId, input.canned_reply_id],
    );
    const canned = r.rows[0];
    if (!canned || (canned.community_id !== null && canned.community_id !== item.community_id)) {
      throw notFound('canned reply');
    }
    template = canned.body;
  }
  const filled = fillVariables(template, {
    'contact.name': item.contact.name,
    'contact.handle': item.contact.handle,
    'case.id': `T${item.id}`,
    'agent.name': person.name,
    'agent.first_name': firstName(person.name),
    'community.name': deps.directory.communities.get(item.community_id)?.name ?? null,
  });
  const account = item.account_id === null ? undefined : deps.directory.accounts.get(item.account_id);
  const network = account?.network ?? item.channel;
  const max = deps.connectors.get(network)?.manifest.maxLength ?? null;
  const length = textLength(filled.text);
  return {
    text: filled.text,
    canned_reply_id: input.canned_reply_id ?? null,
    variables: { used: filled.used, unknown: filled.unknown, empty: filled.empty },
    network,
    length,
    max_length: max,
    fits: max === null || length <= max,
  };
}

/**
 * The trainee's answer: judged by the guidelines and the approval policy exactly as a real reply would be (a
 * blocked answer is refused, warnings must be acknowledged), then kept with its verdict and the time it took.
 * It is a training record only: no message, no outbox row, no network post.
 */
export async function answerItem(
  deps: TrainingDeps,
  person: PersonPrincipal,
  id: number,
  input: { text: string; canned_reply_id?: number | undefined; acknowledge_warnings?: boolean | undefined },
): Promise<ItemRow> {
  const text = input.text.trim();
  if (!text) throw invalidField('text', 'an answer cannot be empty');
  const item = await readableItem(deps.pool, person, id);
  ownItem(person, item);
  if (item.answered_at !== null) throw new HttpError(409, 'already_answered', 'this item was already answered');
  const { requirement: _r, ...verdict } = await evaluateReply(deps, person, itemFacts(item), text, 'public');
  const blocks = verdict.findings.filter((f) => f.severity === 'block');
  if (blocks.length > 0) {
    throw new HttpError(422, 'guideline_blocked', blocks.map((f) => f.message).join('; '), {}, verdict);
  }
  const warnings = verdict.findings.filter((f) => f.severity === 'warn');
  if (warnings.length > 0 && !input.acknowledge_warnings) {
    throw new HttpError(
      409,
      'guideline_warning',
      `${warnings.map((f) => f.message).join('; ')} (answer again with acknowledge_warnings to go on)`,
      {},
      verdict,
    );
  }
  return transaction(deps.pool, async (tx) => {
    const locked = await lockItem(tx, id);
    if (!locked || locked.answered_at !== null) {
      throw new HttpError(409, 'already_answered', 'this item was already answered');
    }
    await tx.query(
      `update training_items set answer_text = $2, canned_reply_id = $3, answered_at = now(), verdict = $4,
         opened_at = coalesce(opened_at, now()),
         seconds_to_answer = greatest(0, round(extract(epoch from now() - coalesce(opened_at, now()))))::int
       where id = $1`,
      [id, text, input.canned_reply_id ?? null, JSON.stringify(verdict)],
    );
    await tx.query(
      `update training_sessions set completed_at = now() where id = $1 and completed_at is null
         and not exists (select 1 from training_items where session_id = $1 and answered_at is null)`,
      [locked.session_id],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'training.answered',
      actorPersonId: person.id,
      subjectType: 'training_item',
      subjectId: id,
      data: {
        session_id: Number(locked.session_id),
        needs_approval: verdict.approval.required > 0 || verdict.approval.mode === 'all',
        warnings: warnings.map((w) => w.guideline),
        policy_version: verdict.policy_version,
      },
    });
    return (await getItem(tx, person.orgId, id)) as ItemRow;
  });
}

/** The trainee's own assessment (1–5), once the reference answer is revealed. */
export async function selfAssess(pool: pg.Pool, person: PersonPrincipal, id: number, score: number): Promise<ItemRow> {
  const item = await readableItem(pool, person, id);
  ownItem(person, item);
  if (item.answered_at === null) throw new HttpError(409, 'not_answered', 'answer the item before assessing it');
  await pool.query('update training_items set self_assessment = $2 where id = $1', [id, score]);
  return (await getItem(pool, person.orgId, id)) as ItemRow;
}

/** A training lead's score (1–5) and comment on an answer; audited. */
export async function scoreItem(
  pool: pg.Pool,
  person: PersonPrincipal,
  id: number,
  input: { score: number; comment: string },
): Promise<ItemRow> {
  const item = await readableItem(pool, person, id);
  if (!canScoreTraining(person, { personId: item.person_id, communityId: item.community_id })) {
    throw new HttpError(403, 'forbidden', 'you may not score this answer');
  }
  if (item.answered_at === null) throw new HttpError(409, 'not_answered', 'this item has not been answered yet');
  return transaction(pool, async (tx) => {
    await tx.query(
      `update training_items set leader_score = $2, leader_comment = $3, scored_by = $4, scored_at = now()
       where id = $1`,
      [id, input.score, input.comment, person.id],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'training.scored',
      actorPersonId: person.id,
      subjectType: 'training_item',
      subjectId: id,
      data: { score: input.score, trainee_id: item.person_id },
    });
    return (await getItem(tx, person.orgId, id)) as ItemRow;
  });
}

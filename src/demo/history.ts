import type pg from 'pg';
import { fillVariables, firstName } from '../domain/composer/variables.ts';
import type { InboundMessage, IngestResult } from '../domain/ingest/model.ts';
import type { Directory } from '../domain/organization/directory.ts';
import { seedDemoAdvocates } from './advocates.ts';
import { backdateDemoCases } from './backdate.ts';
import { createDemoStream, DEMO_CANNED_REPLIES } from './corpus.ts';

const PREFIX = 'history-';
const DAY = 86_400_000;

/** Which canned reply (by its place in each language's list) answered a past message, from its words. */
const ANSWERS: [RegExp, number][] = [
  [/annul|cancel|storn|annull|gestrichen/i, 1],
  [/bagage|valise|gepäck|koffer|bagagl|valigi|baggage|luggage|suitcase/i, 2],
  [/rembours|erstatt|rimbors|refund|geld zurück/i, 3],
  [/enregistr|check-?in/i, 4],
  [/fauteuil|rollstuhl|sedia a rotelle|wheelchair|pmr|prm/i, 5],
  [/retard|verspät|ritard|delay|late/i, 0],
];

/**
 * The demo organization's past: customer messages of the last two weeks, entered through the normal ingest path,
 * each answered by a manager of its desk with one of the desk's canned replies and resolved. It gives reports a
 * history and training sessions something to replay from the first minute. Runs once (its messages have fixed ids).
 */
export async function seedDemoHistory(
  deps: {
    pool: pg.Pool;
    directory: Directory;
    ingest(batch: InboundMessage[]): Promise<IngestResult[]>;
  },
  count = 80,
): Promise<number> {
  const done = await deps.pool.query('select 1 from messages where org_id = $1 and external_id = $2 limit 1', [
    deps.directory.orgId,
    `${PREFIX}0`,
  ]);
  if (done.rowCount) return 0;
  const now = Date.now();
  const stream = createDemoStream({ seed: 20_260_208, start: new Date(now - 14 * DAY) });
  const batch: InboundMessage[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(now - 14 * DAY + (i * 13 * DAY) / count);
    const m = stream.next(at);
    batch.push({
      channel: m.channel,
      external_id: `${PREFIX}${i}`,
      ...(m.account ? { account: m.account } : {}),
      author: m.author,
      text: m.text,
      created_at: at.toISOString(),
    } as InboundMessage);
  }
  const results = await deps.ingest(batch);
  const answered = new Set<number>();
  let resolved = 0;
  for (const [i, r] of results.entries()) {
    const caseId = Number(r.case_id);
    if (!caseId || answered.has(caseId)) continue;
    answered.add(caseId);
    if (await answer(deps, caseId, batch[i]!, i)) resolved++;
  }
  await backdateDemoCases(deps.pool, [...answered]);
  // Some customers of that past praise the brand or answer others: the first advocates.
  await seedDemoAdvocates(deps);
  return resolved;
}

async function answer(
  deps: { pool: pg.Pool; directory: Directory },
  caseId: number,
  asked: InboundMessage,
  i: number,
): Promise<boolean> {
  const c = await deps.pool.query<{
    community_id: number;
    account_id: number | null;
    contact_name: string;
    status: string;
  }>(
    `select c.community_id, c.account_id, ct.display_name as contact_name, c.status
     from cases c join contacts ct on ct.id = c.contact_id where c.id = $1`,
    [caseId],
  );
  const row = c.rows[0];
  const community = row && deps.directory.communities.get(row.community_id);
  const account = row?.account_id ? deps.directory.accounts.get(row.account_id) : undefined;
  const replies = community ? DEMO_CANNED_REPLIES[community.language as keyof typeof DEMO_CANNED_REPLIES] : undefined;
  if (!row || !community || !account || !replies || row.status === 'resolved') return false;
  const agent = await deps.pool.query<{ id: number; name: string }>(
    `select p.id, p.name from people p join person_communities pc on pc.person_id = p.id
     where pc.community_id = $1 and p.role = 'manager' and p.active order by p.id limit 1`,
    [row.community_id],
  );
  const person = agent.rows[0];
  if (!person) return false;
  const pick = ANSWERS.find(([re]) => re.test(asked.text))?.[1] ?? replies.length - 1;
  const canned = replies[pick] ?? replies[0]!;
  const text = fillVariables(canned.body, {
    'contact.name': firstName(row.contact_name) || null,
    'case.id': String(caseId),
    'agent.name': person.name,
    'agent.first_name': firstName(person.name),
    'community.name': community.name,
  }).text;
  const askedAt = new Date(asked.created_at ?? Date.now()).getTime();
  const repliedAt = new Date(askedAt + (15 + ((i * 37) % 150)) * 60_000);
  const client = await deps.pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `insert into messages (org_id, channel, external_id, case_id, account_id, direction, kind, author_handle,
         author_name, person_id, text, created_at)
       values ($1, $2, $3, $4, $5, 'out', 'reply', $6, $7, $8, $9, $10)`,
      [
        deps.directory.orgId,
        account.network,
        `${PREFIX}reply-${caseId}`,
        caseId,
        account.id,
        account.handle,
        account.displayName,
        person.id,
        text,
        repliedAt,
      ],
    );
    await client.query(
      `update cases set status = 'resolved', assignee_id = $2, first_responded_at = $3, last_outbound_at = $3,
         resolved_at = $3, updated_at = $3, message_count = message_count + 1, next_response_due_at = null,
         sla_paused_at = null
       where id = $1`,
      [caseId, person.id, repliedAt],
    );
    await client.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, at, data) values ($1, $2, $3, 'replied', $4, $5)`,
      [deps.directory.orgId, caseId, person.id, repliedAt, JSON.stringify({ resolve: true, history: true })],
    );
    await client.query('commit');
    return true;
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

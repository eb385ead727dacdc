import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import { canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import type { ChannelAccount, Directory } from '../organization/directory.ts';
import { CLOCK_COLUMNS, caseChangeClocks, clockSets } from '../sla/clocks.ts';
import { type CaseClocks, loadCaseSlaContext } from '../sla/deadlines.ts';
import { invalidField } from '../validation.ts';
import { enqueueWebhookEvents } from '../webhooks/events.ts';

export const OUTBOX_CHANNEL = 'passeur_outbox';

export interface ReplyInput {
  text: string;
  /** Resolve the case with this reply (else it waits for the customer). */
  resolve?: boolean | undefined;
  /** Defaults to the case's account. */
  accountId?: number | undefined;
  visibility?: 'public' | 'private' | undefined;
  /** Why a reply goes out from another community's account (required for that, and audited). */
  overrideReason?: string | undefined;
  /** The approval request this reply carries out (governance). */
  approvalId?: number | undefined;
}

export interface OutboxDeps {
  pool: pg.Pool;
  directory: Directory;
  sendDelayMs: number;
  /** Queue inside this transaction instead of a new one (an approval commits with its reply). */
  tx?: pg.PoolClient | undefined;
}

/**
 * The account a reply goes out from: the chosen one, else the case's (never a monitor). Another community's
 * account is refused unless a reason is given by a person who works in both communities; a paused account
 * (kill switch) is refused.
 */
export function replyAccount(
  directory: Directory,
  person: PersonPrincipal,
  c: { community_id: number; channel: string; account_id: number | null },
  input: Pick<ReplyInput, 'accountId' | 'overrideReason'>,
): ChannelAccount {
  const chosen = directory.accounts.get(input.accountId ?? c.account_id ?? -1);
  // A monitor (feeds, keyword searches) is where a message was found, never an identity to answer as.
  const account = (chosen?.kind === 'account' ? chosen : undefined) ?? directory.accountOf(c.community_id, c.channel);
  if (!account) {
    throw new HttpError(
      409,
      'no_account',
      'this case has no brand account to reply from (e.g. a press article): add a note instead',
    );
  }
  if (account.communityId !== c.community_id) {
    const reason = input.overrideReason?.trim() ?? '';
    if (reason.length < 5 || !canWorkCase(person, account.communityId)) {
      const community = directory.communities.get(account.communityId);
      throw new HttpError(
        403,
        'wrong_account',
        `${account.handle} belongs to ${community?.name ?? 'another community'}, not to this case's community` +
          (reason ? ': an override needs a reason and a person who works in both communities' : ''),
      );
    }
  }
  if (account.paused) throw new HttpError(409, 'account_paused', `outbound messages from ${account.handle} are paused`);
  return account;
}

export interface QueuedReply {
  message_id: number;
  outbox_id: number;
  status: 'pending';
  send_at: string;
  account: { id: number; network: string; handle: string };
}

/**
 * Queues a reply: the outbound message, its outbox row, the case's new status and the audit record are
 * written in one transaction; the worker publishes it after the send delay (during which it can be undone).
 */
export async function queueReply(
  deps: OutboxDeps,
  person: PersonPrincipal,
  caseId: number,
  input: ReplyInput,
): Promise<QueuedReply> {
  const text = input.text.trim();
  if (!text) throw invalidField('text', 'a reply cannot be empty');
  const run = <T>(fn: (tx: pg.PoolClient) => Promise<T>) => (deps.tx ? fn(deps.tx) : transaction(deps.pool, fn));
  return run(async (tx) => {
    const c = await tx.query<
      CaseClocks & {
        id: number;
        account_id: number | null;
        channel: string;
        assignee_id: number | null;
        merged_into: number | null;
      }
    >(
      `select id, account_id, channel, assignee_id, merged_into, ${CLOCK_COLUMNS} from cases
       where id = $1 and org_id = $2 for update`,
      [caseId, person.orgId],
    );
    const row = c.rows[0];
    if (!row || !canWorkCase(person, row.community_id)) {
      if (row && person.communityIds.has(row.community_id))
        throw new HttpError(403, 'forbidden', 'your role cannot reply');
      throw notFound('case');
    }
    if (row.merged_into !== null) {
      throw new HttpError(409, 'merged', `this case was merged into case ${row.merged_into}: reply there`);
    }
    const account = replyAccount(deps.directory, person, row, input);
    const crossCommunity = account.communityId !== row.community_id;
    const parent = await tx.query<{ external_id: string | null; conversation_id: number | null }>(
      `select external_id, conversation_id from messages where case_id = $1 and direction = 'in' and channel = $2
       order by id desc limit 1`,
      [caseId, account.network],
    );
    const inReplyTo = parent.rows[0]?.external_id ?? null;
    const visibility = input.visibility ?? 'public';
    const msg = await tx.query<{ id: number }>(
      // The reply joins the conversation it answers: a customer answering it is threaded back into this case.
      `insert into messages (org_id, channel, case_id, account_id, direction, kind, author_handle, author_name, person_id,
         text, in_reply_to, created_at, meta, conversation_id)
       values ($1, $2, $3, $4, 'out', 'reply', $5, $6, $7, $8, $9, now(), $10, $11) returning id`,
      [
        person.orgId,
        account.network,
        caseId,
        account.id,
        account.handle,
        account.displayName,
        person.id,
        text,
        inReplyTo,
        { visibility },
        parent.rows[0]?.conversation_id ?? null,
      ],
    );
    const messageId = msg.rows[0]!.id;
    const key = randomUUID();
    const sendAt = new Date(Date.now() + deps.sendDelayMs);
    const ob = await tx.query<{ id: number }>(
      `insert into outbox (org_id, message_id, case_id, account_id, network, idempotency_key, payload, not_before, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [
        person.orgId,
        messageId,
        caseId,
        account.id,
        account.network,
        key,
        { text, inReplyTo, visibility },
        sendAt,
        person.id,
      ],
    );
    const status = input.resolve ? 'resolved' : 'waiting_customer';
    // Waiting for the customer pauses the resolution clock; resolving stops the clocks.
    const params: unknown[] = [caseId, status, person.id];
    const clocks = clockSets(
      caseChangeClocks(await loadCaseSlaContext(tx, person.orgId, row), row, { status }, new Date()),
      params,
    );
    await tx.query(
      `update cases set status = $2, updated_at = now(), assignee_id = coalesce(assignee_id, $3),
         assigned_at = case when assignee_id is null then now() else assigned_at end,
         message_count = message_count + 1,
         resolved_at = case when $2 = 'resolved' then now() else resolved_at end
         ${clocks.map((set) => `, ${set}`).join('')}
       where id = $1`,
      params,
    );
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'replied', $4)`,
      [person.orgId, caseId, person.id, { message_id: messageId, account_id: account.id, status }],
    );
    await enqueueWebhookEvents(tx, person.orgId, [
      ...(row.assignee_id === null
        ? [{ event: 'case.assigned' as const, caseId, data: { assignee_id: person.id, previous_assignee_id: null } }]
        : []),
      ...(status === 'resolved' && row.status !== 'resolved' ? [{ event: 'case.resolved' as const, caseId }] : []),
    ]);
    await audit(tx, {
      orgId: person.orgId,
      action: 'reply.queued',
      actorPersonId: person.id,
      accountId: account.id,
      subjectType: 'case',
      subjectId: caseId,
      data: {
        message_id: messageId,
        outbox_id: ob.rows[0]!.id,
        visibility,
        ...(input.approvalId !== undefined ? { approval_id: input.approvalId } : {}),
        ...(crossCommunity ? { cross_community_override: input.overrideReason?.trim() } : {}),
      },
    });
    await publish(tx, [
      {
        type: 'message.created',
        org_id: person.orgId,
        case_id: caseId,
        community_id: row.community_id,
        message_id: messageId,
      },
      { type: 'case.updated', org_id: person.orgId, case_id: caseId, community_id: row.community_id },
    ]);
    await tx.query('select pg_notify($1, $2)', [OUTBOX_CHANNEL, String(ob.rows[0]!.id)]);
    return {
      message_id: messageId,
      outbox_id: ob.rows[0]!.id,
      status: 'pending',
      send_at: sendAt.toISOString(),
      account: { id: account.id, network: account.network, handle: account.handle },
    };
  });
}

/** Cancels a reply still waiting for its send delay; once sending started it is too late. */
export async function undoReply(pool: pg.Pool, person: PersonPrincipal, messageId: number): Promise<void> {
  await transaction(pool, async (tx) => {
    const r = await tx.query<{ id: number; case_id: number; community_id: number; created_by: number | null }>(
      `update outbox o set status = 'cancelled'
       from cases c
       where o.message_id = $1 and o.org_id = $2 and o.status = 'pending' and o.not_before > now() and c.id = o.case_id
       returning o.id, o.case_id, c.community_id, o.created_by`,
      [messageId, person.orgId],
    );
    const row = r.rows[0];
    if (!row || !canWorkCase(person, row.community_id)) {
      throw new HttpError(409, 'too_late', 'this reply is already being sent (or does not exist) and cannot be undone');
    }
    // The reply never left: the case needs an answer again. A clock paused for the customer resumes; one
    // stopped by resolving runs on with its deadline unchanged, as if the reply had never been queued.
    const locked = await tx.query<CaseClocks>(`select ${CLOCK_COLUMNS} from cases where id = $1 for update`, [
      row.case_id,
    ]);
    const c = locked.rows[0]!;
    const params: unknown[] = [row.case_id];
    const clocks =
      c.status === 'waiting_customer'
        ? clockSets(
            caseChangeClocks(await loadCaseSlaContext(tx, person.orgId, c), c, { status: 'open' }, new Date()),
            params,
          )
        : [];
    await tx.query(
      `update cases set status = 'open', resolved_at = null, updated_at = now() ${clocks.map((set) => `, ${set}`).join('')}
       where id = $1 and status in ('waiting_customer', 'resolved')`,
      params,
    );
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'reply_undone', $4)`,
      [person.orgId, row.case_id, person.id, { message_id: messageId }],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'reply.undone',
      actorPersonId: person.id,
      subjectType: 'message',
      subjectId: messageId,
    });
    await publish(tx, [
      {
        type: 'message.updated',
        org_id: person.orgId,
        case_id: row.case_id,
        community_id: row.community_id,
        message_id: messageId,
      },
    ]);
  });
}

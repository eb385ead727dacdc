import type pg from 'pg';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { publish, type RealtimeEvent } from '../../server/realtime/events.ts';
import { audit } from '../audit/log.ts';
import { MAIL_CHANNEL, notify } from '../notifications/service.ts';
import type { ChannelAccount, Directory } from '../organization/directory.ts';
import { OUTBOX_CHANNEL } from '../outbox/service.ts';
import { loadCandidates } from '../routing/assignment.ts';
import { WEBHOOKS_CHANNEL } from '../webhooks/events.ts';
import { acknowledgementFor, type CoverageSettings, loadSettings } from './settings.ts';

/**
 * Out of hours: when an inbound message reaches a community where nobody is on duty, the customer gets the
 * community's automatic acknowledgement (once per conversation and out-of-hours period), and an urgent case
 * pages the on-call people by email and the pager webhook (once per case).
 *
 * The pass runs after ingest has committed, over the inbound messages since its cursor, so ingest never waits
 * on it and a process that dies mid-pass loses nothing: the unique indexes of `coverage_actions` make a
 * message seen twice harmless. Everything a pass sends is written in its transaction (outbox row, email
 * notification, webhook delivery) and leaves after the commit through the existing workers.
 */

const LOCK = 7_311_040;
const BATCH = 500;
/**
 * Ids below the cursor looked at again when received in the last seconds: an ingest transaction may commit
 * after one with a higher id. Seeing a message twice sends nothing twice (unique indexes).
 */
const RESCAN = 200;
const RESCAN_SECONDS = 10;
/** Messages older than this (by receipt) are never acknowledged: a pass after a long stop does not reply late. */
const FRESH_MINUTES = 60;
/** Kinds a brand can answer where they were written; article mentions and notes are not replied to. */
const REPLYABLE_KINDS = new Set(['post', 'reply', 'dm', 'email']);
const PAGED_URGENCIES = new Set(['high', 'critical']);
/** The webhook event of a page (deliveries go only to the community's pager webhook). */
export const PAGE_EVENT = 'case.paged';
/** The period of acknowledgements a routing rule asks for: one per conversation, whatever the hours. */
const RULE_PERIOD = new Date(0);

export interface OutOfHoursDeps {
  pool: pg.Pool;
  directory: () => Directory;
  /** Where people open Passeur (links in pages). */
  publicUrl: string;
}

interface Inbound {
  id: number;
  case_id: number;
  conversation_id: number | null;
  channel: string;
  kind: string;
  lang: string | null;
  urgency: string | null;
  external_id: string | null;
  community_id: number;
  case_account_id: number | null;
  case_urgency: string | null;
  priority: string;
  case_language: string | null;
  topics: string[];
  status: string;
  /** A routing rule asked for an automatic acknowledgement of this case (in hours too). */
  rule_ack: boolean;
}

export interface OutOfHoursResult {
  acknowledged: number;
  paged: number;
  scanned: number;
}

/** Which communities have someone on duty at `now` (the same duty computation as assignment). */
export async function coveredCommunities(db: Queryable, orgId: number, now: Date): Promise<Set<number>> {
  const covered = new Set<number>();
  for (const c of await loadCandidates(db, orgId, now)) {
    if (c.onDuty) for (const id of c.communityIds) covered.add(id);
  }
  return covered;
}

/**
 * Records whether each community with coverage settings is covered; returns the start of the current
 * out-of-hours period of each community nobody covers.
 */
async function outOfHoursPeriods(
  tx: Queryable,
  orgId: number,
  communityIds: number[],
  covered: Set<number>,
  now: Date,
): Promise<Map<number, Date>> {
  await tx.query(
    `insert into coverage_state (community_id, org_id, covered, since)
     select x.id, $1, x.covered, $4 from unnest($2::int[], $3::boolean[]) as x(id, covered)
     on conflict (community_id) do update set covered = excluded.covered, since = excluded.since
       where coverage_state.covered <> excluded.covered`,
    [orgId, communityIds, communityIds.map((id) => covered.has(id)), now],
  );
  const states = await tx.query<{ community_id: number; covered: boolean; since: Date }>(
    'select community_id, covered, since from coverage_state where community_id = any($1::int[])',
    [communityIds],
  );
  return new Map(states.rows.filter((s) => !s.covered).map((s) => [s.community_id, s.since]));
}

/** The brand account an acknowledgement goes out from: the case's community's own, on the message's network. */
function ackAccount(directory: Directory, m: Inbound): ChannelAccount | undefined {
  const own = m.case_account_id === null ? undefined : directory.accounts.get(m.case_account_id);
  const account =
    own && own.kind === 'account' && own.network === m.channel && own.communityId === m.community_id
      ? own
      : directory.accountOf(m.community_id, m.channel);
  // Never from another community's account, never from a paused one.
  if (!account || account.communityId !== m.community_id || account.paused) return undefined;
  return account;
}

async function acknowledge(
  tx: Queryable,
  directory: Directory,
  settings: CoverageSettings,
  m: Inbound,
  periodStart: Date,
  events: RealtimeEvent[],
): Promise<boolean> {
  if (!REPLYABLE_KINDS.has(m.kind) || m.conversation_id === null || m.external_id === null) return false;
  if (periodStart === RULE_PERIOD) {
    const done = await tx.query(
      `select 1 from coverage_actions where conversation_id = $1 and kind = 'auto_ack' limit 1`,
      [m.conversation_id],
    );
    if (done.rowCount) return false;
  }
  const account = ackAccount(directory, m);
  const community = directory.communities.get(m.community_id);
  const ack = acknowledgementFor(settings.autoAckTexts, [m.lang, m.case_language, community?.language]);
  if (!account || !ack) return false;
  const orgId = directory.orgId;
  const claimed = await tx.query<{ id: number }>(
    `insert into coverage_actions (org_id, community_id, case_id, conversation_id, kind, message_id, period_start, lang)
     values ($1, $2, $3, $4, 'auto_ack', $5, $6, $7)
     on conflict (conversation_id, period_start) where kind = 'auto_ack' do nothing
     returning id`,
    [orgId, m.community_id, m.case_id, m.conversation_id, m.id, periodStart, ack.lang],
  );
  const actionId = claimed.rows[0]?.id;
  if (actionId === undefined) return false;
  const visibility = m.kind === 'dm' ? 'private' : 'public';
  // Its own kind: the thread labels it, and approval statistics (replies written by people) leave it out.
  const msg = await tx.query<{ id: number }>(
    `insert into messages (org_id, channel, case_id, account_id, direction, kind, author_handle, author_name, text,
       in_reply_to, created_at, meta, conversation_id, lang)
     values ($1, $2, $3, $4, 'out', 'auto_ack', $5, $6, $7, $8, now(), $9, $10, $11) returning id`,
    [
      orgId,
      account.network,
      m.case_id,
      account.id,
      account.handle,
      account.displayName,
      ack.text,
      m.external_id,
      { visibility, auto_ack: true },
      m.conversation_id,
      ack.lang,
    ],
  );
  const replyId = msg.rows[0]!.id;
  // Pre-approved text, sent at once (no undo delay); `autoAck` keeps the case's response clocks running.
  const ob = await tx.query<{ id: number }>(
    `insert into outbox (org_id, message_id, case_id, account_id, network, idempotency_key, payload, not_before)
     values ($1, $2, $3, $4, $5, $6, $7, now()) returning id`,
    [
      orgId,
      replyId,
      m.case_id,
      account.id,
      account.network,
      `auto-ack-${actionId}`,
      { text: ack.text, inReplyTo: m.external_id, visibility, autoAck: true },
    ],
  );
  await tx.query('update coverage_actions set reply_message_id = $2 where id = $1', [actionId, replyId]);
  await tx.query('update cases set message_count = message_count + 1, updated_at = now() where id = $1', [m.case_id]);
  await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, 'auto_acknowledged', $3)`, [
    orgId,
    m.case_id,
    { message_id: m.id, reply_message_id: replyId, lang: ack.lang, account_id: account.id },
  ]);
  await audit(tx, {
    orgId,
    action: 'coverage.auto_acknowledged',
    accountId: account.id,
    subjectType: 'case',
    subjectId: m.case_id,
    data: { message_id: m.id, reply_message_id: replyId, outbox_id: ob.rows[0]!.id, lang: ack.lang },
  });
  events.push(
    { type: 'message.created', org_id: orgId, case_id: m.case_id, community_id: m.community_id, message_id: replyId },
    { type: 'case.updated', org_id: orgId, case_id: m.case_id, community_id: m.community_id },
  );
  await tx.query('select pg_notify($1, $2)', [OUTBOX_CHANNEL, String(ob.rows[0]!.id)]);
  return true;
}

async function page(
  tx: Queryable,
  deps: OutOfHoursDeps,
  directory: Directory,
  settings: CoverageSettings,
  m: Inbound,
): Promise<boolean> {
  const urgency = PAGED_URGENCIES.has(m.urgency ?? '') ? m.urgency! : m.case_urgency;
  if (!PAGED_URGENCIES.has(urgency ?? '')) return false;
  if (settings.onCallIds.length === 0 && settings.pagerWebhookId === null) return false;
  const orgId = directory.orgId;
  const claimed = await tx.query<{ id: number }>(
    `insert into coverage_actions (org_id, community_id, case_id, conversation_id, kind, message_id)
     values ($1, $2, $3, $4, 'page', $5)
     on conflict (case_id) where kind = 'page' do nothing
     returning id`,
    [orgId, m.community_id, m.case_id, m.conversation_id, m.id],
  );
  const actionId = claimed.rows[0]?.id;
  if (actionId === undefined) return false;
  // A page is always emailed, whatever the person's notification preferences.
  const notified = await notify(tx, {
    orgId,
    personIds: settings.onCallIds,
    kind: 'on_call_page',
    caseId: m.case_id,
    data: { urgency, community_id: m.community_id },
  });
  const emailed = notified.map((n) => n.id);
  if (emailed.length > 0) {
    await tx.query(
      `update notifications set email_status = 'pending' where id = any($1::bigint[]) and email_status is null`,
      [emailed],
    );
    await tx.query('select pg_notify($1, $2)', [MAIL_CHANNEL, 'pending']);
  }
  let webhookDelivery: number | null = null;
  if (settings.pagerWebhookId !== null) {
    const community = directory.communities.get(m.community_id);
    const onCall = await tx.query<{ id: number; name: string; email: string }>(
      'select id, name, email from people where id = any($1::int[]) and org_id = $2 and active order by id',
      [settings.onCallIds, orgId],
    );
    // Ids and labels only, never customer text (like every outgoing webhook).
    const payload = {
      event: PAGE_EVENT,
      occurred_at: new Date().toISOString(),
      case: {
        id: m.case_id,
        url: `${deps.publicUrl.replace(/\/+$/, '')}/cases/${m.case_id}`,
        status: m.status,
        priority: m.priority,
        urgency,
        channel: m.channel,
        language: m.case_language,
        topics: m.topics,
        community: { id: m.community_id, slug: community?.slug ?? null },
      },
      data: { on_call: onCall.rows, message_id: m.id },
    };
    const d = await tx.query<{ id: number }>(
      `insert into webhook_deliveries (org_id, webhook_id, event, payload) values ($1, $2, $3, $4) returning id`,
      [orgId, settings.pagerWebhookId, PAGE_EVENT, payload],
    );
    webhookDelivery = d.rows[0]!.id;
    await tx.query('select pg_notify($1, $2)', [WEBHOOKS_CHANNEL, '1']);
  }
  const detail = {
    urgency,
    people: notified.map((n) => n.person_id),
    webhook_delivery_id: webhookDelivery,
  };
  await tx.query('update coverage_actions set detail = $2 where id = $1', [actionId, detail]);
  await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, 'on_call_paged', $3)`, [
    orgId,
    m.case_id,
    { ...detail, webhook: webhookDelivery !== null },
  ]);
  await audit(tx, {
    orgId,
    action: 'coverage.paged',
    subjectType: 'case',
    subjectId: m.case_id,
    data: detail,
  });
  return true;
}

/** One pass over the inbound messages since the cursor. `now` decides who is on duty (injectable for tests). */
export async function runOutOfHours(deps: OutOfHoursDeps, now: Date): Promise<OutOfHoursResult> {
  const directory = deps.directory();
  const orgId = directory.orgId;
  return transaction(deps.pool, async (tx) => {
    const result: OutOfHoursResult = { acknowledged: 0, paged: 0, scanned: 0 };
    const locked = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, $2) as ok', [LOCK, orgId]);
    if (!locked.rows[0]?.ok) return result;
    const cursorRow = await tx.query<{ last_message_id: number }>(
      'select last_message_id from coverage_cursor where org_id = $1',
      [orgId],
    );
    const saved = [...(await loadSettings(tx, orgId)).values()];
    // Acknowledgement texts also serve routing rules that ask for one, whether or not out-of-hours ones are on.
    const settings = saved.filter((s) => s.autoAckEnabled || s.pagingEnabled || Object.keys(s.autoAckTexts).length > 0);
    const max = await tx.query<{ id: number | null }>('select max(id)::bigint as id from messages');
    const maxId = Number(max.rows[0]?.id ?? 0);
    // First pass: look back a little (freshness still applies), never over the whole history.
    const cursor = cursorRow.rows[0] ? Number(cursorRow.rows[0].last_message_id) : Math.max(0, maxId - 10_000);
    let next = cursor;
    if (settings.length > 0) {
      const byCommunity = new Map(settings.map((s) => [s.communityId, s]));
      const covered = await coveredCommunities(tx, orgId, now);
      // Every community with settings keeps its periods, so switching a feature back on starts from the right one.
      const all = saved.map((s) => s.communityId);
      const periods = await outOfHoursPeriods(tx, orgId, all, covered, now);
      const ruleAcks = settings.some((s) => Object.keys(s.autoAckTexts).length > 0);
      if (periods.size > 0 || ruleAcks) {
        const r = await tx.query<Inbound>(
          `select m.id, m.case_id, m.conversation_id, m.channel, m.kind, m.lang, m.urgency, m.external_id,
             c.community_id, c.account_id as case_account_id, c.urgency as case_urgency, c.priority,
             c.language as case_language, c.topics, c.status,
             coalesce((c.routing->>'auto_acknowledge')::boolean, false) as rule_ack
           from messages m join cases c on c.id = m.case_id
           where m.org_id = $1 and m.direction = 'in' and m.received_at > now() - make_interval(mins => $3)
             and (m.id > $2 or (m.id > $2 - $5 and m.received_at > now() - make_interval(secs => $6)))
           order by m.id limit $4`,
          [orgId, cursor, FRESH_MINUTES, BATCH, RESCAN, RESCAN_SECONDS],
        );
        const events: RealtimeEvent[] = [];
        for (const m of r.rows) {
          result.scanned++;
          next = Math.max(next, Number(m.id));
          const s = byCommunity.get(m.community_id);
          if (!s) continue;
          const since = periods.get(m.community_id);
          if (since === undefined) {
            // In hours, only a routing rule's acknowledgement: once per conversation, never after another one.
            if (m.rule_ack && (await acknowledge(tx, directory, s, m, RULE_PERIOD, events))) result.acknowledged++;
            continue;
          }
          if (s.autoAckEnabled && (await acknowledge(tx, directory, s, m, since, events))) result.acknowledged++;
          if (s.pagingEnabled && (await page(tx, deps, directory, s, m))) result.paged++;
        }
        await publish(tx, events);
        // A full batch: the next pass goes on from here; otherwise everything up to now was looked at.
        if (r.rows.length < BATCH) next = Math.max(next, maxId);
      } else next = maxId;
    } else next = maxId;
    await tx.query(
      `insert into coverage_cursor (org_id, last_message_id) values ($1, $2)
       on conflict (org_id) do update set last_message_id = greatest(coverage_cursor.last_message_id, excluded.last_message_id)`,
      [orgId, next],
    );
    return result;
  });
}

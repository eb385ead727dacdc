import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { EVENTS_CHANNEL, notificationPayloads, type RealtimeEvent } from '../../server/realtime/events.ts';
import type { TriageResult, Triager } from '../../triage/types.ts';
import type { Community, Directory } from '../organization/directory.ts';
import type { Router } from '../routing/router.ts';
import { customerMessageClocks, type SlaContext } from '../sla/deadlines.ts';
import { enqueueWebhookEvents } from '../webhooks/events.ts';
import type { InboundMessage, IngestResult } from './model.ts';
import { IngestQueue } from './queue.ts';
import { latest, routeNewCases } from './route-cases.ts';
import * as store from './store.ts';

/**
 * The one ingest path: the demo stream, imports, webhooks, pollers and `POST /api/v1/messages` all call
 * `ingest`. A batch is deduplicated on (channel, external_id), triaged, assigned to communities, threaded,
 * and stored with its cases in one transaction (new customers' contacts just before, in their own); the caller's
 * promise resolves only after the commit.
 */
export interface IngestDeps {
  pool: pg.Pool;
  directory: () => Directory;
  triager: () => Triager;
  router: () => Router;
  /** SLA policies and calendars of the organization. */
  sla: () => SlaContext;
}

/** A concurrent transaction created a row this batch also planned to create: run the batch again. */
class ConcurrentInsert extends Error {}

const RETRYABLE_CODES = new Set(['40001', '40P01', '23505']);

function keyOf(channel: string, externalId: string): string {
  return `${channel}\u0001${externalId}`;
}

/** Triage of a batch, as ingest stores it (a language the network already gave wins over detection). */
function triageMessages(triager: Triager, batch: readonly InboundMessage[]): TriageResult[] {
  return triager.triage(
    batch.map((m) => ({ text: m.text, channel: m.channel, ...(m.meta?.lang ? { lang: m.meta.lang } : {}) })),
  );
}

/** The group-commit queue of a server process (and of the ingest benchmark): batches go through `ingest`. */
export function createIngestQueue(deps: IngestDeps, opts: { maxBatch?: number } = {}): IngestQueue {
  return new IngestQueue((batch) => ingest(deps, batch), opts);
}

/** Stores a batch. Each new message is triaged once, whatever the retries. */
export async function ingest(deps: IngestDeps, items: readonly InboundMessage[]): Promise<IngestResult[]> {
  const directory = deps.directory();
  const triage: (TriageResult | undefined)[] = new Array(items.length);
  const orgId = directory.orgId;
  const results: (IngestResult | undefined)[] = new Array(items.length);
  // Within the batch, a repeated key maps to its first occurrence.
  const firstIndex = new Map<string, number>();
  const unique: number[] = [];
  items.forEach((m, i) => {
    const k = keyOf(m.channel, m.external_id);
    if (!firstIndex.has(k)) {
      firstIndex.set(k, i);
      unique.push(i);
    }
  });

  for (let attempt = 0; ; attempt++) {
    const existing = await store.findMessages(
      deps.pool,
      orgId,
      unique.map((i) => items[i]!.channel),
      unique.map((i) => items[i]!.external_id),
    );
    const known = new Map(existing.map((r) => [keyOf(r.channel, r.external_id), r]));
    const fresh = unique.filter((i) => !known.has(keyOf(items[i]!.channel, items[i]!.external_id)));
    for (const i of unique) {
      const r = known.get(keyOf(items[i]!.channel, items[i]!.external_id));
      if (r) results[i] = { message_id: r.id, case_id: r.case_id, created: false };
    }
    if (fresh.length === 0) break;
    const untriaged = fresh.filter((i) => triage[i] === undefined);
    if (untriaged.length > 0) {
      const out = triageMessages(
        deps.triager(),
        untriaged.map((i) => items[i]!),
      );
      untriaged.forEach((i, j) => {
        triage[i] = out[j];
      });
    }
    try {
      const stored = await storeFresh(
        deps,
        directory,
        fresh.map((i) => items[i]!),
        fresh.map((i) => triage[i]!),
      );
      fresh.forEach((i, j) => {
        results[i] = stored[j];
      });
      break;
    } catch (err) {
      const code = (err as { code?: string }).code;
      const retryable = err instanceof ConcurrentInsert || (code !== undefined && RETRYABLE_CODES.has(code));
      if (!retryable || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 10 * (attempt + 1)));
    }
  }
  return items.map((m, i) => {
    const first = firstIndex.get(keyOf(m.channel, m.external_id))!;
    const r = results[first]!;
    return first === i ? r : { ...r, created: false };
  });
}

/** Picks the community: the account the message reached, else its language within the brand it names. */
export function assignCommunity(
  directory: Directory,
  m: InboundMessage,
  lang: string,
): { community: Community; accountId: number | null; reason: string } {
  const account = m.account ? directory.account(m.channel, m.account) : undefined;
  if (account) {
    const community = directory.communities.get(account.communityId)!;
    return { community, accountId: account.id, reason: `reached account ${account.handle}` };
  }
  const brand = directory.brandMentioned(`${m.account ?? ''} ${m.text}`);
  const byLanguage = directory.communityFor(brand.id, lang);
  if (byLanguage) return { community: byLanguage, accountId: null, reason: `language ${lang}, brand ${brand.name}` };
  const fallback =
    (brand.fallbackCommunityId !== null ? directory.communities.get(brand.fallbackCommunityId) : undefined) ??
    directory.communities.values().next().value!;
  return {
    community: fallback,
    accountId: null,
    reason: `no ${brand.name} community speaks ${lang}: fallback ${fallback.name}`,
  };
}

interface Plan {
  m: InboundMessage;
  triage: TriageResult;
  community: Community;
  accountId: number | null;
  communityReason: string;
  contactId: number;
  conversationId: number;
  caseId: number;
}

async function storeFresh(
  deps: IngestDeps,
  directory: Directory,
  batch: InboundMessage[],
  triaged: TriageResult[],
): Promise<IngestResult[]> {
  const orgId = directory.orgId;
  const assigned = batch.map((m, i) => assignCommunity(directory, m, triaged[i]!.lang));

  // 1. Contacts, by channel identity. New ones are created and committed before the batch's transaction: a
  // contact is shared state that concurrent batches (other processes) may need at the same moment, and waiting
  // for it must not mean waiting for a whole batch. At worst a failed batch leaves a contact that its retry uses.
  const identityKeys = new Map<string, { channel: string; handle: string; name: string | null }>();
  for (const m of batch) {
    identityKeys.set(keyOf(m.channel, m.author.handle), {
      channel: m.channel,
      handle: m.author.handle,
      name: m.author.name ?? null,
    });
  }
  const idents = [...identityKeys.values()];
  const found = await store.findIdentities(
    deps.pool,
    orgId,
    idents.map((x) => x.channel),
    idents.map((x) => x.handle),
  );
  const contactOf = new Map(found.map((r) => [keyOf(r.channel, r.handle), r.contact_id]));
  const missing = idents.filter((x) => !contactOf.has(keyOf(x.channel, x.handle)));
  // Its commit need not wait for the disk: the batch's own commit, later in the same log, makes it durable too.
  const created =
    missing.length === 0
      ? []
      : await transaction(deps.pool, async (tx) => {
          await tx.query('set local synchronous_commit = off');
          return store.createContacts(
            tx,
            orgId,
            missing.map((x) => ({ ...x, display_name: x.name ?? x.handle })),
          );
        });
  for (const c of created) contactOf.set(keyOf(c.channel, c.handle), c.contact_id);

  return transaction(deps.pool, async (tx) => {
    // 2. Threading: the parent's conversation, else the thread root's conversation for this contact.
    const parentKeys = batch.filter((m) => m.in_reply_to !== undefined);
    const rootKeys = batch.map((m) => ({
      channel: m.channel,
      root: m.in_reply_to ?? m.external_id,
      contact: contactOf.get(keyOf(m.channel, m.author.handle))!,
    }));
    const {
      parents,
      conversations: convs,
      openCases,
    } = await store.findThreading(
      tx,
      orgId,
      parentKeys.map((m) => ({ channel: m.channel, external_id: m.in_reply_to! })),
      rootKeys,
      [...new Set(rootKeys.map((k) => k.contact))],
    );
    const parentOf = new Map(parents.map((p) => [keyOf(p.channel, p.external_id), p]));
    const convOf = new Map<string, store.ConversationRef>(
      convs.map((c) => [`${keyOf(c.channel, c.root_external_id)}\u0001${c.contact_id}`, c]),
    );
    const openCaseOf = new Map(openCases.map((c) => [`${c.contact_id}:${c.community_id}`, c.id]));

    const plans: Plan[] = [];
    const inBatch = new Map<string, Plan>();
    const newConversations: Parameters<typeof store.insertConversations>[2] = [];
    const newCasePlans: Plan[] = [];
    const pendingCase = new Map<string, number>();
    let nextTempCase = -1;
    let nextTempConv = -1;

    for (const [i, m] of batch.entries()) {
      const contactId = rootKeys[i]!.contact;
      const base = {
        m,
        triage: triaged[i]!,
        community: assigned[i]!.community,
        accountId: assigned[i]!.accountId,
        communityReason: assigned[i]!.reason,
        contactId,
      };
      let plan: Plan | undefined;
      const parentKey = m.in_reply_to !== undefined ? keyOf(m.channel, m.in_reply_to) : undefined;
      const parent = parentKey ? parentOf.get(parentKey) : undefined;
      const parentInBatch = parentKey ? inBatch.get(parentKey) : undefined;
      if (parent?.conversation_id) {
        plan = { ...base, conversationId: parent.conversation_id, caseId: parent.case_id };
      } else if (parentInBatch) {
        plan = { ...base, conversationId: parentInBatch.conversationId, caseId: parentInBatch.caseId };
      } else {
        const rootKey = `${keyOf(m.channel, rootKeys[i]!.root)}\u0001${contactId}`;
        const conv = convOf.get(rootKey);
        if (conv) {
          plan = { ...base, conversationId: conv.id, caseId: conv.case_id };
        } else {
          const scope = `${contactId}:${base.community.id}`;
          const caseId = openCaseOf.get(scope) ?? pendingCase.get(scope) ?? nextTempCase--;
          plan = { ...base, conversationId: nextTempConv--, caseId };
          if (caseId < 0 && !pendingCase.has(scope)) {
            pendingCase.set(scope, caseId);
            newCasePlans.push(plan);
          }
          convOf.set(rootKey, {
            id: plan.conversationId,
            channel: m.channel,
            root_external_id: rootKeys[i]!.root,
            contact_id: contactId,
            case_id: caseId,
          });
          newConversations.push({
            id: plan.conversationId,
            channel: m.channel,
            root: rootKeys[i]!.root,
            contact_id: contactId,
            case_id: caseId,
            account_id: base.accountId,
          });
        }
      }
      plans.push(plan);
      inBatch.set(keyOf(m.channel, m.external_id), plan);
    }

    // 3. Real ids for the new cases and conversations planned with temporary (negative) ids.
    const { cases: caseIds, conversations: convIds } = await store.reserveIds(
      tx,
      newCasePlans.length,
      newConversations.length,
    );
    const caseIdOf = new Map(newCasePlans.map((p, i) => [p.caseId, caseIds[i]!]));
    const convIdOf = new Map(newConversations.map((c, i) => [c.id, convIds[i]!]));
    for (const p of plans) {
      if (p.caseId < 0) p.caseId = caseIdOf.get(p.caseId)!;
      if (p.conversationId < 0) p.conversationId = convIdOf.get(p.conversationId)!;
    }
    for (const c of newConversations) {
      if (c.case_id < 0) c.case_id = caseIdOf.get(c.case_id)!;
      c.id = convIdOf.get(c.id)!;
    }

    // 4. Routing decides team, priority, assignee and SLA of each new case.
    const now = new Date();
    const byCase = new Map<number, Plan[]>();
    for (const p of plans) {
      const list = byCase.get(p.caseId);
      if (list) list.push(p);
      else byCase.set(p.caseId, [p]);
    }
    const { rows: newCaseRows } = await routeNewCases(
      tx,
      directory,
      deps.router(),
      deps.sla(),
      newCasePlans.map((p) => ({ ...p, messages: byCase.get(p.caseId)! })),
      now,
    );
    const newCaseIds = new Set(newCaseRows.map((r) => r.id));

    // 5. Existing cases: lock, then count the messages, reopen resolved ones, refresh their triage.
    const attached = [...byCase.keys()].filter((id) => !newCaseIds.has(id));
    const states = await store.lockCases(tx, attached);
    const caseUpdates: store.CaseUpdateRow[] = [];
    const events: RealtimeEvent[] = [];
    const caseEvents: { case_id: number; kind: string; data: unknown }[] = [];
    const communityOfCase = new Map<number, number>();
    for (const s of states) {
      const own = byCase.get(s.id)!;
      const last = own[own.length - 1]!;
      const reopen = s.status === 'resolved' || s.status === 'closed';
      const status = reopen || s.status === 'waiting_customer' ? 'open' : s.status;
      if (reopen) caseEvents.push({ case_id: s.id, kind: 'reopened', data: { by: 'customer_reply' } });
      communityOfCase.set(s.id, s.community_id);
      caseUpdates.push({
        id: s.id,
        added: own.length,
        status,
        reopened: reopen ? 1 : 0,
        last_inbound_at: latest(
          own.map((x) => x.m),
          now,
        ),
        sentiment: last.triage.sentiment,
        intent: last.triage.intent,
        topics: last.triage.topics,
        urgency: last.triage.urgency,
        clocks: customerMessageClocks(deps.sla(), s, now),
        search_text: own.map((p) => p.m.text).join(' '),
      });
      events.push({ type: 'case.updated', org_id: orgId, case_id: s.id, community_id: s.community_id });
    }
    for (const r of newCaseRows) {
      communityOfCase.set(r.id, r.community_id);
      caseEvents.push({ case_id: r.id, kind: 'created', data: { team_id: r.team_id, routing: r.routing } });
      if (r.assignee_id !== null)
        caseEvents.push({ case_id: r.id, kind: 'assigned', data: { assignee_id: r.assignee_id, by: 'routing' } });
      events.push({
        type: 'case.created',
        org_id: orgId,
        case_id: r.id,
        community_id: r.community_id,
        ...(r.assignee_id !== null ? { people: [r.assignee_id] } : {}),
      });
    }

    await store.insertCases(tx, orgId, newCaseRows);
    if (!(await store.insertConversations(tx, orgId, newConversations))) throw new ConcurrentInsert();
    const inserted = await store.insertMessages(
      tx,
      orgId,
      plans.map((p) => ({
        channel: p.m.channel,
        external_id: p.m.external_id,
        conversation_id: p.conversationId,
        case_id: p.caseId,
        account_id: p.accountId,
        contact_id: p.contactId,
        kind: p.m.meta?.kind ?? (p.m.in_reply_to ? 'reply' : 'post'),
        author_handle: p.m.author.handle,
        author_name: p.m.author.name ?? null,
        text: p.m.text,
        in_reply_to: p.m.in_reply_to ?? null,
        created_at: p.m.created_at ?? now.toISOString(),
        lang: p.triage.lang,
        sentiment: p.triage.sentiment,
        sentiment_score: p.triage.sentimentScore,
        intent: p.triage.intent,
        topics: p.triage.topics,
        urgency: p.triage.urgency,
        sensitive: p.triage.sensitive,
        // Labels live in their columns; explanations are recomputed when a case is shown (triage is
        // deterministic for a model), which keeps each message row small and ingest fast.
        triage: { model: p.triage.model, team: p.triage.team },
        meta: p.m.meta ?? null,
      })),
    );
    // A duplicate committed by another transaction since the pre-check: start over, it will be found.
    if (inserted.length !== plans.length) throw new ConcurrentInsert();
    const idOf = new Map(inserted.map((r) => [keyOf(r.channel, r.external_id), r.id]));
    const results = plans.map((p) => ({
      message_id: idOf.get(keyOf(p.m.channel, p.m.external_id))!,
      case_id: p.caseId,
      created: true,
    }));
    for (const r of results) {
      events.push({
        type: 'message.created',
        org_id: orgId,
        case_id: r.case_id,
        community_id: communityOfCase.get(r.case_id)!,
        message_id: r.message_id,
      });
    }
    await store.finishBatch(tx, orgId, caseUpdates, caseEvents, {
      channel: EVENTS_CHANNEL,
      payloads: notificationPayloads(events),
    });
    // Subscribed systems (CRM, helpdesk) learn of new and assigned cases, in the same transaction.
    await enqueueWebhookEvents(tx, orgId, [
      ...newCaseRows.map((r) => ({ event: 'case.created' as const, caseId: r.id })),
      ...newCaseRows
        .filter((r) => r.assignee_id !== null)
        .map((r) => ({
          event: 'case.assigned' as const,
          caseId: r.id,
          data: { assignee_id: r.assignee_id, previous_assignee_id: null },
        })),
    ]);
    return results;
  });
}

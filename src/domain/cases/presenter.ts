import type { ConnectorRegistry } from '../../channels/registry.ts';
import type { TriageResult } from '../../triage/types.ts';
import type { Directory } from '../organization/directory.ts';
import type { CaseRow, MessageRow } from './store.ts';

/** What leaves the server about cases and messages: named fields, never raw rows. */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentCaseSummary(c: CaseRow, directory: Directory) {
  const community = directory.communities.get(c.community_id);
  const team = c.team_id === null ? undefined : directory.teams.get(c.team_id);
  return {
    id: c.id,
    status: c.status,
    priority: c.priority,
    urgency: c.urgency,
    sentiment: c.sentiment,
    intent: c.intent,
    topics: c.topics,
    language: c.language,
    channel: c.channel,
    subject: c.subject,
    tags: c.tags,
    message_count: c.message_count,
    community: community ? { id: community.id, slug: community.slug, name: community.name } : null,
    team: team ? { id: team.id, slug: team.slug, name: team.name } : null,
    assignee: c.assignee_id === null ? null : { id: c.assignee_id, name: c.assignee_name ?? '' },
    contact: { id: c.contact_id, name: c.contact_name, handle: c.contact_handle },
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    last_inbound_at: iso(c.last_inbound_at),
    last_outbound_at: iso(c.last_outbound_at),
    first_response_due_at: iso(c.first_response_due_at),
    first_responded_at: iso(c.first_responded_at),
    next_response_due_at: iso(c.next_response_due_at),
    resolution_due_at: iso(c.resolution_due_at),
    sla_paused_at: iso(c.sla_paused_at),
    escalation_level: c.escalation_level,
    resolved_at: iso(c.resolved_at),
  };
}

/** Why a message got its labels, recomputed by the model in use (which may be newer than the one that triaged it). */
export interface Explained {
  model: string;
  explain: TriageResult['explain'];
}

export function presentMessage(m: MessageRow, explained?: Explained) {
  const delivery =
    m.direction === 'out'
      ? {
          status: m.outbox_status ?? 'sent',
          error: m.outbox_error,
          send_at: iso(m.outbox_not_before),
          sent_at: iso(m.sent_at),
        }
      : null;
  return {
    id: m.id,
    external_id: m.external_id,
    channel: m.channel,
    conversation_id: m.conversation_id,
    direction: m.direction,
    kind: m.kind,
    author: { handle: m.author_handle, name: m.author_name },
    person: m.person_id === null ? null : { id: m.person_id, name: m.person_name ?? '' },
    text: m.text,
    in_reply_to: m.in_reply_to,
    created_at: iso(m.created_at),
    received_at: iso(m.received_at),
    account_id: m.account_id,
    url: typeof m.meta?.url === 'string' ? m.meta.url : null,
    visibility: m.direction === 'out' ? ((m.meta?.visibility as string | undefined) ?? 'public') : null,
    triage:
      m.direction === 'in'
        ? {
            lang: m.lang,
            sentiment: m.sentiment,
            sentiment_score: m.sentiment_score,
            intent: m.intent,
            topics: m.topics ?? [],
            urgency: m.urgency,
            sensitive: m.sensitive ?? [],
            model: (m.triage?.model as string | undefined) ?? null,
            explain: explained?.explain ?? null,
            explained_by: explained?.model ?? null,
            team: (m.triage?.team as string | undefined) ?? null,
            /** Labels a person corrected: field → { by, at }. */
            corrected: (m.triage?.corrected as Record<string, unknown> | undefined) ?? null,
          }
        : null,
    delivery,
  };
}

/** The account a reply to this case goes out from (the case's, else its community's on the same network). */
export function presentReplyAccount(
  directory: Directory,
  registry: ConnectorRegistry,
  c: { account_id: number | null; community_id: number; channel: string },
) {
  const own = c.account_id === null ? undefined : directory.accounts.get(c.account_id);
  // A monitor (feeds, keyword searches) is where a message was found, never an identity to answer as.
  const a = (own?.kind === 'account' ? own : undefined) ?? directory.accountOf(c.community_id, c.channel);
  if (!a) return { account: null, reply: { possible: false, reason: 'no_account' as const } };
  const community = directory.communities.get(a.communityId);
  const manifest = registry.get(a.network)?.manifest;
  const reason = !manifest ? ('no_connector' as const) : a.paused ? ('account_paused' as const) : null;
  return {
    account: {
      id: a.id,
      network: a.network,
      handle: a.handle,
      display_name: a.displayName,
      community: community ? { id: community.id, name: community.name } : null,
      paused: a.paused,
      max_length: manifest?.maxLength ?? null,
      supports_private: manifest?.supportsPrivate ?? false,
    },
    reply: reason ? { possible: false, reason } : { possible: true, reason: null },
  };
}

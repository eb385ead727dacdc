import type { PersonPrincipal } from '../access/principal.ts';
import { truncateText } from '../ingest/model.ts';
import type { Directory } from '../organization/directory.ts';
import type { ItemRow, SessionRow } from './store.ts';

/**
 * What leaves the server of a replay. Never the id of the past case (it would lead back to the customer); the
 * reference answer only once the item is answered.
 */
export function presentItem(item: ItemRow, directory: Directory, viewer: PersonPrincipal) {
  const community = directory.communities.get(item.community_id);
  const account = item.account_id === null ? undefined : directory.accounts.get(item.account_id);
  const answered = item.answered_at !== null;
  return {
    id: Number(item.id),
    session_id: Number(item.session_id),
    position: item.position,
    trainee_id: item.person_id,
    is_mine: item.person_id === viewer.id,
    community: community ? { id: community.id, name: community.name, slug: community.slug } : null,
    channel: item.channel,
    account: account ? { handle: account.handle, network: account.network } : null,
    language: item.language,
    intent: item.intent,
    urgency: item.urgency,
    sentiment: item.sentiment,
    topics: item.topics,
    contact: item.contact,
    thread: item.thread,
    opened_at: item.opened_at,
    answer: answered
      ? {
          text: item.answer_text,
          canned_reply_id: item.canned_reply_id,
          answered_at: item.answered_at,
          seconds_to_answer: item.seconds_to_answer,
          verdict: item.verdict,
          needs_approval:
            item.verdict !== null && (item.verdict.approval.required > 0 || item.verdict.approval.mode === 'all'),
        }
      : null,
    reference_text: answered ? item.reference_text : null,
    self_assessment: item.self_assessment,
    leader_score: item.leader_score,
    leader_comment: item.leader_comment,
    scored_at: item.scored_at,
  };
}

export function presentSession(s: SessionRow, directory: Directory) {
  const community = directory.communities.get(s.community_id);
  return {
    id: Number(s.id),
    person: { id: s.person_id, name: s.person_name },
    community: community ? { id: community.id, name: community.name, slug: community.slug } : null,
    topic: s.topic,
    created_by: s.created_by,
    created_at: s.created_at,
    completed_at: s.completed_at,
    items: s.items,
    answered: s.answered,
  };
}

/** A session's items in a list: enough to choose one, nothing of the answer's reference. */
export function presentItemSummary(item: ItemRow) {
  return {
    id: Number(item.id),
    position: item.position,
    channel: item.channel,
    intent: item.intent,
    urgency: item.urgency,
    topics: item.topics,
    excerpt: truncateText(item.thread[0]?.text ?? '', 140),
    answered_at: item.answered_at,
    needs_approval:
      item.verdict !== null && (item.verdict.approval.required > 0 || item.verdict.approval.mode === 'all'),
    warnings: item.verdict?.findings.filter((f) => f.severity === 'warn').length ?? 0,
    seconds_to_answer: item.seconds_to_answer,
    self_assessment: item.self_assessment,
    leader_score: item.leader_score,
  };
}

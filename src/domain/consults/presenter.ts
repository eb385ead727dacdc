import type { ConsultRow, ExpertiseRow } from './model.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentExpertise(e: ExpertiseRow) {
  return {
    id: e.id,
    title: e.title,
    person: e.person_id === null ? null : { id: e.person_id, name: e.person_name ?? '' },
    team: e.team_id === null ? null : { id: e.team_id, name: e.team_name ?? '' },
    topics: e.topics,
    languages: e.languages,
    availability: e.availability,
  };
}

/**
 * What an expert sees of a consult: the question, the excerpt the asker chose to share, and the case's language
 * and topics. Nothing else of the case: not its id, its customer, its messages.
 */
export function presentConsultForExpert(k: ConsultRow, now: Date, canAnswer: boolean) {
  return {
    id: k.id,
    status: k.status,
    question: k.question,
    excerpt: k.excerpt,
    due_at: iso(k.due_at),
    overdue: k.status === 'open' && k.due_at.getTime() < now.getTime(),
    created_at: iso(k.created_at),
    asked_by: { id: k.asker_id, name: k.asker_name },
    expert: {
      person: k.expert_person_id === null ? null : { id: k.expert_person_id, name: k.expert_person_name ?? '' },
      team: k.expert_team_id === null ? null : { id: k.expert_team_id, name: k.expert_team_name ?? '' },
    },
    context: { language: k.case_language, topics: k.case_topics },
    answer: k.answer,
    answered_at: iso(k.answered_at),
    answered_by: k.answered_by === null ? null : { id: k.answered_by, name: k.answered_by_name ?? '' },
    can_answer: canAnswer && k.status === 'open',
  };
}

/** What people who read the case see of its consults. */
export function presentConsult(k: ConsultRow, now: Date, canAnswer: boolean) {
  return {
    ...presentConsultForExpert(k, now, canAnswer),
    case_id: k.case_id,
    note_message_id: k.note_message_id,
    reminded_at: iso(k.reminded_at),
    escalated_at: iso(k.escalated_at),
  };
}

/** Consults: a question from a case to an expert or a team, with a due time; the answer becomes a private note. */
export const CONSULT_STATUSES = ['open', 'answered', 'cancelled'] as const;
export type ConsultStatus = (typeof CONSULT_STATUSES)[number];

/** After the due time the expert is reminded; after this grace period the team's leads and the asker are told. */
export const ESCALATION_GRACE_MINUTES = 60;

export interface ExpertiseRow {
  id: number;
  person_id: number | null;
  team_id: number | null;
  title: string;
  topics: string[];
  languages: string[];
  availability: string;
  person_name: string | null;
  team_name: string | null;
}

export interface ConsultRow {
  id: number;
  org_id: number;
  case_id: number;
  asker_id: number;
  asker_name: string;
  expertise_id: number | null;
  expert_person_id: number | null;
  expert_person_name: string | null;
  expert_team_id: number | null;
  expert_team_name: string | null;
  team_id: number | null;
  question: string;
  excerpt: string;
  due_at: Date;
  status: ConsultStatus;
  answer: string | null;
  answered_by: number | null;
  answered_by_name: string | null;
  answered_at: Date | null;
  note_message_id: number | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
  created_at: Date;
  case_language: string | null;
  case_topics: string[];
  case_community_id: number;
}

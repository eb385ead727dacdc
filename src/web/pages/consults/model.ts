/** What the consult and audit endpoints return (see docs/consults.md). */

export interface Expertise {
  id: number;
  title: string;
  person: { id: number; name: string } | null;
  team: { id: number; name: string } | null;
  topics: string[];
  languages: string[];
  availability: string;
}

export type ConsultStatus = 'open' | 'answered' | 'cancelled';

/** The minimal view an expert gets: nothing of the case but its language and topics. */
export interface ExpertConsult {
  id: number;
  status: ConsultStatus;
  question: string;
  excerpt: string;
  due_at: string;
  overdue: boolean;
  created_at: string;
  asked_by: { id: number; name: string };
  expert: { person: { id: number; name: string } | null; team: { id: number; name: string } | null };
  context: { language: string | null; topics: string[] };
  answer: string | null;
  answered_at: string | null;
  answered_by: { id: number; name: string } | null;
  can_answer: boolean;
}

/** The view of people who read the case. */
export interface Consult extends ExpertConsult {
  case_id: number;
  note_message_id: number | null;
  reminded_at: string | null;
  escalated_at: string | null;
}

export interface AskConsult {
  expertise_id: number;
  question: string;
  excerpt?: string;
  due_in_minutes: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  actor: { kind: 'person' | 'token'; id: number; name: string | null } | null;
  account_id: number | null;
  subject: { type: string; id: string | null } | null;
  data: Record<string, unknown>;
  hash: string;
}

export interface AuditFilters {
  actor_person_id?: string;
  action?: string;
  subject_type?: string;
  subject_id?: string;
  from?: string;
  to?: string;
}

/** What a person can be told about. Each kind can also go by email, as the person chooses (`people.notify`). */
export const NOTIFICATION_KINDS = [
  'assigned',
  'mention',
  'sla_warning',
  'sla_breach',
  'approval_requested',
  'approval_decided',
  /** A reply waiting for approval is past its deadline, to its approvers who have not decided and its author. */
  'approval_overdue',
  /** A question to answer (or a reminder of it), to the expert or the asked team. */
  'consult',
  /** A consult of a case was answered, to its assignee and its asker. */
  'consult_answered',
  /** A consult is overdue past its grace period, to the team's leads and the asker. */
  'consult_overdue',
  /** The crisis detector raised an alert, to the leaders and the crisis cell. */
  'crisis_alert',
  /** A crisis was declared, to the leaders and the crisis cell. */
  'crisis_declared',
  /** An urgent case arrived while nobody of its community was on duty, to the on-call people (always emailed). */
  'on_call_page',
  /** A handover brief was published, to the next shift of its community (the email carries the brief). */
  'handover',
  /** A quality review of one of their replies, to its author (the feedback is on the Quality page). */
  'qa_feedback',
  /** An idea or incident linked to an open case changed status, to the case's assignee (to tell the customer). */
  'feedback_status',
  /** A post waits for the approver's decision (or, escalated, for a leader's), to its approvers. */
  'post_approval_requested',
  /** A post was approved or rejected, to its author. */
  'post_approval_decided',
  /** A post waiting for approval is past its deadline, to its approvers who have not decided and its author. */
  'post_approval_overdue',
  /** A post's scheduled time passed while it waited for approval, to its approvers and its author. */
  'post_approval_late',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds sent by email to a person who never chose: `people.notify` without an `email` list. */
export const DEFAULT_EMAIL_KINDS: readonly NotificationKind[] = [
  'assigned',
  'mention',
  'sla_breach',
  'consult',
  'consult_overdue',
  'handover',
];

/** pending: to send; sent; skipped: no SMTP server configured; failed: given up after retries. */
export type EmailStatus = 'pending' | 'sent' | 'skipped' | 'failed';

export interface NotificationRow {
  id: number;
  person_id: number;
  kind: string;
  case_id: number | null;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
  email_status: EmailStatus | null;
}

/** The email kinds a person receives, from their `people.notify` preferences. */
export function emailKinds(notify: unknown): string[] {
  const list = (notify as { email?: unknown } | null)?.email;
  return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [...DEFAULT_EMAIL_KINDS];
}

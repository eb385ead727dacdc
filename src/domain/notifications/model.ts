/** What a person can be told about. Each kind can also go by email, as the person chooses (`people.notify`). */
export const NOTIFICATION_KINDS = ['assigned', 'mention', 'sla_warning', 'sla_breach'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds sent by email to a person who never chose: `people.notify` without an `email` list. */
export const DEFAULT_EMAIL_KINDS: readonly NotificationKind[] = ['assigned', 'mention', 'sla_breach'];

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

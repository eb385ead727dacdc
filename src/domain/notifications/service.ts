import type { Queryable } from '../../server/db/database.ts';
import { publish } from '../../server/realtime/events.ts';
import { CASE_READER_ROLES } from '../access/policy.ts';
import { DEFAULT_EMAIL_KINDS, type NotificationKind } from './model.ts';

/** NOTIFY channel waking the email worker when a notification is to be emailed. */
export const MAIL_CHANNEL = 'passeur_mail';

export interface NotifyInput {
  orgId: number;
  personIds: readonly number[];
  kind: NotificationKind;
  caseId: number;
  /** Ids and small facts only (who, which clock, when due); never customer text. */
  data?: Record<string, unknown>;
}

export interface Notified {
  id: number;
  person_id: number;
  email_status: string | null;
}

/**
 * Tells people about a case, inside the caller's transaction: one `notifications` row per recipient, and one
 * realtime event that reaches only them (delivered on commit). Recipients who cannot read the case (another
 * community, a role without inbox) or are inactive are left out. A row is marked for email when the person
 * wants this kind by email; the email worker sends it after the commit, so no transaction waits on SMTP.
 */
export async function notify(tx: Queryable, n: NotifyInput): Promise<Notified[]> {
  const ids = [...new Set(n.personIds)];
  if (ids.length === 0) return [];
  const r = await tx.query<Notified & { community_id: number }>(
    `with c as (select id, community_id from cases where id = $3 and org_id = $1),
     ins as (
       insert into notifications (org_id, person_id, kind, case_id, data, email_status)
       select $1, p.id, $2, c.id, $4,
         case when (case when jsonb_typeof(p.notify -> 'email') = 'array' then p.notify -> 'email' else $6::jsonb end) ? $2
           then 'pending' end
       from people p cross join c
       where p.org_id = $1 and p.id = any($5::int[]) and p.active and p.role = any($7::text[])
         and (p.role = 'leader' or exists (
           select 1 from person_communities pc where pc.person_id = p.id and pc.community_id = c.community_id))
       order by p.id
       returning id, person_id, email_status)
     select ins.*, c.community_id from ins cross join c`,
    [n.orgId, n.kind, n.caseId, n.data ?? {}, ids, JSON.stringify(DEFAULT_EMAIL_KINDS), CASE_READER_ROLES],
  );
  const rows = r.rows;
  const first = rows[0];
  if (!first) return [];
  await publish(tx, [
    {
      type: 'notification.created',
      org_id: n.orgId,
      case_id: n.caseId,
      community_id: first.community_id,
      people: rows.map((row) => row.person_id),
    },
  ]);
  if (rows.some((row) => row.email_status === 'pending'))
    await tx.query('select pg_notify($1, $2)', [MAIL_CHANNEL, 'pending']);
  return rows.map(({ id, person_id, email_status }) => ({ id, person_id, email_status }));
}

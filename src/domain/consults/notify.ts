import type { Queryable } from '../../server/db/database.ts';
import { publish } from '../../server/realtime/events.ts';
import { DEFAULT_EMAIL_KINDS, type NotificationKind } from '../notifications/model.ts';
import { MAIL_CHANNEL } from '../notifications/service.ts';

/**
 * Tells people about a consult who may not read its case (experts, team leads): the notification names the
 * consult, never the case (`case_id` stays null), so the bell and the email lead to the consult's minimal view.
 * Ids and small facts only in `data`, like every notification.
 */
export async function notifyAboutConsult(
  tx: Queryable,
  n: {
    orgId: number;
    personIds: readonly number[];
    kind: NotificationKind;
    consultId: number;
    communityId: number;
    data: Record<string, unknown>;
  },
): Promise<number[]> {
  const ids = [...new Set(n.personIds)];
  if (ids.length === 0) return [];
  const r = await tx.query<{ person_id: number; email_status: string | null }>(
    `insert into notifications (org_id, person_id, kind, case_id, data, email_status)
     select $1, p.id, $2, null, $3,
       case when (case when jsonb_typeof(p.notify -> 'email') = 'array' then p.notify -> 'email' else $5::jsonb end) ? $2
         then 'pending' end
     from people p
     where p.org_id = $1 and p.id = any($4::int[]) and p.active
     order by p.id
     returning person_id, email_status`,
    [n.orgId, n.kind, { ...n.data, consult_id: n.consultId }, ids, JSON.stringify(DEFAULT_EMAIL_KINDS)],
  );
  if (r.rows.length === 0) return [];
  // The event reaches only its recipients (see canReceiveEvent); the case id in it is not shown to them.
  await publish(tx, [
    {
      type: 'notification.created',
      org_id: n.orgId,
      case_id: 0,
      community_id: n.communityId,
      people: r.rows.map((row) => row.person_id),
    },
  ]);
  if (r.rows.some((row) => row.email_status === 'pending'))
    await tx.query('select pg_notify($1, $2)', [MAIL_CHANNEL, 'pending']);
  return r.rows.map((row) => row.person_id);
}

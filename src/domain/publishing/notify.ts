import type { Queryable } from '../../server/db/database.ts';
import { publish } from '../../server/realtime/events.ts';
import { CASE_READER_ROLES } from '../access/policy.ts';
import { DEFAULT_EMAIL_KINDS, type NotificationKind } from '../notifications/model.ts';
import { MAIL_CHANNEL } from '../notifications/service.ts';

export type PostNotificationKind = Extract<
  NotificationKind,
  'post_approval_requested' | 'post_approval_decided' | 'post_approval_overdue' | 'post_approval_late'
>;

/**
 * Tells people about a post waiting for approval (no case: the bell and the email lead to the approval queue or
 * the calendar), inside the caller's transaction. People who do not read the post's community, or are inactive,
 * are left out; a row is marked for email when the person wants that kind by email. Ids and small facts only.
 */
export async function notifyPost(
  tx: Queryable,
  n: {
    orgId: number;
    personIds: readonly number[];
    kind: PostNotificationKind;
    postId: number;
    communityId: number;
    data?: Record<string, unknown>;
  },
): Promise<number[]> {
  const ids = [...new Set(n.personIds)];
  if (ids.length === 0) return [];
  const r = await tx.query<{ person_id: number; email_status: string | null }>(
    `insert into notifications (org_id, person_id, kind, case_id, data, email_status)
     select $1, p.id, $7, null, $2,
       case when (case when jsonb_typeof(p.notify -> 'email') = 'array' then p.notify -> 'email' else $4::jsonb end)
         ? $7 then 'pending' end
     from people p
     where p.org_id = $1 and p.id = any($3::int[]) and p.active and p.role = any($5::text[])
       and (p.role = 'leader' or exists (
         select 1 from person_communities pc where pc.person_id = p.id and pc.community_id = $6))
     order by p.id
     returning person_id, email_status`,
    [
      n.orgId,
      { ...n.data, post_id: n.postId, community_id: n.communityId },
      ids,
      JSON.stringify(DEFAULT_EMAIL_KINDS),
      CASE_READER_ROLES,
      n.communityId,
      n.kind,
    ],
  );
  if (r.rows.length === 0) return [];
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

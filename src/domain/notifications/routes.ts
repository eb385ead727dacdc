import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canReadCommunity } from '../access/policy.ts';
import { audit } from '../audit/log.ts';
import { emailKinds, NOTIFICATION_KINDS } from './model.ts';
import {
  type ListedNotification,
  listNotifications,
  markRead,
  notifyPreferences,
  setEmailKinds,
  unreadCount,
} from './store.ts';

const listQuery = z.object({
  unread: z.enum(['0', '1', 'true', 'false']).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const readBody = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1).max(1000).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => b.ids !== undefined || b.all === true, { message: 'send "ids" or "all": true', path: ['ids'] });

const preferencesBody = z.strictObject({ email: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length) });

const SUBJECT_EXCERPT = 120;

export function notificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/notifications',
    { schema: { summary: 'Your notifications, newest first', tags: ['notifications'], querystring: doc(listQuery) } },
    async (req) => {
      const q = parse(listQuery, req.query);
      const person = await requirePerson(ctx, req);
      const unread = q.unread === '1' || q.unread === 'true';
      const rows = await listNotifications(ctx.pool, person.id, { unread, before: q.before, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const present = (n: ListedNotification) => {
        // The case's subject only while the person may still read the case.
        const readable = n.case_community_id !== null && canReadCommunity(person, n.case_community_id);
        return {
          id: n.id,
          kind: n.kind,
          case:
            n.case_id === null
              ? null
              : { id: n.case_id, subject: readable ? (n.case_subject ?? '').slice(0, SUBJECT_EXCERPT) : null },
          data: n.data,
          created_at: n.created_at.toISOString(),
          read_at: n.read_at ? n.read_at.toISOString() : null,
          email_status: n.email_status,
        };
      };
      return {
        items: page.map(present),
        unread_count: await unreadCount(ctx.pool, person.id),
        next_before: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );

  app.post(
    '/api/v1/notifications/read',
    { schema: { summary: 'Mark notifications read: some ids, or all', tags: ['notifications'], body: doc(readBody) } },
    async (req) => {
      const body = parse(readBody, req.body);
      const person = await requirePerson(ctx, req);
      const updated = await markRead(ctx.pool, person.id, body.all ? 'all' : (body.ids ?? []));
      return { updated, unread_count: await unreadCount(ctx.pool, person.id) };
    },
  );

  app.get(
    '/api/v1/notifications/preferences',
    { schema: { summary: 'Which notifications you receive by email', tags: ['notifications'] } },
    async (req) => {
      const person = await requirePerson(ctx, req);
      return { email: emailKinds(await notifyPreferences(ctx.pool, person.id)), kinds: NOTIFICATION_KINDS };
    },
  );

  app.put(
    '/api/v1/notifications/preferences',
    {
      schema: {
        summary: 'Choose which notifications you receive by email',
        tags: ['notifications'],
        body: doc(preferencesBody),
      },
    },
    async (req) => {
      const body = parse(preferencesBody, req.body);
      const person = await requirePerson(ctx, req);
      const kinds = [...new Set(body.email)];
      await transaction(ctx.pool, async (tx) => {
        await setEmailKinds(tx, person.id, kinds);
        await audit(tx, {
          orgId: person.orgId,
          action: 'person.notify_preferences',
          actorPersonId: person.id,
          subjectType: 'person',
          subjectId: person.id,
          data: { email: kinds },
        });
      });
      return { email: kinds, kinds: NOTIFICATION_KINDS };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canUseInbox } from '../access/policy.ts';
import { presentCaseSummary } from '../cases/presenter.ts';
import type { CaseRow } from '../cases/store.ts';
import { mergeContacts, updateContact } from './service.ts';
import { sentimentByWeek } from './store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const patchSchema = z.strictObject({ vip: z.boolean().optional(), notes: z.string().max(5000).optional() });
const mergeSchema = z.strictObject({ into: z.number().int().positive() });

export function contactRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/contacts/:id',
    {
      schema: {
        summary: 'A contact: identities and the history of the cases you may see',
        tags: ['contacts'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      if (!canUseInbox(person)) throw forbidden('reading contacts');
      const communities = [...person.communityIds];
      const cases = await ctx.pool.query<CaseRow>(
        `select c.*, p.name as assignee_name, ct.display_name as contact_name, null as contact_handle
         from cases c join contacts ct on ct.id = c.contact_id left join people p on p.id = c.assignee_id
         where c.org_id = $1 and c.contact_id = $2 and c.community_id = any($3::int[])
         order by c.updated_at desc limit 200`,
        [person.orgId, id, communities],
      );
      // A contact is visible only through a case the person may read.
      if (cases.rows.length === 0) throw notFound('contact');
      const [contact, identities, stats] = await Promise.all([
        ctx.pool.query<{ id: number; display_name: string; vip: boolean; notes: string; created_at: Date }>(
          'select id, display_name, vip, notes, created_at from contacts where id = $1',
          [id],
        ),
        ctx.pool.query<{ channel: string; handle: string; name: string | null }>(
          'select channel, handle, name from contact_identities where contact_id = $1 order by id',
          [id],
        ),
        ctx.pool.query<{ messages: number; negative: number; positive: number }>(
          `select count(*)::int as messages,
             count(*) filter (where sentiment = 'negative')::int as negative,
             count(*) filter (where sentiment = 'positive')::int as positive
           from messages where contact_id = $1 and direction = 'in'
             and case_id in (select id from cases where contact_id = $1 and community_id = any($2::int[]))`,
          [id, communities],
        ),
      ]);
      const c = contact.rows[0]!;
      const directory = ctx.directory();
      return {
        id: c.id,
        name: c.display_name,
        vip: c.vip,
        notes: c.notes,
        first_seen_at: c.created_at.toISOString(),
        identities: identities.rows,
        stats: stats.rows[0],
        sentiment_by_week: await sentimentByWeek(ctx.pool, id, communities),
        cases: cases.rows.map((row) => ({
          ...presentCaseSummary({ ...row, contact_handle: identities.rows[0]?.handle ?? null }, directory),
        })),
      };
    },
  );

  app.patch(
    '/api/v1/contacts/:id',
    {
      schema: {
        summary: 'Mark a customer as VIP, or change the notes about them',
        tags: ['contacts'],
        params: doc(idParams),
        body: doc(patchSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(patchSchema, req.body);
      const person = await requirePerson(ctx, req);
      const c = await updateContact(ctx.pool, person, id, body);
      return { id: c.id, name: c.display_name, vip: c.vip, notes: c.notes };
    },
  );

  app.post(
    '/api/v1/contacts/:id/merge',
    {
      schema: {
        summary: 'Merge this customer into another (identities, cases and messages move to `into`)',
        description: 'Allowed to people who work cases and can read at least one case of each customer.',
        tags: ['contacts'],
        params: doc(idParams),
        body: doc(mergeSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(mergeSchema, req.body);
      const person = await requirePerson(ctx, req);
      return mergeContacts(ctx.pool, person, id, body.into);
    },
  );
}

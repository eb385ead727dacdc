import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { snapshot } from '../../server/db/database.ts';
import { authenticate, requirePerson } from '../../server/http/auth.ts';
import { forbidden, HttpError } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canUseInbox, readableCommunities } from '../access/policy.ts';
import { renderReply } from '../composer/render.ts';
import { governanceDeps } from '../governance/routes.ts';
import { submitReply } from '../governance/service.ts';
import { caseLinks, presentLink } from '../links/service.ts';
import { undoReply } from '../outbox/service.ts';
import { invalidField } from '../validation.ts';
import { cursorOf, INBOX_SORTS, parseCursor } from './inbox-order.ts';
import { presentCaseSummary, presentMessage, presentReplyAccount } from './presenter.ts';
import { searchHighlights } from './search.ts';
import { addNote, readableCase, updateCase } from './service.ts';
import {
  ACTIVE_STATUSES,
  CASE_STATUSES,
  caseEvents,
  caseMessages,
  countCases,
  inboxOrder,
  listCases,
  MESSAGES_PAGE,
} from './store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const statusList = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum([...CASE_STATUSES, 'active', 'all'])));

export const inboxQuerySchema = z.object({
  view: z.enum(['mine', 'team', 'unassigned', 'all', 'sla_risk']).default('all'),
  community: z.coerce.number().int().positive().optional(),
  channel: z.string().max(32).optional(),
  status: statusList.optional(),
  /** Full-text search: words of the case's messages (as prefixes), or its customer's name or handle. */
  q: z
    .string()
    .max(200)
    .transform((s) => s.trim() || undefined)
    .optional(),
  sort: z.enum(INBOX_SORTS).optional(),
  /** Cursor from `next_cursor`. */
  cursor: z
    .string()
    .regex(/^[\w.:+-]{1,120}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const patchSchema = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  assignee_id: z.number().int().positive().nullable().optional(),
  team_id: z.number().int().positive().nullable().optional(),
  tags: z.array(z.string().min(1).max(50)).max(30).optional(),
});

const replySchema = z.strictObject({
  text: z.string().min(1).max(20_000),
  resolve: z.boolean().optional(),
  account_id: z.number().int().positive().optional(),
  visibility: z.enum(['public', 'private']).optional(),
  /** Send although guidelines warned (they are listed in the 409 `guideline_warning` answer). */
  acknowledge_warnings: z.boolean().optional(),
  /** Reply from another community's account: why (audited). */
  override_reason: z.string().min(5).max(500).optional(),
});

const noteSchema = z.strictObject({ text: z.string().min(1).max(20_000) });

function statuses(list: string[] | undefined) {
  if (!list || list.length === 0 || list.includes('active')) return ACTIVE_STATUSES;
  if (list.includes('all')) return [...CASE_STATUSES];
  return list as (typeof CASE_STATUSES)[number][];
}

export function caseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const inboxScope = async (req: FastifyRequest) => {
    const p = await authenticate(ctx, req);
    if (p.kind === 'person' && !canUseInbox(p)) throw forbidden('reading the inbox');
    const readable = readableCommunities(p);
    return {
      p,
      base: {
        orgId: p.orgId,
        personId: p.kind === 'person' ? p.id : null,
        teamIds: p.kind === 'person' ? p.teamIds : [],
        communities: readable === 'all' ? ('all' as const) : [...readable],
      },
    };
  };

  app.get(
    '/api/v1/cases',
    { schema: { summary: 'List cases (inbox views)', tags: ['cases'], querystring: doc(inboxQuerySchema) } },
    async (req) => {
      const q = parse(inboxQuerySchema, req.query);
      const { base } = await inboxScope(req);
      const query = { ...base, view: q.view, community: q.community, channel: q.channel, statuses: statuses(q.status) };
      const order = inboxOrder({ q: q.q, sort: q.sort, view: q.view });
      const after = q.cursor === undefined ? undefined : parseCursor(order, q.cursor);
      if (q.cursor !== undefined && !after) throw invalidField('cursor', `not a cursor of the ${order} order`);
      const rows = await listCases(ctx.pool, { ...query, q: q.q, sort: q.sort, after, limit: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      const highlights = q.q === undefined ? undefined : await searchHighlights(ctx.pool, q.q, page);
      return {
        items: page.map((c) => ({
          ...presentCaseSummary(c, ctx.directory()),
          ...(highlights ? { highlight: highlights.get(c.id) ?? null } : {}),
        })),
        next_cursor: rows.length > q.limit && last ? cursorOf(order, last) : null,
      };
    },
  );

  app.get(
    '/api/v1/cases/counts',
    { schema: { summary: 'Number of cases in each inbox view', tags: ['cases'], querystring: doc(inboxQuerySchema) } },
    async (req) => {
      const q = parse(inboxQuerySchema, req.query);
      const { base } = await inboxScope(req);
      return countCases(ctx.pool, {
        ...base,
        community: q.community,
        channel: q.channel,
        statuses: statuses(q.status),
      });
    },
  );

  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        summary: 'A case with all its messages, oldest first',
        description: `Messages are paginated only beyond ${MESSAGES_PAGE}: pass messages_after=<last message id>.`,
        tags: ['cases'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const { messages_after: after } = parse(
        z.object({ messages_after: z.coerce.number().int().min(0).default(0) }),
        req.query,
      );
      const p = await authenticate(ctx, req);
      if (p.kind === 'person' && !canUseInbox(p)) throw forbidden('reading cases');
      // One snapshot, so the case's clocks and its messages' delivery states agree.
      const { c, msgs, events, links } = await snapshot(ctx.pool, async (tx) => {
        const c = await readableCase(tx, p, id);
        return {
          c,
          msgs: await caseMessages(tx, id, after),
          events: await caseEvents(tx, id),
          links: await caseLinks(tx, id),
        };
      });
      const directory = ctx.directory();
      const page = msgs.slice(0, MESSAGES_PAGE);
      const triager = ctx.triager();
      const inbound = page.filter((m) => m.direction === 'in');
      const results = triager.triage(inbound.map((m) => ({ text: m.text, ...(m.lang ? { lang: m.lang } : {}) })));
      const byId = new Map(inbound.map((m, i) => [m.id, { model: triager.model, explain: results[i]!.explain }]));
      const explanations = page.map((m) => byId.get(m.id));
      return {
        ...presentCaseSummary(c, directory),
        routing: c.routing,
        reopened_count: c.reopened_count,
        merged_into: c.merged_into,
        links: links.map(presentLink),
        ...presentReplyAccount(directory, ctx.connectors, c),
        ...(c.merged_into !== null ? { reply: { possible: false, reason: 'merged' } } : {}),
        messages: page.map((m, i) => presentMessage(m, explanations[i])),
        messages_next_after: msgs.length > MESSAGES_PAGE ? page[page.length - 1]!.id : null,
        events: events.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          kind: e.kind,
          actor: e.actor_person_id === null ? null : { id: e.actor_person_id, name: e.actor_name },
          data: e.data,
        })),
      };
    },
  );

  app.patch(
    '/api/v1/cases/:id',
    { schema: { summary: 'Change status, priority, assignee, team or tags', tags: ['cases'], body: doc(patchSchema) } },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(patchSchema, req.body);
      const person = await requirePerson(ctx, req);
      await updateCase({ pool: ctx.pool, directory: ctx.directory() }, person, id, body);
      return presentCaseSummary(await readableCase(ctx.pool, person, id), ctx.directory());
    },
  );

  app.post(
    '/api/v1/cases/:id/replies',
    {
      schema: {
        summary: 'Reply to the customer from the case’s brand account (through the outbox)',
        tags: ['cases'],
        body: doc(replySchema),
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const body = parse(replySchema, req.body);
      const person = await requirePerson(ctx, req);
      if (!ctx.accepting) throw new HttpError(503, 'unavailable', 'shutting down', { 'retry-after': '5' });
      // Variables ({{contact.name}}…) are filled here too, so every client sends what the composer previews.
      if (body.text.includes('{{')) {
        const rendered = await renderReply(
          { pool: ctx.pool, directory: ctx.directory(), connectors: ctx.connectors },
          person,
          id,
          { text: body.text },
        );
        if (rendered.variables.unknown.length > 0) {
          throw invalidField('text', `unknown variables: ${rendered.variables.unknown.join(', ')}`);
        }
        body.text = rendered.text;
      }
      // Guidelines and the approval policy first: a reply needing approval waits in the approval queue.
      const queued = await submitReply(governanceDeps(ctx), person, id, {
        text: body.text,
        resolve: body.resolve,
        accountId: body.account_id,
        visibility: body.visibility,
        acknowledgeWarnings: body.acknowledge_warnings,
        overrideReason: body.override_reason,
      });
      if (queued.approval === null) ctx.kickOutbox();
      return reply.status(202).send(queued);
    },
  );

  app.post(
    '/api/v1/messages/:id/undo',
    { schema: { summary: 'Undo a reply during its send delay', tags: ['cases'], params: doc(idParams) } },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      await undoReply(ctx.pool, person, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/cases/:id/notes',
    { schema: { summary: 'Add an internal note', tags: ['cases'], body: doc(noteSchema) } },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const body = parse(noteSchema, req.body);
      const person = await requirePerson(ctx, req);
      const messageId = await addNote(ctx.pool, person, id, body.text);
      return reply.status(201).send({ message_id: messageId });
    },
  );
}

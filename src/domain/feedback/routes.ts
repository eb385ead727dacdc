import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canReadBacklog } from '../access/policy.ts';
import { registerFeedbackKpis } from './kpis.ts';
import {
  backlogQuerySchema,
  bulkLink,
  bulkLinkSchema,
  caseFeedback,
  forwardCase,
  forwardSchema,
  ideaStatusSchema,
  incidentStatusSchema,
  itemDetail,
  type Kind,
  listBacklog,
  parseStatuses,
  presentCaseRef,
  presentItem,
  setStatus,
  similarCases,
  similarItems,
} from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const similarQuery = z.object({ kind: z.enum(['idea', 'incident']) });
const similarCasesQuery = z.object({ days: z.coerce.number().int().min(1).max(365).optional() });

const PLURAL: Record<Kind, string> = { idea: 'ideas', incident: 'incidents' };

/** Ideas (innovation backlog) and incidents (quality): forwarded from cases, their status flows back. */
export function feedbackRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerFeedbackKpis();
  app.get(
    '/api/v1/cases/:id/feedback',
    {
      schema: {
        summary: 'The ideas and incidents a case is linked to, with their status and note for customers',
        tags: ['feedback'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const person = await requirePerson(ctx, req);
      const r = await caseFeedback(ctx.pool, person, id);
      return {
        ideas: r.ideas.map((i) => presentItem('idea', i)),
        incidents: r.incidents.map((i) => presentItem('incident', i)),
      };
    },
  );

  app.get(
    '/api/v1/cases/:id/feedback/similar',
    {
      schema: {
        summary: 'Existing ideas or incidents similar to a case (shared terms, same topic), best first',
        tags: ['feedback'],
        params: doc(idParams),
        querystring: doc(similarQuery),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const { kind } = parse(similarQuery, req.query);
      const person = await requirePerson(ctx, req);
      const items = await similarItems(ctx.pool, person, kind, id);
      return {
        items: items.map((s) => ({ ...presentItem(kind, s.item), score: s.score, shared: s.shared, linked: s.linked })),
      };
    },
  );

  for (const kind of ['idea', 'incident'] as const) {
    const plural = PLURAL[kind];
    const statusSchema = kind === 'idea' ? ideaStatusSchema : incidentStatusSchema;
    const owner = kind === 'idea' ? 'Innovation' : 'Quality';

    app.post(
      `/api/v1/cases/:id/${plural}`,
      {
        schema: {
          summary:
            kind === 'idea'
              ? 'Forward a case to the innovation backlog: a new idea, or a vote on an existing one (`id`)'
              : 'Report a case to quality: a new incident, or onto an existing one (`id`)',
          tags: ['feedback'],
          params: doc(idParams),
          body: doc(forwardSchema),
        },
      },
      async (req, reply) => {
        const { id } = parse(idParams, req.params);
        const person = await requirePerson(ctx, req);
        const body = parse(forwardSchema, req.body);
        const r = await forwardCase(ctx.pool, person, kind, id, body);
        return reply.status(r.created ? 201 : 200).send({ ...presentItem(kind, r.item), linked: r.linked });
      },
    );

    app.get(
      `/api/v1/${plural}`,
      {
        schema: {
          summary: `The ${kind === 'idea' ? 'innovation backlog (ideas by votes)' : 'incidents (by linked cases)'}; \`status\` filters (comma-separated)`,
          tags: ['feedback'],
          querystring: doc(backlogQuerySchema),
        },
      },
      async (req) => {
        const q = parse(backlogQuerySchema, req.query);
        const person = await requirePerson(ctx, req);
        if (!canReadBacklog(person)) throw forbidden('reading the backlog');
        const items = await listBacklog(ctx.pool, person, kind, {
          status: parseStatuses(kind, q.status),
          sort: q.sort,
        });
        return { items: items.map((i) => presentItem(kind, i)) };
      },
    );

    app.get(
      `/api/v1/${plural}/:id`,
      {
        schema: {
          summary: `One ${kind} with the linked cases the reader may read (and how many others there are)`,
          tags: ['feedback'],
          params: doc(idParams),
        },
      },
      async (req) => {
        const { id } = parse(idParams, req.params);
        const person = await requirePerson(ctx, req);
        if (!canReadBacklog(person)) throw forbidden('reading the backlog');
        const r = await itemDetail(ctx.pool, person, kind, id);
        return { ...presentItem(kind, r.item), linked_cases: r.cases.map(presentCaseRef), hidden_cases: r.hidden };
      },
    );

    app.patch(
      `/api/v1/${plural}/:id`,
      {
        schema: {
          summary: `Change the status of a ${kind} and its note for customers (${owner} team and leaders); every linked case is told`,
          tags: ['feedback'],
          params: doc(idParams),
          body: doc(statusSchema),
        },
      },
      async (req) => {
        const { id } = parse(idParams, req.params);
        const person = await requirePerson(ctx, req);
        const body = parse(statusSchema, req.body);
        const r = await setStatus(ctx.pool, person, kind, id, body);
        return { ...presentItem(kind, r.item), cases_told: r.cases_told, notified: r.notified };
      },
    );

    app.get(
      `/api/v1/${plural}/:id/similar-cases`,
      {
        schema: {
          summary: `Recent cases the reader works that look like this ${kind} and are not linked yet, best first`,
          tags: ['feedback'],
          params: doc(idParams),
          querystring: doc(similarCasesQuery),
        },
      },
      async (req) => {
        const { id } = parse(idParams, req.params);
        const q = parse(similarCasesQuery, req.query);
        const person = await requirePerson(ctx, req);
        if (!canReadBacklog(person)) throw forbidden('reading the backlog');
        const items = await similarCases(ctx.pool, person, kind, id, q.days);
        return { items: items.map((s) => ({ ...presentCaseRef(s.c), score: s.score, shared: s.shared })) };
      },
    );

    app.post(
      `/api/v1/${plural}/:id/cases`,
      {
        schema: {
          summary: `Link several cases to a ${kind} at once (those the caller works); an outcome per case`,
          tags: ['feedback'],
          params: doc(idParams),
          body: doc(bulkLinkSchema),
        },
      },
      async (req) => {
        const { id } = parse(idParams, req.params);
        const person = await requirePerson(ctx, req);
        const body = parse(bulkLinkSchema, req.body);
        const r = await bulkLink(ctx.pool, person, kind, id, body.case_ids);
        return { ...presentItem(kind, r.item), results: r.results };
      },
    );
  }
}

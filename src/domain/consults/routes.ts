import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { authenticate, requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canAdminister, canAnswerConsult, canReadCommunity, canReadConsultKpi, canUseInbox } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { readableCase } from '../cases/service.ts';
import { invalidField } from '../validation.ts';
import {
  createExpertise,
  deleteExpertise,
  expertiseCreateSchema,
  expertisePatchSchema,
  taxonomyTopics,
  updateExpertise,
} from './expertise.ts';
import type { ConsultRow } from './model.ts';
import { presentConsult, presentConsultForExpert, presentExpertise } from './presenter.ts';
import { answerConsult, askConsult, cancelConsult } from './service.ts';
import { caseConsults, consultsAskedBy, consultsFor, getConsult, listExpertise, turnaroundByTeam } from './store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const askSchema = z.strictObject({
  /** An entry of the expertise directory; or name the person or the team directly. */
  expertise_id: z.number().int().positive().optional(),
  expert_person_id: z.number().int().positive().optional(),
  expert_team_id: z.number().int().positive().optional(),
  question: z.string().min(1).max(5000),
  /** What the expert may see of the case: chosen by the asker, shown as plain text. */
  excerpt: z.string().max(5000).optional(),
  /** Due time, in minutes from now (5 minutes to 14 days). */
  due_in_minutes: z.number().int().min(5).max(20_160),
});

const answerSchema = z.strictObject({ answer: z.string().min(1).max(20_000) });

const listQuery = z.object({ status: z.enum(['open', 'answered', 'cancelled']).optional() });

const emailRepliesQuery = z.object({ outcome: z.enum(['accepted', 'rejected']).optional() });

const kpiQuery = z.object({
  /** Start of the period (ISO date or date-time); default 30 days before `to`. */
  from: z.coerce.date().optional(),
  /** End of the period (exclusive); default now. */
  to: z.coerce.date().optional(),
});

/** The person is asked (directly or through a team), or leads the team the consult counts for. */
async function expertAccess(ctx: AppContext, p: PersonPrincipal, k: ConsultRow) {
  if (canAnswerConsult(p, k)) return { view: true, answer: true };
  if (k.team_id === null) return { view: false, answer: false };
  const r = await ctx.pool.query('select 1 from team_members where team_id = $1 and person_id = $2 and is_lead', [
    k.team_id,
    p.id,
  ]);
  return { view: (r.rowCount ?? 0) > 0, answer: false };
}

export function consultRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = () => ({ pool: ctx.pool, directory: ctx.directory() });

  app.get(
    '/api/v1/expertise',
    { schema: { summary: 'The expertise directory: people and teams to consult', tags: ['consults'] } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      if (!canUseInbox(p)) throw forbidden('reading the expertise directory');
      const items = (await listExpertise(ctx.pool, p.orgId)).map(presentExpertise);
      /** The organization's topics, which entries may name. */
      const topics = taxonomyTopics(ctx.directory());
      if (!canAdminister(p)) return { items, topics };
      // Leaders edit the directory: every active person may be named, experts outside any community included.
      const people = await ctx.pool.query<{ id: number; name: string; role: string }>(
        'select id, name, role from people where org_id = $1 and active order by name, id',
        [p.orgId],
      );
      return { items, topics, people: people.rows };
    },
  );

  app.post(
    '/api/v1/expertise',
    {
      schema: {
        summary: 'Add an entry to the expertise directory (leaders)',
        tags: ['consults'],
        body: doc(expertiseCreateSchema),
      },
    },
    async (req, reply) => {
      const p = await requirePerson(ctx, req);
      if (!canAdminister(p)) throw forbidden('editing the expertise directory');
      const body = parse(expertiseCreateSchema, req.body);
      return reply.status(201).send(presentExpertise(await createExpertise(deps(), p, body)));
    },
  );

  app.patch(
    '/api/v1/expertise/:id',
    {
      schema: {
        summary: 'Change an entry of the expertise directory (leaders)',
        tags: ['consults'],
        params: doc(idParams),
        body: doc(expertisePatchSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      if (!canAdminister(p)) throw forbidden('editing the expertise directory');
      const body = parse(expertisePatchSchema, req.body);
      return presentExpertise(await updateExpertise(deps(), p, id, body));
    },
  );

  app.delete(
    '/api/v1/expertise/:id',
    {
      schema: {
        summary: 'Remove an entry from the expertise directory (leaders)',
        tags: ['consults'],
        params: doc(idParams),
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      await deleteExpertise(deps(), p, id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/cases/:id/consults',
    {
      schema: {
        summary: 'Ask a question from a case to an expert or a team (the case waits on internal)',
        tags: ['consults'],
        params: doc(idParams),
        body: doc(askSchema),
      },
    },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const body = parse(askSchema, req.body);
      const person = await requirePerson(ctx, req);
      const consultId = await askConsult(deps(), person, id, {
        expertiseId: body.expertise_id,
        expertPersonId: body.expert_person_id,
        expertTeamId: body.expert_team_id,
        question: body.question,
        excerpt: body.excerpt,
        dueInMinutes: body.due_in_minutes,
      });
      const k = await getConsult(ctx.pool, person.orgId, consultId);
      return reply.status(201).send(presentConsult(k!, new Date(), canAnswerConsult(person, k!)));
    },
  );

  app.get(
    '/api/v1/cases/:id/consults',
    { schema: { summary: 'The consults of a case', tags: ['consults'], params: doc(idParams) } },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await authenticate(ctx, req);
      if (p.kind === 'person' && !canUseInbox(p)) throw forbidden('reading cases');
      await readableCase(ctx.pool, p, id);
      const now = new Date();
      return { items: (await caseConsults(ctx.pool, id)).map((k) => presentConsult(k, now, canAnswerConsult(p, k))) };
    },
  );

  app.get(
    '/api/v1/consults',
    {
      schema: {
        summary: 'My consults: those I am asked (minimal view) and those I asked',
        tags: ['consults'],
        querystring: doc(listQuery),
      },
    },
    async (req) => {
      const q = parse(listQuery, req.query);
      const p = await requirePerson(ctx, req);
      const now = new Date();
      const toAnswer = await consultsFor(ctx.pool, p.orgId, p.id, p.teamIds, q.status);
      const asked = canUseInbox(p) ? await consultsAskedBy(ctx.pool, p.orgId, p.id) : [];
      return {
        to_answer: toAnswer.map((k) => presentConsultForExpert(k, now, canAnswerConsult(p, k))),
        asked: asked
          .filter((k) => (q.status === undefined || k.status === q.status) && canReadCommunity(p, k.case_community_id))
          .map((k) => presentConsult(k, now, canAnswerConsult(p, k))),
      };
    },
  );

  app.get(
    '/api/v1/consults/kpi',
    {
      schema: {
        summary: 'Consult turnaround per team: median and p90 minutes, overdue count, for a period',
        tags: ['consults'],
        querystring: doc(kpiQuery),
      },
    },
    async (req) => {
      const q = parse(kpiQuery, req.query);
      const p = await requirePerson(ctx, req);
      if (!canReadConsultKpi(p)) throw forbidden('reading consult turnaround');
      const now = new Date();
      const to = q.to ?? now;
      const from = q.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from.getTime() >= to.getTime()) throw invalidField('from', 'must be before to');
      const rows = await turnaroundByTeam(ctx.pool, p.orgId, from, to, now);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        teams: rows.map((r) => ({
          team: r.team_id === null ? null : { id: r.team_id, name: r.team_name ?? '' },
          asked: r.asked,
          answered: r.answered,
          open: r.open,
          median_minutes: r.median_minutes,
          p90_minutes: r.p90_minutes,
          overdue: r.overdue,
        })),
      };
    },
  );

  app.get(
    '/api/v1/consults/email-replies',
    {
      schema: {
        summary: 'Replies read from the consult reply mailbox, accepted or refused with the reason (leaders)',
        tags: ['consults'],
        querystring: doc(emailRepliesQuery),
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      if (!canAdminister(p)) throw forbidden('reading consult email replies');
      const q = parse(emailRepliesQuery, req.query);
      const r = await ctx.pool.query<{
        id: number;
        received_at: Date;
        outcome: string;
        reason: string | null;
        consult_id: number | null;
        from_address: string;
        person_id: number | null;
        text: string;
      }>(
        `select id, received_at, outcome, reason, consult_id, from_address, person_id, text
         from consult_email_replies
         where (org_id = $1 or org_id is null) and ($2::text is null or outcome = $2)
         order by id desc limit 200`,
        [p.orgId, q.outcome ?? null],
      );
      return {
        items: r.rows.map((row) => ({
          id: row.id,
          received_at: row.received_at.toISOString(),
          outcome: row.outcome,
          reason: row.reason,
          consult_id: row.consult_id,
          from: row.from_address,
          person_id: row.person_id,
          text: row.text,
        })),
      };
    },
  );

  app.get(
    '/api/v1/consults/:id',
    {
      schema: {
        summary: 'A consult: the minimal view for the asked expert, the full one for readers of its case',
        tags: ['consults'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const k = await getConsult(ctx.pool, p.orgId, id);
      if (!k) throw notFound('consult');
      const now = new Date();
      const access = await expertAccess(ctx, p, k);
      if (canUseInbox(p) && canReadCommunity(p, k.case_community_id)) return presentConsult(k, now, access.answer);
      if (access.view) return presentConsultForExpert(k, now, access.answer);
      throw notFound('consult');
    },
  );

  app.post(
    '/api/v1/consults/:id/answer',
    {
      schema: {
        summary: 'Answer a consult: the answer becomes a private note in the case',
        tags: ['consults'],
        params: doc(idParams),
        body: doc(answerSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(answerSchema, req.body);
      const p = await requirePerson(ctx, req);
      const k = await answerConsult(deps(), p, id, body.answer);
      return presentConsultForExpert(k, new Date(), false);
    },
  );

  app.post(
    '/api/v1/consults/:id/cancel',
    { schema: { summary: 'Withdraw an open consult', tags: ['consults'], params: doc(idParams) } },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      await cancelConsult(deps(), p, id);
      return reply.status(204).send();
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canLeadTraining, canReadTraining, canTrainIn, canUseInbox } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { governanceDeps } from '../governance/routes.ts';
import { trainingOverview } from './overview.ts';
import { presentItem, presentItemSummary, presentSession } from './presenter.ts';
import {
  answerItem,
  checkAnswer,
  openItem,
  readableItem,
  renderAnswer,
  scoreItem,
  selfAssess,
  startSession,
  type TrainingDeps,
} from './service.ts';
import { replayStock } from './snapshot.ts';
import { getSession, listSessions, sessionItems } from './store.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const startSchema = z.strictObject({
  community_id: z.number().int().positive(),
  /** The trainee; default: the person starting the session. */
  person_id: z.number().int().positive().optional(),
  count: z.number().int().min(1).max(20).default(5),
  /** Only past cases about this topic (a triage topic). */
  topic: z.string().min(1).max(60).optional(),
});
const listQuery = z.object({
  person_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const replaysQuery = z.object({ community_id: z.coerce.number().int().positive().optional() });
const overviewQuery = z.object({ community_id: z.coerce.number().int().positive().optional() });
const textSchema = z.strictObject({ text: z.string().min(1).max(20_000) });
const renderSchema = z
  .strictObject({
    text: z.string().max(20_000).optional(),
    canned_reply_id: z.number().int().positive().optional(),
  })
  .refine((b) => b.text !== undefined || b.canned_reply_id !== undefined, 'give `text` or `canned_reply_id`');
const answerSchema = z.strictObject({
  text: z.string().min(1).max(20_000),
  /** The canned reply the answer started from, if any. */
  canned_reply_id: z.number().int().positive().optional(),
  acknowledge_warnings: z.boolean().optional(),
});
const selfSchema = z.strictObject({ score: z.number().int().min(1).max(5) });
const scoreSchema = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().max(2000).default(''),
});

/**
 * Training mode: replays of past cases, anonymized, answered with the real composer and judged by the real
 * governance in a dry run. Nothing here writes a case, a message, an outbox row or a network post.
 */
export function trainingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const deps = (): TrainingDeps => ({ ...governanceDeps(ctx), connectors: ctx.connectors });
  const trainer = async (req: Parameters<typeof requirePerson>[1]): Promise<PersonPrincipal> => {
    const p = await requirePerson(ctx, req);
    if (!canUseInbox(p)) throw forbidden('training');
    return p;
  };
  const communitiesLed = (p: PersonPrincipal): number[] | null =>
    p.role === 'leader' ? null : [...p.communityIds].filter((c) => canLeadTraining(p, c));
  const itemAnswer = async (p: PersonPrincipal, id: number) =>
    presentItem(await readableItem(ctx.pool, p, id), ctx.directory(), p);

  app.get(
    '/api/v1/training/replays',
    {
      schema: {
        summary: 'Past cases that can be replayed for training, per community I may train in, with their topics',
        tags: ['training'],
        querystring: doc(replaysQuery),
      },
    },
    async (req) => {
      const q = parse(replaysQuery, req.query);
      const p = await trainer(req);
      const directory = ctx.directory();
      const ids = [...directory.communities.keys()].filter(
        (c) => (q.community_id === undefined || c === q.community_id) && (canTrainIn(p, c) || canLeadTraining(p, c)),
      );
      const out = [];
      for (const id of ids) {
        const c = directory.communities.get(id)!;
        out.push({ community: { id, name: c.name, slug: c.slug }, ...(await replayStock(ctx.pool, p.orgId, id)) });
      }
      return out;
    },
  );

  app.get(
    '/api/v1/training/sessions',
    {
      schema: {
        summary: 'Training sessions: mine, and those of the communities where I lead training',
        tags: ['training'],
        querystring: doc(listQuery),
      },
    },
    async (req) => {
      const q = parse(listQuery, req.query);
      const p = await trainer(req);
      const rows = await listSessions(
        ctx.pool,
        p.orgId,
        { personId: q.person_id, communityIds: communitiesLed(p), orPersonId: p.id },
        q.limit,
      );
      return rows
        .filter((s) => canReadTraining(p, { personId: s.person_id, communityId: s.community_id }))
        .map((s) => presentSession(s, ctx.directory()));
    },
  );

  app.post(
    '/api/v1/training/sessions',
    {
      schema: {
        summary: 'Start a training session of replays of past resolved cases',
        description:
          'Picks varied past cases of the community (intents, urgencies; optionally one topic) and stores an anonymized snapshot of each. Trainees start their own; leaders and managers start them for others.',
        tags: ['training'],
        body: doc(startSchema),
      },
    },
    async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const body = parse(startSchema, req.body);
      const started = await startSession(deps(), p, body);
      const s = await getSession(ctx.pool, p.orgId, started.id);
      return reply.status(201).send(presentSession(s!, ctx.directory()));
    },
  );

  app.get(
    '/api/v1/training/sessions/:id',
    {
      schema: { summary: 'A training session and its items', tags: ['training'], params: doc(idParams) },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const s = await getSession(ctx.pool, p.orgId, id);
      if (!s || !canReadTraining(p, { personId: s.person_id, communityId: s.community_id })) {
        throw notFound('training session');
      }
      const items = await sessionItems(ctx.pool, s.id);
      return { ...presentSession(s, ctx.directory()), item_list: items.map(presentItemSummary) };
    },
  );

  app.get(
    '/api/v1/training/items/:id',
    {
      schema: {
        summary: 'A replay: the anonymized thread, and once answered the answer, its verdict and the reference',
        description: 'Opening it the first time as its trainee starts the clock of the time to answer.',
        tags: ['training'],
        params: doc(idParams),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      return presentItem(await openItem(ctx.pool, p, id), ctx.directory(), p);
    },
  );

  app.post(
    '/api/v1/training/items/:id/render',
    {
      schema: {
        summary: "The composer's preview of a training answer: variables filled with the replay's stand-ins",
        tags: ['training'],
        params: doc(idParams),
        body: doc(renderSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const body = parse(renderSchema, req.body);
      return renderAnswer(deps(), p, id, body);
    },
  );

  app.post(
    '/api/v1/training/items/:id/check',
    {
      schema: {
        summary: 'Guidelines and approval policy on a draft training answer (dry run)',
        tags: ['training'],
        params: doc(idParams),
        body: doc(textSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const body = parse(textSchema, req.body);
      return checkAnswer(deps(), p, id, body.text);
    },
  );

  app.post(
    '/api/v1/training/items/:id/answer',
    {
      schema: {
        summary: 'Answer a replay: judged like a real reply, kept as a training record, never sent',
        tags: ['training'],
        params: doc(idParams),
        body: doc(answerSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const body = parse(answerSchema, req.body);
      return presentItem(await answerItem(deps(), p, id, body), ctx.directory(), p);
    },
  );

  app.post(
    '/api/v1/training/items/:id/self-assessment',
    {
      schema: {
        summary: 'The trainee rates their own answer (1–5) against the reference',
        tags: ['training'],
        params: doc(idParams),
        body: doc(selfSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const body = parse(selfSchema, req.body);
      await selfAssess(ctx.pool, p, id, body.score);
      return itemAnswer(p, id);
    },
  );

  app.post(
    '/api/v1/training/items/:id/score',
    {
      schema: {
        summary: "A training lead's score (1–5) and comment on an answer",
        tags: ['training'],
        params: doc(idParams),
        body: doc(scoreSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const p = await requirePerson(ctx, req);
      const body = parse(scoreSchema, req.body);
      await scoreItem(ctx.pool, p, id, body);
      return itemAnswer(p, id);
    },
  );

  app.get(
    '/api/v1/training/overview',
    {
      schema: {
        summary: 'Who has practised what: per trainee, answers, approvals needed, warnings, time to answer, scores',
        tags: ['training'],
        querystring: doc(overviewQuery),
      },
    },
    async (req) => {
      const q = parse(overviewQuery, req.query);
      const p = await requirePerson(ctx, req);
      if (p.role !== 'leader' && p.role !== 'manager') throw forbidden('reading the training overview');
      if (q.community_id !== undefined && !canLeadTraining(p, q.community_id)) throw forbidden('this community');
      const led = communitiesLed(p);
      return trainingOverview(ctx.pool, p.orgId, q.community_id !== undefined ? [q.community_id] : led);
    },
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canPausePublishing, canReadPosts, canUseInbox, canWritePosts } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import {
  approvePost,
  calendar,
  calendarQuery,
  campaignSchema,
  cancelPost,
  checkPost,
  checkSchema,
  createPost,
  decideSchema,
  deletePost,
  editPost,
  getPost,
  listCampaigns,
  listPauses,
  type PublishingDeps,
  pausePublishing,
  pauseSchema,
  postPatchSchema,
  postSchema,
  rejectPost,
  rejectSchema,
  reschedulePost,
  resumePublishing,
  saveCampaign,
  scheduleSchema,
  submitPost,
  submitSchema,
} from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const tags = ['publishing'];

export function publishingDeps(ctx: AppContext): PublishingDeps {
  return {
    pool: ctx.pool,
    directory: ctx.directory(),
    detectLang: (text) => ctx.triager().triage([{ text }])[0]?.lang ?? 'und',
  };
}

/**
 * Publishing: the calendar, posts (drafts, submission through governance, scheduling), campaigns, and the
 * publishing pause per community. Access is checked before the body is read, so a refusal says nothing else.
 */
export function publishingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const reader = async (req: FastifyRequest): Promise<PersonPrincipal> => {
    const p = await requirePerson(ctx, req);
    if (!canUseInbox(p)) throw forbidden('reading the publishing calendar');
    return p;
  };
  const writer = async (req: FastifyRequest): Promise<PersonPrincipal> => {
    const p = await requirePerson(ctx, req);
    if (!canWritePosts(p)) throw forbidden('writing posts');
    return p;
  };
  const postId = (req: FastifyRequest) => parse(idParams, req.params).id;

  app.get(
    '/api/v1/publishing/calendar',
    {
      schema: {
        summary: 'Posts of a time range, with the communities whose publishing is paused',
        tags,
        querystring: doc(calendarQuery),
      },
    },
    async (req) => {
      const p = await reader(req);
      return calendar(publishingDeps(ctx), p, parse(calendarQuery, req.query));
    },
  );

  app.post(
    '/api/v1/publishing/posts',
    { schema: { summary: 'Write a post (a draft)', tags, body: doc(postSchema) } },
    async (req, reply) => {
      const p = await writer(req);
      const post = await createPost(publishingDeps(ctx), p, parse(postSchema, req.body));
      return reply.code(201).send(post);
    },
  );

  app.post(
    '/api/v1/publishing/check',
    {
      schema: {
        summary: 'Guideline findings, approvals needed and the identity a post would go out as',
        tags,
        body: doc(checkSchema),
      },
    },
    async (req) => {
      const p = await writer(req);
      const { requirement: _r, ...check } = await checkPost(publishingDeps(ctx), p, parse(checkSchema, req.body));
      return check;
    },
  );

  app.get('/api/v1/publishing/posts/:id', { schema: { summary: 'One post', tags } }, async (req) => {
    const p = await reader(req);
    return getPost(publishingDeps(ctx), p, postId(req));
  });

  app.patch(
    '/api/v1/publishing/posts/:id',
    {
      schema: {
        summary: 'Edit a post not yet published (it goes back to draft)',
        tags,
        body: doc(postPatchSchema),
      },
    },
    async (req) => {
      const p = await writer(req);
      return editPost(publishingDeps(ctx), p, postId(req), parse(postPatchSchema, req.body));
    },
  );

  app.delete('/api/v1/publishing/posts/:id', { schema: { summary: 'Delete a draft', tags } }, async (req, reply) => {
    const p = await writer(req);
    await deletePost(publishingDeps(ctx), p, postId(req));
    return reply.code(204).send();
  });

  app.post(
    '/api/v1/publishing/posts/:id/submit',
    {
      schema: {
        summary: 'Submit a draft: guideline checks, then approval or scheduling',
        tags,
        body: doc(submitSchema),
      },
    },
    async (req) => {
      const p = await writer(req);
      return submitPost(publishingDeps(ctx), p, postId(req), parse(submitSchema, req.body ?? {}));
    },
  );

  app.post(
    '/api/v1/publishing/posts/:id/schedule',
    { schema: { summary: 'Schedule or reschedule a post', tags, body: doc(scheduleSchema) } },
    async (req) => {
      const p = await writer(req);
      return reschedulePost(publishingDeps(ctx), p, postId(req), parse(scheduleSchema, req.body));
    },
  );

  app.post('/api/v1/publishing/posts/:id/cancel', { schema: { summary: 'Cancel a post', tags } }, async (req) => {
    const p = await writer(req);
    return cancelPost(publishingDeps(ctx), p, postId(req));
  });

  app.post(
    '/api/v1/publishing/posts/:id/approve',
    { schema: { summary: 'Approve a post waiting for approval', tags, body: doc(decideSchema) } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      return approvePost(publishingDeps(ctx), p, postId(req), parse(decideSchema, req.body ?? {}));
    },
  );

  app.post(
    '/api/v1/publishing/posts/:id/reject',
    { schema: { summary: 'Reject a post back to its author, with a note', tags, body: doc(rejectSchema) } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const id = postId(req);
      const body = parse(rejectSchema, req.body);
      return rejectPost(publishingDeps(ctx), p, id, body.note);
    },
  );

  app.get('/api/v1/publishing/campaigns', { schema: { summary: 'Campaigns', tags } }, async (req) => {
    const p = await reader(req);
    return listCampaigns(publishingDeps(ctx), p);
  });

  app.post(
    '/api/v1/publishing/campaigns',
    { schema: { summary: 'Create a campaign', tags, body: doc(campaignSchema) } },
    async (req, reply) => {
      const p = await writer(req);
      const c = await saveCampaign(publishingDeps(ctx), p, null, parse(campaignSchema, req.body));
      return reply.code(201).send(c);
    },
  );

  app.put(
    '/api/v1/publishing/campaigns/:id',
    { schema: { summary: 'Change a campaign', tags, body: doc(campaignSchema) } },
    async (req) => {
      const p = await writer(req);
      const id = postId(req);
      return saveCampaign(publishingDeps(ctx), p, id, parse(campaignSchema, req.body));
    },
  );

  app.get(
    '/api/v1/publishing/pauses',
    { schema: { summary: 'Communities whose publishing is paused', tags } },
    async (req) => {
      const p = await reader(req);
      const directory = ctx.directory();
      const readable = [...directory.communities.keys()].filter((c) => canReadPosts(p, c));
      return listPauses(ctx.pool, p.orgId, readable);
    },
  );

  const community = (req: FastifyRequest) => {
    const id = parse(idParams, req.params).id;
    if (!ctx.directory().communities.has(id)) throw notFound('community');
    return id;
  };

  app.post(
    '/api/v1/publishing/communities/:id/pause',
    { schema: { summary: 'Pause the scheduled posts of a community', tags, body: doc(pauseSchema) } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      if (!canPausePublishing(p)) throw forbidden('pausing publishing');
      const communityId = community(req);
      const body = parse(pauseSchema, req.body);
      const changed = await transaction(ctx.pool, (tx) =>
        pausePublishing(tx, { orgId: p.orgId, communityId, reason: body.reason, personId: p.id }),
      );
      if (!changed) throw new HttpError(409, 'already_paused', 'publishing is already paused in this community');
      return { community_id: communityId, paused: true };
    },
  );

  app.post(
    '/api/v1/publishing/communities/:id/resume',
    { schema: { summary: 'Resume the scheduled posts of a community', tags } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      if (!canPausePublishing(p)) throw forbidden('resuming publishing');
      const communityId = community(req);
      const changed = await transaction(ctx.pool, (tx) =>
        resumePublishing(tx, { orgId: p.orgId, communityId, personId: p.id }),
      );
      if (!changed) throw new HttpError(409, 'not_paused', 'publishing is not paused in this community');
      return { community_id: communityId, paused: false };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canSaveViews } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { countOwnViews, listViews, type ViewRow, viewQuerySchema, visibleView } from './store.ts';

const MAX_VIEWS_PER_PERSON = 100;
const idParams = z.object({ id: z.coerce.number().int().positive() });
const name = z.string().trim().min(1).max(80);
const createSchema = z.strictObject({ name, query: viewQuerySchema, shared: z.boolean().default(false) });
const patchSchema = z.strictObject({
  name: name.optional(),
  query: viewQuerySchema.optional(),
  shared: z.boolean().optional(),
});

function present(v: ViewRow, me: PersonPrincipal) {
  return {
    id: v.id,
    name: v.name,
    query: v.query,
    shared: v.shared,
    owner: { id: v.person_id, name: v.owner_name },
    mine: v.person_id === me.id,
    created_at: v.created_at.toISOString(),
  };
}

async function viewer(ctx: AppContext, req: Parameters<typeof requirePerson>[1]): Promise<PersonPrincipal> {
  const person = await requirePerson(ctx, req);
  if (!canSaveViews(person)) throw forbidden('saved views');
  return person;
}

/** A view the person may change: their own. Someone else's shared view is 403; an invisible one 404. */
async function ownView(ctx: AppContext, person: PersonPrincipal, id: number): Promise<ViewRow> {
  const v = await visibleView(ctx.pool, person.orgId, person.id, id);
  if (!v) throw notFound('view');
  if (v.person_id !== person.id) throw new HttpError(403, 'forbidden', 'only its owner can change a view');
  return v;
}

export function viewRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/views',
    { schema: { summary: 'Your saved inbox views, then those others shared', tags: ['views'] } },
    async (req) => {
      const person = await viewer(ctx, req);
      return (await listViews(ctx.pool, person.orgId, person.id)).map((v) => present(v, person));
    },
  );

  app.post(
    '/api/v1/views',
    { schema: { summary: 'Save inbox filters as a view', tags: ['views'], body: doc(createSchema) } },
    async (req, reply) => {
      const body = parse(createSchema, req.body);
      const person = await viewer(ctx, req);
      if ((await countOwnViews(ctx.pool, person.id)) >= MAX_VIEWS_PER_PERSON) {
        throw new HttpError(409, 'too_many_views', `at most ${MAX_VIEWS_PER_PERSON} views per person`);
      }
      const id = await transaction(ctx.pool, async (tx) => {
        const r = await tx.query<{ id: number }>(
          'insert into saved_views (org_id, person_id, name, query, shared) values ($1, $2, $3, $4, $5) returning id',
          [person.orgId, person.id, body.name, body.query, body.shared],
        );
        const id = r.rows[0]!.id;
        await audit(tx, {
          orgId: person.orgId,
          action: 'view.created',
          actorPersonId: person.id,
          subjectType: 'saved_view',
          subjectId: id,
          data: { shared: body.shared },
        });
        return id;
      });
      const v = await visibleView(ctx.pool, person.orgId, person.id, id);
      return reply.status(201).send(present(v!, person));
    },
  );

  app.patch(
    '/api/v1/views/:id',
    { schema: { summary: 'Rename, refilter or (un)share your view', tags: ['views'], body: doc(patchSchema) } },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(patchSchema, req.body);
      const person = await viewer(ctx, req);
      const v = await ownView(ctx, person, id);
      await transaction(ctx.pool, async (tx) => {
        await tx.query('update saved_views set name = $2, query = $3, shared = $4 where id = $1', [
          id,
          body.name ?? v.name,
          body.query ?? v.query,
          body.shared ?? v.shared,
        ]);
        await audit(tx, {
          orgId: person.orgId,
          action: 'view.updated',
          actorPersonId: person.id,
          subjectType: 'saved_view',
          subjectId: id,
          data: { fields: Object.keys(body) },
        });
      });
      return present((await visibleView(ctx.pool, person.orgId, person.id, id))!, person);
    },
  );

  app.delete(
    '/api/v1/views/:id',
    { schema: { summary: 'Delete your view', tags: ['views'], params: doc(idParams) } },
    async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const person = await viewer(ctx, req);
      await ownView(ctx, person, id);
      await transaction(ctx.pool, async (tx) => {
        await tx.query('delete from saved_views where id = $1', [id]);
        await audit(tx, {
          orgId: person.orgId,
          action: 'view.deleted',
          actorPersonId: person.id,
          subjectType: 'saved_view',
          subjectId: id,
        });
      });
      return reply.status(204).send();
    },
  );
}

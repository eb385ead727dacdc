import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canManageAbsence, canManageHolidays } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { ValidationError } from '../validation.ts';
import { ABSENCE_REASONS } from './calendar.ts';

const DAY_MS = 86_400_000;
/** The longest absence one record may hold (a longer leave is several records). */
const MAX_ABSENCE_DAYS = 366;

const idParams = z.object({ id: z.coerce.number().int().positive() });
const instant = z.iso.datetime({ offset: true });
const localDate = z.iso.date();

const absenceFields = {
  starts_at: instant,
  ends_at: instant,
  reason: z.enum(ABSENCE_REASONS),
  note: z.string().max(500),
};
const absenceCreate = z
  .strictObject({
    /** Whose absence; yourself when left out. */
    person_id: z.number().int().positive().optional(),
    starts_at: absenceFields.starts_at,
    ends_at: absenceFields.ends_at,
    reason: absenceFields.reason.default('other'),
    note: absenceFields.note.default(''),
  })
  .superRefine(checkPeriod);
const absencePatch = z
  .strictObject({
    starts_at: absenceFields.starts_at.optional(),
    ends_at: absenceFields.ends_at.optional(),
    reason: absenceFields.reason.optional(),
    note: absenceFields.note.optional(),
  })
  .superRefine(checkPeriod);
const absenceQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  person_id: z.coerce.number().int().positive().optional(),
});

function checkPeriod(v: { starts_at?: string | undefined; ends_at?: string | undefined }, c: z.RefinementCtx) {
  if (!v.starts_at || !v.ends_at) return;
  const length = Date.parse(v.ends_at) - Date.parse(v.starts_at);
  if (length <= 0) c.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' });
  else if (length > MAX_ABSENCE_DAYS * DAY_MS) {
    c.addIssue({ code: 'custom', path: ['ends_at'], message: `at most ${MAX_ABSENCE_DAYS} days after starts_at` });
  }
}

const holidayCreate = z.strictObject({
  date: localDate,
  name: z.string().trim().min(1).max(120),
  /** The community whose holiday it is; the whole organization when null or left out. */
  community_id: z.number().int().positive().nullable().default(null),
  /** Whether nobody works a shift that starts that day (unless set on duty by hand). */
  cancels_shifts: z.boolean().default(true),
});
const holidayPatch = z.strictObject({
  date: localDate.optional(),
  name: z.string().trim().min(1).max(120).optional(),
  community_id: z.number().int().positive().nullable().optional(),
  cancels_shifts: z.boolean().optional(),
});
const holidayQuery = z.object({ from: localDate.optional(), to: localDate.optional() });

interface AbsenceRow {
  id: number;
  person_id: number;
  person_name: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  note: string;
  created_by: number | null;
  community_ids: number[];
}

async function personOf(db: Queryable, orgId: number, id: number) {
  const r = await db.query<{ id: number; name: string; community_ids: number[] }>(
    `select p.id, p.name, array(select community_id from person_communities pc where pc.person_id = p.id) as community_ids
     from people p where p.org_id = $1 and p.id = $2 and p.active`,
    [orgId, id],
  );
  return r.rows[0];
}

/** Refuses an absence overlapping another of the same person: one period, one record. */
async function assertNoOverlap(db: Queryable, personId: number, from: string, to: string, except = 0) {
  const r = await db.query<{ id: number }>(
    `select id from absences where person_id = $1 and id <> $4 and starts_at < $3 and ends_at > $2 limit 1`,
    [personId, from, to, except],
  );
  if (r.rows[0]) {
    throw new HttpError(409, 'absence_overlap', `this person is already absent then (absence ${r.rows[0].id})`);
  }
}

const presentAbsence = (me: PersonPrincipal, a: AbsenceRow) => {
  const mine = canManageAbsence(me, { id: a.person_id, communityIds: a.community_ids });
  return {
    id: a.id,
    person_id: a.person_id,
    person_name: a.person_name,
    starts_at: a.starts_at.toISOString(),
    ends_at: a.ends_at.toISOString(),
    // Why someone is away is for them and who plans their work; colleagues see only that they are.
    reason: mine ? a.reason : null,
    note: mine ? a.note : null,
    editable: mine,
  };
};

const ABSENCE_SELECT = `select a.id, a.person_id, p.name as person_name, a.starts_at, a.ends_at, a.reason, a.note, a.created_by,
    array(select community_id from person_communities pc where pc.person_id = a.person_id) as community_ids
  from absences a join people p on p.id = a.person_id`;

/** Absences (a person's own, or by a leader or their manager) and public holidays (leaders), all audited. */
export function calendarRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/coverage/absences',
    {
      schema: {
        summary: 'Absences of the people of your communities overlapping a period (default: the next 90 days)',
        tags: ['coverage'],
        querystring: doc(absenceQuery),
      },
    },
    async (req) => {
      const me = await requirePerson(ctx, req);
      const q = parse(absenceQuery, req.query);
      const from = q.from ? new Date(q.from) : new Date(Date.now() - DAY_MS);
      const to = q.to ? new Date(q.to) : new Date(from.getTime() + 91 * DAY_MS);
      const r = await ctx.pool.query<AbsenceRow>(
        `${ABSENCE_SELECT}
         where a.org_id = $1 and a.ends_at > $2 and a.starts_at < $3 and ($4::int is null or a.person_id = $4)
         order by a.starts_at, a.id limit 1000`,
        [me.orgId, from, to, q.person_id ?? null],
      );
      return r.rows
        .filter((a) => a.person_id === me.id || a.community_ids.some((c) => me.communityIds.has(c)))
        .map((a) => presentAbsence(me, a));
    },
  );

  app.post(
    '/api/v1/coverage/absences',
    {
      schema: {
        summary: 'Declare an absence (your own, or of someone you plan)',
        tags: ['coverage'],
        body: doc(absenceCreate),
      },
    },
    async (req, reply) => {
      const me = await requirePerson(ctx, req);
      const body = parse(absenceCreate, req.body);
      const personId = body.person_id ?? me.id;
      const created = await transaction(ctx.pool, async (tx) => {
        const person = await personOf(tx, me.orgId, personId);
        if (!person) throw notFound('person');
        if (!canManageAbsence(me, { id: person.id, communityIds: person.community_ids })) {
          throw forbidden('declaring an absence for this person');
        }
        // Serializes the person's absences so two overlapping declarations cannot both pass the check.
        await tx.query('select id from people where id = $1 for update', [personId]);
        await assertNoOverlap(tx, personId, body.starts_at, body.ends_at);
        const r = await tx.query<{ id: number }>(
          `insert into absences (org_id, person_id, starts_at, ends_at, reason, note, created_by)
           values ($1, $2, $3, $4, $5, $6, $7) returning id`,
          [me.orgId, personId, body.starts_at, body.ends_at, body.reason, body.note, me.id],
        );
        const id = r.rows[0]!.id;
        await audit(tx, {
          orgId: me.orgId,
          action: 'absence.created',
          actorPersonId: me.id,
          subjectType: 'person',
          subjectId: personId,
          data: { absence_id: id, starts_at: body.starts_at, ends_at: body.ends_at },
        });
        return id;
      });
      return reply.code(201).send({ id: created });
    },
  );

  app.patch(
    '/api/v1/coverage/absences/:id',
    { schema: { summary: 'Change an absence', tags: ['coverage'], body: doc(absencePatch) } },
    async (req) => {
      const me = await requirePerson(ctx, req);
      const { id } = parse(idParams, req.params);
      const body = parse(absencePatch, req.body);
      return transaction(ctx.pool, async (tx) => {
        const a = await loadManaged(tx, me, id);
        const startsAt = body.starts_at ?? a.starts_at.toISOString();
        const endsAt = body.ends_at ?? a.ends_at.toISOString();
        // The full period must still make sense once merged with what is stored.
        parse(absencePatch, { starts_at: startsAt, ends_at: endsAt });
        await tx.query('select id from people where id = $1 for update', [a.person_id]);
        await assertNoOverlap(tx, a.person_id, startsAt, endsAt, id);
        await tx.query(
          `update absences set starts_at = $2, ends_at = $3, reason = coalesce($4, reason), note = coalesce($5, note)
           where id = $1`,
          [id, startsAt, endsAt, body.reason ?? null, body.note ?? null],
        );
        await audit(tx, {
          orgId: me.orgId,
          action: 'absence.updated',
          actorPersonId: me.id,
          subjectType: 'person',
          subjectId: a.person_id,
          data: { absence_id: id, fields: Object.keys(body), starts_at: startsAt, ends_at: endsAt },
        });
        return { id };
      });
    },
  );

  app.delete(
    '/api/v1/coverage/absences/:id',
    { schema: { summary: 'Remove an absence', tags: ['coverage'] } },
    async (req, reply) => {
      const me = await requirePerson(ctx, req);
      const { id } = parse(idParams, req.params);
      await transaction(ctx.pool, async (tx) => {
        const a = await loadManaged(tx, me, id);
        await tx.query('delete from absences where id = $1', [id]);
        await audit(tx, {
          orgId: me.orgId,
          action: 'absence.deleted',
          actorPersonId: me.id,
          subjectType: 'person',
          subjectId: a.person_id,
          data: { absence_id: id, starts_at: a.starts_at.toISOString(), ends_at: a.ends_at.toISOString() },
        });
      });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/coverage/holidays',
    {
      schema: {
        summary: 'Public holidays of the organization and of your communities (default: this year and the next)',
        tags: ['coverage'],
        querystring: doc(holidayQuery),
      },
    },
    async (req) => {
      const me = await requirePerson(ctx, req);
      const q = parse(holidayQuery, req.query);
      const year = new Date().getUTCFullYear();
      const r = await ctx.pool.query<{
        id: number;
        date: string;
        name: string;
        community_id: number | null;
        cancels_shifts: boolean;
      }>(
        `select id, date::text as date, name, community_id, cancels_shifts from holidays
         where org_id = $1 and date between $2::date and $3::date order by date, id limit 2000`,
        [me.orgId, q.from ?? `${year}-01-01`, q.to ?? `${year + 1}-12-31`],
      );
      return r.rows.filter((h) => h.community_id === null || me.communityIds.has(h.community_id));
    },
  );

  app.post(
    '/api/v1/coverage/holidays',
    { schema: { summary: 'Add a public holiday', tags: ['coverage'], body: doc(holidayCreate) } },
    async (req, reply) => {
      const me = await requirePerson(ctx, req);
      if (!canManageHolidays(me)) throw forbidden('managing holidays');
      const body = parse(holidayCreate, req.body);
      const id = await transaction(ctx.pool, async (tx) => {
        await assertCommunity(tx, me.orgId, body.community_id);
        const r = await tx.query<{ id: number }>(
          `insert into holidays (org_id, date, name, community_id, cancels_shifts, created_by)
           values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning id`,
          [me.orgId, body.date, body.name, body.community_id, body.cancels_shifts, me.id],
        );
        if (!r.rows[0]) throw duplicateHoliday();
        await audit(tx, {
          orgId: me.orgId,
          action: 'holiday.created',
          actorPersonId: me.id,
          subjectType: 'holiday',
          subjectId: r.rows[0].id,
          data: { date: body.date, community_id: body.community_id, cancels_shifts: body.cancels_shifts },
        });
        return r.rows[0].id;
      });
      return reply.code(201).send({ id });
    },
  );

  app.patch(
    '/api/v1/coverage/holidays/:id',
    { schema: { summary: 'Change a public holiday', tags: ['coverage'], body: doc(holidayPatch) } },
    async (req) => {
      const me = await requirePerson(ctx, req);
      if (!canManageHolidays(me)) throw forbidden('managing holidays');
      const { id } = parse(idParams, req.params);
      const body = parse(holidayPatch, req.body);
      await transaction(ctx.pool, async (tx) => {
        if (body.community_id !== undefined) await assertCommunity(tx, me.orgId, body.community_id);
        const r = await tx
          .query(
            `update holidays set date = coalesce($3::date, date), name = coalesce($4, name),
             community_id = case when $5 then $6::int else community_id end,
             cancels_shifts = coalesce($7, cancels_shifts)
           where id = $1 and org_id = $2`,
            [
              id,
              me.orgId,
              body.date ?? null,
              body.name ?? null,
              body.community_id !== undefined,
              body.community_id ?? null,
              body.cancels_shifts ?? null,
            ],
          )
          .catch((err: { code?: string }) => {
            if (err.code === '23505') throw duplicateHoliday();
            throw err;
          });
        if (r.rowCount === 0) throw notFound('holiday');
        await audit(tx, {
          orgId: me.orgId,
          action: 'holiday.updated',
          actorPersonId: me.id,
          subjectType: 'holiday',
          subjectId: id,
          data: { fields: Object.keys(body) },
        });
      });
      return { id };
    },
  );

  app.delete(
    '/api/v1/coverage/holidays/:id',
    { schema: { summary: 'Remove a public holiday', tags: ['coverage'] } },
    async (req, reply) => {
      const me = await requirePerson(ctx, req);
      if (!canManageHolidays(me)) throw forbidden('managing holidays');
      const { id } = parse(idParams, req.params);
      await transaction(ctx.pool, async (tx) => {
        const r = await tx.query<{ date: string }>(
          'delete from holidays where id = $1 and org_id = $2 returning date::text as date',
          [id, me.orgId],
        );
        if (!r.rows[0]) throw notFound('holiday');
        await audit(tx, {
          orgId: me.orgId,
          action: 'holiday.deleted',
          actorPersonId: me.id,
          subjectType: 'holiday',
          subjectId: id,
          data: { date: r.rows[0].date },
        });
      });
      return reply.code(204).send();
    },
  );
}

const duplicateHoliday = () =>
  new HttpError(409, 'holiday_exists', 'there is already a holiday on this date for this community');

async function assertCommunity(db: Queryable, orgId: number, communityId: number | null) {
  if (communityId === null) return;
  const r = await db.query('select 1 from communities where id = $1 and org_id = $2', [communityId, orgId]);
  if (r.rowCount === 0) throw new ValidationError([{ field: 'community_id', message: 'no such community' }]);
}

/** An absence the caller may change; 404 when it does not exist or is not theirs to see, 403 when read-only. */
async function loadManaged(db: Queryable, me: PersonPrincipal, id: number): Promise<AbsenceRow> {
  const r = await db.query<AbsenceRow>(`${ABSENCE_SELECT} where a.id = $1 and a.org_id = $2 for update of a`, [
    id,
    me.orgId,
  ]);
  const a = r.rows[0];
  const visible = a && (a.person_id === me.id || a.community_ids.some((c) => me.communityIds.has(c)));
  if (!a || !visible) throw notFound('absence');
  if (!canManageAbsence(me, { id: a.person_id, communityIds: a.community_ids }))
    throw forbidden('changing this absence');
  return a;
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { publish, type RealtimeEvent } from '../../server/realtime/events.ts';
import { canAdminister } from '../access/policy.ts';
import { audit } from '../audit/log.ts';
import { loadCalendarAt, personOnDuty } from '../coverage/calendar.ts';
import { loadCandidates, pickAssignee, recordAssignments } from '../routing/assignment.ts';
import { type Shift, scheduleSchema } from '../routing/schedule.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const personPatch = z.strictObject({
  /** true: on duty now whatever the schedule; false: off duty; null: follow the schedule. */
  on_duty: z.boolean().nullable().optional(),
  schedule: scheduleSchema.optional(),
  languages: z
    .array(z.string().regex(/^[a-z]{2}$/))
    .max(20)
    .optional(),
  skills: z.array(z.string().min(1).max(64)).max(50).optional(),
  capacity: z.number().int().min(0).max(1000).optional(),
  autonomy: z.enum(['trainee', 'standard', 'senior']).optional(),
  timezone: z
    .string()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Europe/Zurich')
    .optional(),
});

const releaseSchema = z.strictObject({ to: z.enum(['team_queue', 'reassign']) });

/** Who works when, and moving someone's open cases when they leave: leaders for anyone, people for themselves. */
export function peopleRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/people/duty',
    { schema: { summary: 'Who is on duty now, per community', tags: ['organization'] } },
    async (req) => {
      const me = await requirePerson(ctx, req);
      const r = await ctx.pool.query<{
        id: number;
        name: string;
        role: string;
        languages: string[];
        schedule: Shift[];
        on_duty: boolean | null;
        timezone: string;
        community_ids: number[];
        open_cases: number;
      }>(
        `select p.id, p.name, p.role, p.languages, p.schedule, p.on_duty, p.timezone,
         array(select community_id from person_communities where person_id = p.id) as community_ids,
         (select count(*)::int from cases c where c.assignee_id = p.id and c.status in ('new', 'open', 'waiting_internal')) as open_cases
       from people p where p.org_id = $1 and p.active and p.role in ('leader', 'manager', 'backup', 'approver')
       order by p.name`,
        [me.orgId],
      );
      const now = new Date();
      const calendar = await loadCalendarAt(ctx.pool, me.orgId, now);
      return r.rows
        .filter((p) => p.community_ids.some((c) => me.communityIds.has(c)))
        .map((p) => ({
          id: p.id,
          name: p.name,
          role: p.role,
          languages: p.languages,
          community_ids: p.community_ids.filter((c) => me.communityIds.has(c)),
          on_duty: personOnDuty(p, calendar, now),
          absent: calendar.absences.some((a) => a.personId === p.id),
          override: p.on_duty,
          schedule: p.schedule,
          timezone: p.timezone,
          open_cases: p.open_cases,
        }));
    },
  );

  app.patch(
    '/api/v1/people/:id',
    {
      schema: {
        summary: 'Change a person’s duty, schedule, languages, skills, capacity or autonomy',
        tags: ['organization'],
        body: doc(personPatch),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const body = parse(personPatch, req.body);
      const me = await requirePerson(ctx, req);
      // Anyone may go on or off duty; everything else is the leader's.
      const selfDutyOnly = me.id === id && Object.keys(body).every((k) => k === 'on_duty');
      if (!canAdminister(me) && !selfDutyOnly) throw forbidden('changing this person');
      const cols: Record<string, string> = {
        on_duty: 'on_duty',
        schedule: 'schedule',
        languages: 'languages',
        skills: 'skills',
        capacity: 'capacity',
        autonomy: 'autonomy',
        timezone: 'timezone',
      };
      const sets: string[] = [];
      const params: unknown[] = [id, me.orgId];
      for (const [k, v] of Object.entries(body)) {
        params.push(k === 'schedule' ? JSON.stringify(v) : v);
        sets.push(`${cols[k]} = $${params.length}`);
      }
      if (sets.length === 0) return { id };
      await transaction(ctx.pool, async (tx) => {
        const r = await tx.query(`update people set ${sets.join(', ')} where id = $1 and org_id = $2`, params);
        if (r.rowCount === 0) throw notFound('person');
        await audit(tx, {
          orgId: me.orgId,
          action: 'person.updated',
          actorPersonId: me.id,
          subjectType: 'person',
          subjectId: id,
          data: { fields: Object.keys(body) },
        });
      });
      return { id };
    },
  );

  app.post(
    '/api/v1/people/:id/release-cases',
    {
      schema: {
        summary: 'Move a person’s open cases to the team queue or to colleagues on duty',
        tags: ['organization'],
        body: doc(releaseSchema),
      },
    },
    async (req) => {
      const { id } = parse(idParams, req.params);
      const { to } = parse(releaseSchema, req.body);
      const me = await requirePerson(ctx, req);
      if (!canAdminister(me) && me.id !== id) throw forbidden('moving someone else’s cases');
      const now = new Date();
      return transaction(ctx.pool, async (tx) => {
        const cases = await tx.query<{ id: number; community_id: number; language: string | null }>(
          `select id, community_id, language from cases where org_id = $1 and assignee_id = $2
             and status in ('new', 'open', 'waiting_customer', 'waiting_internal')
           order by id for update`,
          [me.orgId, id],
        );
        const candidates = to === 'reassign' ? await loadCandidates(tx, me.orgId, now) : [];
        const outcome: { case_id: number; assignee_id: number | null }[] = [];
        const events: RealtimeEvent[] = [];
        for (const c of cases.rows) {
          const pick =
            to === 'reassign'
              ? pickAssignee(
                  candidates,
                  {
                    communityId: c.community_id,
                    language: c.language ?? '',
                    skills: [],
                    strategy: 'least_loaded',
                    exclude: id,
                  },
                  now,
                )
              : { person: null };
          const next = pick.person?.id ?? null;
          await tx.query('update cases set assignee_id = $2, assigned_at = $3, updated_at = now() where id = $1', [
            c.id,
            next,
            next === null ? null : now,
          ]);
          await tx.query(
            `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'reassigned', $4)`,
            [me.orgId, c.id, me.id, { from: id, to: next, reason: 'released' }],
          );
          outcome.push({ case_id: c.id, assignee_id: next });
          events.push({
            type: 'case.updated',
            org_id: me.orgId,
            case_id: c.id,
            community_id: c.community_id,
            ...(next ? { people: [next] } : {}),
          });
        }
        await recordAssignments(
          tx,
          outcome.map((o) => o.assignee_id).filter((x): x is number => x !== null),
          now,
        );
        await audit(tx, {
          orgId: me.orgId,
          action: 'person.cases_released',
          actorPersonId: me.id,
          subjectType: 'person',
          subjectId: id,
          data: { cases: outcome.length, to },
        });
        await publish(tx, events);
        return { moved: outcome };
      });
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';
import { forbidden } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { parse } from '../../server/http/validate.ts';
import { canPlanCoverage } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { loadCalendar } from './calendar.ts';
import { calendarRoutes } from './calendar-routes.ts';
import { computeForecast } from './forecast.ts';
import {
  type CoverageCommunity,
  type CoveragePerson,
  communityHours,
  DutyPlanner,
  gapPeriods,
  HOUR_MS,
  loadCoveragePeople,
} from './gaps.ts';
import { loadBackupRelations, proposeBackups } from './proposals.ts';

const DAY_MS = 86_400_000;
/** How far ahead "next on duty" looks. */
const NEXT_HORIZON_MS = 14 * DAY_MS;

const gapsQuery = z.object({
  days: z.coerce.number().int().min(1).max(28).default(7),
  community_id: z.coerce.number().int().positive().optional(),
});
const forecastQuery = gapsQuery.extend({
  /** Weeks of history the forecast averages over. */
  weeks: z.coerce.number().int().min(1).max(8).default(6),
  /** Messages one person on duty handles per hour; else the organization's setting, else derived from history. */
  per_person_hour: z.coerce.number().positive().max(1000).optional(),
});

function visibleCommunities(ctx: AppContext, me: PersonPrincipal, only?: number): CoverageCommunity[] {
  return [...ctx.directory().communities.values()]
    .filter((c) => me.communityIds.has(c.id) && (only === undefined || c.id === only))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ id: c.id, slug: c.slug, name: c.name, language: c.language, timezone: c.timezone }));
}

const brief = (p: CoveragePerson) => ({ id: p.id, name: p.name, role: p.role, languages: p.languages });

/** The organization's messages per person-hour, when it sets one (`settings.coverage.messages_per_person_hour`). */
function organizationRate(ctx: AppContext): number | undefined {
  const coverage = ctx.directory().settings.coverage as { messages_per_person_hour?: unknown } | undefined;
  const v = coverage?.messages_per_person_hour;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/** 24/7 coverage (docs/coverage.md): who is on now, the gaps ahead, the forecast against capacity; the calendar. */
export function coverageRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/coverage/now',
    {
      schema: { summary: 'Who is on duty now per community and per language, and who comes next', tags: ['coverage'] },
    },
    async (req) => {
      const me = await requirePerson(ctx, req);
      const now = new Date();
      const communities = visibleCommunities(ctx, me);
      const people = (await loadCoveragePeople(ctx.pool, me.orgId)).filter((p) =>
        p.community_ids.some((c) => me.communityIds.has(c)),
      );
      const calendar = await loadCalendar(ctx.pool, me.orgId, now, new Date(now.getTime() + NEXT_HORIZON_MS));
      const planner = new DutyPlanner(people, calendar, now);
      const next = (ids: number[]) => {
        const n = planner.nextOnDuty(ids, now, NEXT_HORIZON_MS);
        const p = n && people.find((x) => x.id === n.personId);
        return n && p ? { person: brief(p), at: n.at.toISOString() } : null;
      };
      const onNow = people.filter((p) => planner.onDuty(p.id, now));
      const absent = people.filter((p) => planner.absent(p.id, now)).map((p) => p.id);
      const languages = [...new Set(communities.map((c) => c.language))].sort();
      return {
        at: now.toISOString(),
        absent_ids: absent,
        communities: communities.map((c) => {
          const on = onNow.filter((p) => p.community_ids.includes(c.id));
          const members = people.filter((p) => p.community_ids.includes(c.id)).map((p) => p.id);
          return { ...c, on_duty: on.map(brief), next: on.length === 0 ? next(members) : null };
        }),
        languages: languages.map((language) => {
          const on = onNow.filter((p) => p.languages.includes(language));
          const speakers = people.filter((p) => p.languages.includes(language)).map((p) => p.id);
          return {
            language,
            community_ids: communities.filter((c) => c.language === language).map((c) => c.id),
            on_duty: on.map(brief),
            next: on.length === 0 ? next(speakers) : null,
          };
        }),
      };
    },
  );

  app.get(
    '/api/v1/coverage/gaps',
    {
      schema: {
        summary: 'People on duty hour by hour per community over the next days, with the gaps',
        tags: ['coverage'],
        querystring: doc(gapsQuery),
      },
    },
    async (req) => {
      const me = await requirePerson(ctx, req);
      if (!canPlanCoverage(me)) throw forbidden('coverage planning');
      const q = parse(gapsQuery, req.query);
      const now = new Date();
      const end = new Date(now.getTime() + q.days * DAY_MS + HOUR_MS);
      const [people, calendar] = await Promise.all([
        loadCoveragePeople(ctx.pool, me.orgId),
        loadCalendar(ctx.pool, me.orgId, now, end),
      ]);
      const planner = new DutyPlanner(people, calendar, now);
      return {
        from: new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS).toISOString(),
        days: q.days,
        holidays: calendar.holidays,
        communities: visibleCommunities(ctx, me, q.community_id).map((c) => {
          const hours = communityHours(planner, people, c.id, q.days * 24);
          return { ...c, hours, gap_hours: hours.filter((h) => h.gap).length, gaps: gapPeriods(hours) };
        }),
      };
    },
  );

  app.get(
    '/api/v1/coverage/forecast',
    {
      schema: {
        summary: 'Forecast inbound volume per community and hour against scheduled capacity, with backups to call',
        tags: ['coverage'],
        querystring: doc(forecastQuery),
      },
    },
    async (req) => {
      const me = await requirePerson(ctx, req);
      if (!canPlanCoverage(me)) throw forbidden('coverage planning');
      const q = parse(forecastQuery, req.query);
      const now = new Date();
      const orgRate = organizationRate(ctx);
      const people = await loadCoveragePeople(ctx.pool, me.orgId);
      const [f, backups] = await Promise.all([
        computeForecast(ctx.pool, {
          orgId: me.orgId,
          communities: visibleCommunities(ctx, me, q.community_id),
          people,
          now,
          days: q.days,
          weeks: q.weeks,
          perPersonHour:
            q.per_person_hour !== undefined
              ? { value: q.per_person_hour, source: 'request' }
              : orgRate !== undefined
                ? { value: orgRate, source: 'organization' }
                : undefined,
        }),
        loadBackupRelations(ctx.pool, me.orgId),
      ]);
      return {
        from: f.communities[0]?.hours[0]?.at ?? now.toISOString(),
        days: q.days,
        weeks: q.weeks,
        per_person_hour: f.rate,
        backups_from: backups.source,
        communities: f.communities.map(({ community, trend, hours }) => ({
          ...community,
          trend,
          expected_total: Math.round(hours.reduce((n, h) => n + h.expected, 0) * 10) / 10,
          hours,
          understaffed: hours
            .filter((h) => h.understaffed)
            .map((h) => ({
              ...h,
              proposals: proposeBackups(
                f.planner,
                people,
                backups.relations,
                community,
                new Date(h.at),
                h.needed - h.on_duty,
              ),
            })),
        })),
      };
    },
  );

  calendarRoutes(app, ctx);
}

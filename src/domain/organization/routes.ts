import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server/context.ts';
import { requirePerson } from '../../server/http/auth.ts';

export function organizationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/communities',
    { schema: { summary: 'Communities you work in', tags: ['organization'] } },
    async (req) => {
      const person = await requirePerson(ctx, req);
      const d = ctx.directory();
      return [...d.communities.values()]
        .filter((c) => person.communityIds.has(c.id))
        .map((c) => {
          const brand = d.brands.find((b) => b.id === c.brandId);
          return {
            id: c.id,
            slug: c.slug,
            name: c.name,
            language: c.language,
            timezone: c.timezone,
            brand: brand ? { id: brand.id, name: brand.name } : null,
            accounts: [...d.accounts.values()]
              .filter((a) => a.communityId === c.id)
              .map((a) => ({
                id: a.id,
                network: a.network,
                handle: a.handle,
                kind: a.kind,
                status: a.status,
                paused: a.paused,
              })),
          };
        });
    },
  );

  app.get('/api/v1/teams', { schema: { summary: 'Teams', tags: ['organization'] } }, async (req) => {
    await requirePerson(ctx, req);
    return [...ctx.directory().teams.values()].map((t) => ({ id: t.id, slug: t.slug, name: t.name }));
  });

  app.get(
    '/api/v1/people',
    { schema: { summary: 'People who can work cases in your communities', tags: ['organization'] } },
    async (req) => {
      const person = await requirePerson(ctx, req);
      const r = await ctx.pool.query<{
        id: number;
        name: string;
        role: string;
        languages: string[];
        community_ids: number[];
      }>(
        `select p.id, p.name, p.role, p.languages,
         case when p.role = 'leader' then array(select id from communities where org_id = p.org_id)
              else array(select community_id from person_communities where person_id = p.id) end as community_ids
       from people p where p.org_id = $1 and p.active order by p.name`,
        [person.orgId],
      );
      return r.rows
        .filter((p) => p.community_ids.some((c) => person.communityIds.has(c)))
        .map((p) => ({
          id: p.id,
          name: p.name,
          role: p.role,
          languages: p.languages,
          community_ids: p.community_ids.filter((c) => person.communityIds.has(c)),
        }));
    },
  );
}

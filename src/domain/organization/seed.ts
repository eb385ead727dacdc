import { hash } from '@node-rs/argon2';
import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { seedCannedReplies } from '../composer/canned.ts';
import { seedExpertise } from '../consults/seed.ts';
import { seedCoverage } from '../coverage/seed.ts';
import { seedPlaybooks } from '../crisis/playbook.ts';
import { seedGovernance } from '../governance/store.ts';
import { seedPublishing } from '../publishing/seed.ts';
import { insertPolicy } from '../routing/store.ts';
import type { OrganizationDefinition } from './definition.ts';

const SEED_LOCK = 7_311_002;
const LANGUAGE_NAMES: Record<string, string> = { fr: 'FR', de: 'DE', it: 'IT', en: 'International' };

export interface SeedResult {
  orgId: number;
  created: boolean;
}

/**
 * Creates the organization described by `def` unless it exists. Safe to call from several processes at
 * once and on every start: it seeds once, in one transaction.
 */
export async function seedOrganization(
  pool: pg.Pool,
  def: OrganizationDefinition,
  password: string,
): Promise<SeedResult> {
  return transaction(pool, async (c) => {
    await c.query('select pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const existing = await c.query<{ id: number }>('select id from organizations where slug = $1', [def.slug]);
    if (existing.rows[0]) {
      // An organization seeded before canned replies existed gets them now, once.
      if (def.cannedReplies) await seedCannedReplies(c, existing.rows[0].id, def.cannedReplies);
      if (def.governance) await seedGovernance(c, existing.rows[0].id, def.governance);
      if (def.expertise) await seedExpertise(c, existing.rows[0].id, def.expertise);
      if (def.crisisPlaybooks) await seedPlaybooks(c, existing.rows[0].id, def.crisisPlaybooks);
      if (def.coverage) await seedCoverage(c, existing.rows[0].id, def.coverage);
      if (def.publishing) await seedPublishing(c, existing.rows[0].id, def.publishing);
      return { orgId: existing.rows[0].id, created: false };
    }

    const org = await c.query<{ id: number }>(
      'insert into organizations (slug, name, settings) values ($1, $2, $3) returning id',
      [def.slug, def.name, def.settings],
    );
    const orgId = org.rows[0]!.id;
    const teamIds = new Map<string, number>();
    for (const t of def.teams) {
      const r = await c.query<{ id: number }>(
        'insert into teams (org_id, slug, name, mission) values ($1, $2, $3, $4) returning id',
        [orgId, t.slug, t.name, t.mission],
      );
      teamIds.set(t.slug, r.rows[0]!.id);
    }
    const defaultTeam = teamIds.values().next().value;
    const communityIds = new Map<string, number>();
    for (const b of def.brands) {
      const brand = await c.query<{ id: number }>(
        'insert into brands (org_id, slug, name, keywords) values ($1, $2, $3, $4) returning id',
        [orgId, b.slug, b.name, b.keywords],
      );
      const brandId = brand.rows[0]!.id;
      for (const cm of b.communities) {
        const slug = `${b.slug}-${cm.language}`;
        const name = `${b.name} · ${LANGUAGE_NAMES[cm.language] ?? cm.language.toUpperCase()}`;
        const teamId = cm.defaultTeam ? teamIds.get(cm.defaultTeam) : defaultTeam;
        const r = await c.query<{ id: number }>(
          `insert into communities (org_id, brand_id, slug, name, language, timezone, locale, default_team_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
          [orgId, brandId, slug, name, cm.language, cm.timezone ?? 'Europe/Zurich', cm.locale, teamId ?? null],
        );
        const communityId = r.rows[0]!.id;
        communityIds.set(slug, communityId);
        await c.query(
          `insert into channel_accounts (org_id, community_id, network, handle, display_name, kind)
           values ($1, $2, 'sandbox', $3, $4, 'account')`,
          [orgId, communityId, cm.handle, name],
        );
        if (cm.language === b.fallbackLanguage) {
          await c.query('update brands set fallback_community_id = $1 where id = $2', [communityId, brandId]);
        }
      }
    }
    // One hash per person (own salt), computed in parallel on the thread pool.
    const hashes = await Promise.all(def.people.map(() => hash(password)));
    for (const [i, p] of def.people.entries()) {
      const passwordHash = hashes[i];
      const r = await c.query<{ id: number }>(
        `insert into people (org_id, email, name, role, password_hash, languages, skills, timezone, locale, autonomy, schedule)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
        [
          orgId,
          p.email,
          p.name,
          p.role,
          passwordHash,
          p.languages,
          p.skills ?? [],
          p.timezone ?? 'Europe/Zurich',
          p.locale,
          p.autonomy ?? 'standard',
          JSON.stringify(p.schedule ?? []),
        ],
      );
      const personId = r.rows[0]!.id;
      for (const t of p.teams) {
        await c.query('insert into team_members (team_id, person_id, is_lead) values ($1, $2, $3)', [
          teamIds.get(t),
          personId,
          p.leads?.includes(t) ?? false,
        ]);
      }
      const slugs = p.communities === '*' ? [...communityIds.keys()] : p.communities;
      for (const s of slugs) {
        const communityId = communityIds.get(s);
        if (communityId === undefined) throw new Error(`seed: ${p.email} refers to unknown community ${s}`);
        await c.query('insert into person_communities (person_id, community_id) values ($1, $2)', [
          personId,
          communityId,
        ]);
      }
    }
    if (def.routing) await insertPolicy(c, orgId, def.routing, 'initial policy', null);
    if (def.cannedReplies) await seedCannedReplies(c, orgId, def.cannedReplies);
    if (def.governance) await seedGovernance(c, orgId, def.governance);
    if (def.expertise) await seedExpertise(c, orgId, def.expertise);
    if (def.crisisPlaybooks) await seedPlaybooks(c, orgId, def.crisisPlaybooks);
    if (def.coverage) await seedCoverage(c, orgId, def.coverage);
    if (def.publishing) await seedPublishing(c, orgId, def.publishing);
    return { orgId, created: true };
  });
}

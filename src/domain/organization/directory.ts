import type { Queryable } from '../../server/db/database.ts';

/**
 * The organization's structure (brands, communities, accounts, teams), held in memory because ingest
 * consults it for every message. Reloaded when an admin changes it (see `directory.changed` events).
 */
export interface Brand {
  id: number;
  slug: string;
  name: string;
  keywords: string[];
  fallbackCommunityId: number | null;
}

export interface Community {
  id: number;
  brandId: number;
  slug: string;
  name: string;
  language: string;
  timezone: string;
  locale: string;
  defaultTeamId: number | null;
  settings: Record<string, unknown>;
}

export interface ChannelAccount {
  id: number;
  communityId: number;
  network: string;
  handle: string;
  displayName: string;
  kind: string;
  paused: boolean;
  status: string;
}

export interface Team {
  id: number;
  slug: string;
  name: string;
}

export class Directory {
  readonly orgId: number;
  readonly orgSlug: string;
  readonly orgName: string;
  readonly settings: Record<string, unknown>;
  readonly brands: Brand[];
  readonly communities = new Map<number, Community>();
  readonly accounts = new Map<number, ChannelAccount>();
  readonly teams = new Map<number, Team>();
  private readonly accountByHandle = new Map<string, ChannelAccount>();
  private readonly communityByBrandLang = new Map<string, Community>();
  private readonly teamBySlug = new Map<string, Team>();
  /** Brand keywords, longest first, so "AirSocial Express" wins over "AirSocial". */
  private readonly keywordIndex: { keyword: string; brandId: number }[];

  constructor(
    org: { id: number; slug: string; name: string; settings: Record<string, unknown> },
    brands: Brand[],
    communities: Community[],
    accounts: ChannelAccount[],
    teams: Team[],
  ) {
    this.orgId = org.id;
    this.orgSlug = org.slug;
    this.orgName = org.name;
    this.settings = org.settings;
    this.brands = brands;
    for (const c of communities) {
      this.communities.set(c.id, c);
      this.communityByBrandLang.set(`${c.brandId}:${c.language}`, c);
    }
    for (const a of accounts) {
      this.accounts.set(a.id, a);
      this.accountByHandle.set(accountKey(a.network, a.handle), a);
    }
    for (const t of teams) {
      this.teams.set(t.id, t);
      this.teamBySlug.set(t.slug, t);
    }
    this.keywordIndex = brands
      .flatMap((b) => [b.name.toLowerCase(), ...b.keywords].map((keyword) => ({ keyword, brandId: b.id })))
      .sort((a, b) => b.keyword.length - a.keyword.length);
  }

  account(network: string, handle: string): ChannelAccount | undefined {
    return this.accountByHandle.get(accountKey(network, handle));
  }

  team(slug: string): Team | undefined {
    return this.teamBySlug.get(slug);
  }

  communityFor(brandId: number, language: string): Community | undefined {
    return this.communityByBrandLang.get(`${brandId}:${language}`);
  }

  /** The brand a text talks about, by its keywords; the organization's first brand when none is named. */
  brandMentioned(text: string): Brand {
    const lower = text.toLowerCase();
    const hit = this.keywordIndex.find((k) => lower.includes(k.keyword));
    return (hit && this.brands.find((b) => b.id === hit.brandId)) ?? this.brands[0]!;
  }

  /** The account a reply in this community goes out from, on the given network. */
  accountOf(communityId: number, network: string): ChannelAccount | undefined {
    for (const a of this.accounts.values()) {
      if (a.communityId === communityId && a.network === network && a.kind === 'account') return a;
    }
    return undefined;
  }
}

function accountKey(network: string, handle: string): string {
  return `${network}:${handle.toLowerCase().replace(/^@/, '')}`;
}

export async function loadDirectory(db: Queryable, orgId?: number): Promise<Directory> {
  const org = await db.query<{ id: number; slug: string; name: string; settings: Record<string, unknown> }>(
    orgId === undefined
      ? 'select id, slug, name, settings from organizations order by id limit 1'
      : 'select id, slug, name, settings from organizations where id = $1',
    orgId === undefined ? [] : [orgId],
  );
  const o = org.rows[0];
  if (!o) throw new Error('no organization in the database');
  const [brands, communities, accounts, teams] = await Promise.all([
    db.query<Brand>(
      `select id, slug, name, keywords, fallback_community_id as "fallbackCommunityId"
       from brands where org_id = $1 order by id`,
      [o.id],
    ),
    db.query<Community>(
      `select id, brand_id as "brandId", slug, name, language, timezone, locale,
              default_team_id as "defaultTeamId", settings
       from communities where org_id = $1 order by id`,
      [o.id],
    ),
    db.query<ChannelAccount>(
      `select id, community_id as "communityId", network, handle, display_name as "displayName", kind, paused, status
       from channel_accounts where org_id = $1 and status <> 'removed' order by id`,
      [o.id],
    ),
    db.query<Team>('select id, slug, name from teams where org_id = $1 order by id', [o.id]),
  ]);
  return new Directory(o, brands.rows, communities.rows, accounts.rows, teams.rows);
}

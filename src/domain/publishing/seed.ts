import type { Queryable } from '../../server/db/database.ts';

/** Campaigns and posts prepared in advance (the demo's calendar); times are days and hours from the seeding. */
export interface PublishingDefinition {
  campaigns: readonly {
    name: string;
    description: string;
    /** Community slugs. */
    communities: readonly string[];
    /** Days from the seeding. */
    startsInDays: number;
    endsInDays: number;
    owner: string;
  }[];
  posts: readonly {
    community: string;
    /** The handle of one of the community's brand accounts. */
    account: string;
    text: string;
    link?: string;
    /** Days from the seeding, and the hour (UTC) of that day. */
    inDays: number;
    hour: number;
    status: 'draft' | 'scheduled';
    campaign?: string;
    author: string;
  }[];
}

/** Seeds campaigns and posts while the organization has none. */
export async function seedPublishing(db: Queryable, orgId: number, def: PublishingDefinition, now = new Date()) {
  const any = await db.query('select 1 from campaigns where org_id = $1 limit 1', [orgId]);
  if (any.rowCount) return;
  const people = await db.query<{ id: number; email: string }>('select id, email from people where org_id = $1', [
    orgId,
  ]);
  const person = (email: string) => people.rows.find((p) => p.email === email)?.id ?? null;
  const communities = await db.query<{ id: number; slug: string }>(
    'select c.id, c.slug from communities c join brands b on b.id = c.brand_id where b.org_id = $1',
    [orgId],
  );
  const community = (slug: string) => communities.rows.find((c) => c.slug === slug)?.id;
  const day = (n: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + n));
  const campaignIds = new Map<string, number>();
  for (const c of def.campaigns) {
    const r = await db.query<{ id: number }>(
      `insert into campaigns (org_id, name, description, community_ids, starts_on, ends_on, owner_id, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $7) returning id`,
      [
        orgId,
        c.name,
        c.description,
        c.communities.map(community).filter((id) => id !== undefined),
        day(c.startsInDays).toISOString().slice(0, 10),
        day(c.endsInDays).toISOString().slice(0, 10),
        person(c.owner),
      ],
    );
    campaignIds.set(c.name, r.rows[0]!.id);
  }
  for (const p of def.posts) {
    const communityId = community(p.community);
    const author = person(p.author);
    if (communityId === undefined || author === null) continue;
    const account = await db.query<{ id: number; network: string }>(
      `select id, network from channel_accounts where community_id = $1 and handle = $2 and kind = 'account'`,
      [communityId, p.account],
    );
    if (!account.rows[0]) continue;
    const at = new Date(day(p.inDays).getTime() + p.hour * 3_600_000);
    await db.query(
      `insert into posts (org_id, community_id, account_id, network, text, link, scheduled_at, status, campaign_id, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        orgId,
        communityId,
        account.rows[0].id,
        account.rows[0].network,
        p.text,
        p.link ?? null,
        at,
        p.status,
        p.campaign ? (campaignIds.get(p.campaign) ?? null) : null,
        author,
      ],
    );
  }
}

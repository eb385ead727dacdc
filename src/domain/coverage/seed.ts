import type { Queryable } from '../../server/db/database.ts';
import type { AutoAckText, OffDutyCasePolicy } from './settings.ts';

/** Coverage of an organization described as data (the demo's): backups by email, settings by community slug. */
export interface CoverageDefinition {
  /** person email → backup emails, in rank order. */
  backups: Readonly<Record<string, readonly string[]>>;
  communities: Readonly<
    Record<
      string,
      {
        offDutyPolicy: OffDutyCasePolicy;
        /** Per language: the acknowledgement sent when nobody of the community is on duty. */
        autoAck?: Readonly<Record<string, AutoAckText>>;
        /** Emails of the people paged for urgent cases out of hours. */
        onCall?: readonly string[];
      }
    >
  >;
}

/**
 * Seeds backups and coverage settings once, while the organization has none. A backup becomes a member of
 * the communities of the person they back up (as when a leader saves backups).
 */
export async function seedCoverage(tx: Queryable, orgId: number, def: CoverageDefinition): Promise<void> {
  const any = await tx.query(
    `select 1 from coverage_settings where org_id = $1 union all select 1 from person_backups where org_id = $1 limit 1`,
    [orgId],
  );
  if (any.rows.length > 0) return;
  const people = await tx.query<{ id: number; email: string }>('select id, email from people where org_id = $1', [
    orgId,
  ]);
  const idOf = (email: string) => {
    const p = people.rows.find((r) => r.email === email);
    if (!p) throw new Error(`seed: coverage refers to unknown person ${email}`);
    return p.id;
  };
  for (const [email, backups] of Object.entries(def.backups)) {
    const personId = idOf(email);
    for (const [i, b] of backups.entries()) {
      const backupId = idOf(b);
      await tx.query('insert into person_backups (org_id, person_id, backup_id, rank) values ($1, $2, $3, $4)', [
        orgId,
        personId,
        backupId,
        i + 1,
      ]);
      await tx.query(
        `insert into person_communities (person_id, community_id)
         select $1, community_id from person_communities where person_id = $2 on conflict do nothing`,
        [backupId, personId],
      );
    }
  }
  const communities = await tx.query<{ id: number; slug: string }>(
    'select id, slug from communities where org_id = $1',
    [orgId],
  );
  for (const [slug, c] of Object.entries(def.communities)) {
    const community = communities.rows.find((r) => r.slug === slug);
    if (!community) throw new Error(`seed: coverage refers to unknown community ${slug}`);
    const onCall = (c.onCall ?? []).map(idOf);
    await tx.query(
      `insert into coverage_settings (community_id, org_id, off_duty_policy, auto_ack_enabled, auto_ack_texts,
         paging_enabled, on_call_ids)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        community.id,
        orgId,
        c.offDutyPolicy,
        c.autoAck !== undefined,
        JSON.stringify(c.autoAck ?? {}),
        onCall.length > 0,
        onCall,
      ],
    );
  }
}

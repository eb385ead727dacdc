import type pg from 'pg';
import { termsOf } from '../domain/feedback/similar.ts';
import { transaction } from '../server/db/database.ts';

/** Ideas the demo forwards, with the words (any language of the demo corpus) of the suggestions behind them. */
const DEMO_IDEAS: { title: string; description: string; topic: string; pattern: string }[] = [
  {
    title: 'Let families pick seats together for free',
    description: 'Families are split up at check-in; customers ask for free seat choice for children.',
    topic: 'checkin',
    pattern: 'famil',
  },
  {
    title: 'USB sockets on flights over 2 hours',
    description: 'Customers ask to charge their phones on longer flights.',
    topic: 'onboard',
    pattern: 'usb',
  },
  {
    title: 'Pay for extra bags with miles',
    description: 'Members would like to spend miles on baggage fees.',
    topic: 'loyalty',
    pattern: 'miles|meilen|miglia',
  },
];

/**
 * Gives the demo a backlog that is not empty: once the demo stream has brought some cases, the customers'
 * suggestions are forwarded as ideas (families' seats, USB sockets, miles) and the Wi-Fi complaints raised as one incident under
 * investigation, all by the demo's leader. Does nothing when the organization already has ideas or incidents.
 */
export async function ensureDemoFeedback(pool: pg.Pool): Promise<{ ideas: number; incidents: number }> {
  return transaction(pool, async (tx) => {
    const org = await tx.query<{ id: number; leader: number | null }>(
      `select o.id, (select p.id from people p where p.org_id = o.id and p.role = 'leader' order by p.id limit 1) as leader
       from organizations o order by o.id limit 1`,
    );
    const o = org.rows[0];
    if (!o) return { ideas: 0, incidents: 0 };
    await tx.query('select pg_advisory_xact_lock(7311020)');
    const existing = await tx.query(
      'select 1 from ideas where org_id = $1 union all select 1 from incidents where org_id = $1 limit 1',
      [o.id],
    );
    if ((existing.rowCount ?? 0) > 0) return { ideas: 0, incidents: 0 };
    const teams = await tx.query<{ id: number; slug: string }>(
      `select id, slug from teams where org_id = $1 and slug in ('innovation', 'quality')`,
      [o.id],
    );
    const team = (slug: string) => teams.rows.find((t) => t.slug === slug)?.id ?? null;
    const link = async (
      table: 'idea_cases' | 'incident_cases',
      fk: string,
      id: number,
      kind: string,
      title: string,
      cases: number[],
    ) => {
      await tx.query(
        `insert into ${table} (${fk}, case_id, org_id, linked_by) select $1, unnest($2::bigint[]), $3, $4 on conflict do nothing`,
        [id, cases, o.id, o.leader],
      );
      await tx.query(
        `insert into case_events (org_id, case_id, actor_person_id, kind, data) select $1, unnest($2::bigint[]), $3, $4, $5`,
        [o.id, cases, o.leader, kind, { [fk]: id, title }],
      );
    };

    let ideas = 0;
    for (const def of DEMO_IDEAS) {
      const cases = await tx.query<{ id: number }>(
        `select distinct c.id from cases c join messages m on m.case_id = c.id and m.direction = 'in'
         where c.org_id = $1 and c.merged_into is null and m.text ~* $2 order by c.id limit 50`,
        [o.id, def.pattern],
      );
      if (cases.rows.length === 0) continue;
      const status = ideas === 0 ? 'under_review' : 'new';
      const r = await tx.query<{ id: number }>(
        `insert into ideas (org_id, title, description, topic, status, status_note, owner_team_id, terms, created_by,
           status_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, case when $5 = 'new' then null else now() end) returning id`,
        [
          o.id,
          def.title,
          def.description,
          def.topic,
          status,
          status === 'under_review' ? 'Innovation is looking at it for next season.' : '',
          team('innovation'),
          termsOf(def.title, def.description),
          o.leader,
        ],
      );
      await link(
        'idea_cases',
        'idea_id',
        r.rows[0]!.id,
        'idea_linked',
        def.title,
        cases.rows.map((c) => c.id),
      );
      ideas++;
    }

    let incidents = 0;
    const wifi = await tx.query<{ id: number }>(
      `select distinct c.id from cases c join messages m on m.case_id = c.id and m.direction = 'in'
       where c.org_id = $1 and c.intent = 'complaint' and c.merged_into is null and m.text ~* 'wi-?fi|wlan'
       order by c.id limit 50`,
      [o.id],
    );
    if (wifi.rows.length > 0) {
      const title = 'Wi-Fi on board does not work';
      const description = 'Customers paid for Wi-Fi that never connected.';
      const r = await tx.query<{ id: number }>(
        `insert into incidents (org_id, title, description, topic, status, status_note, owner_team_id, terms, created_by,
           status_at)
         values ($1, $2, $3, 'onboard', 'investigating', $4, $5, $6, $7, now()) returning id`,
        [
          o.id,
          title,
          description,
          'Our Wi-Fi provider is investigating; refunds are granted on request.',
          team('quality'),
          termsOf(title, description, 'wifi paid never worked money back'),
          o.leader,
        ],
      );
      await link(
        'incident_cases',
        'incident_id',
        r.rows[0]!.id,
        'incident_linked',
        title,
        wifi.rows.map((c) => c.id),
      );
      incidents++;
    }
    return { ideas, incidents };
  });
}

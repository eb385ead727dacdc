import type pg from 'pg';
import { createDemoStream } from '../src/demo/corpus.ts';
import { AIRSOCIAL, DEMO_PASSWORD } from '../src/demo/organization.ts';
import { seedOrganization } from '../src/domain/organization/seed.ts';
import { progress } from './support.ts';

/**
 * A large realistic dataset generated inside PostgreSQL (INSERT … SELECT over generate_series, texts drawn
 * from the demo corpus), for the inbox and reports benchmarks: a million messages in well under a minute.
 * Shape: ~3 messages per case (two from the customer, one answer), ~2 cases per customer, cases spread over
 * the last 120 days, 80 % of them resolved or closed, the rest in every active status.
 */
export interface Dataset {
  orgId: number;
  messages: number;
  cases: number;
  contacts: number;
  seconds: number;
}

const SAMPLE_TEXTS = 4000;

export async function generateDataset(pool: pg.Pool, messages: number): Promise<Dataset> {
  const started = performance.now();
  const { orgId } = await seedOrganization(pool, AIRSOCIAL, DEMO_PASSWORD);
  const cases = Math.max(1, Math.floor(messages / 3));
  const contacts = Math.max(1, Math.floor(cases / 2));
  const stream = createDemoStream({ seed: 11, start: new Date('2026-01-05T06:00:00Z') });
  const texts = Array.from({ length: SAMPLE_TEXTS }, () => stream.next().text);
  const communities = (
    await pool.query<{ id: number }>('select id from communities where org_id = $1 order by id', [orgId])
  ).rows.map((r) => r.id);
  const teams = (
    await pool.query<{ id: number }>('select id from teams where org_id = $1 order by id', [orgId])
  ).rows.map((r) => r.id);
  // For each community, the people who work in it (assignees are drawn from them).
  const staff = await pool.query<{ community_id: number; ids: number[] }>(
    `select pc.community_id, array_agg(p.id order by p.id) as ids
     from person_communities pc join people p on p.id = pc.person_id
     where p.role in ('manager', 'backup') group by pc.community_id`,
  );
  const staffOf = new Map(staff.rows.map((r) => [r.community_id, r.ids]));
  const assigneeMatrix = communities.map((c) => {
    const ids = staffOf.get(c) ?? [];
    return [0, 1, 2, 3].map((i) => ids[i % Math.max(1, ids.length)] ?? null);
  });

  progress(`dataset: ${contacts} contacts, ${cases} cases, ${messages} messages`);
  await pool.query(
    `insert into contacts (id, org_id, display_name, created_at) overriding system value
     select g, $1, 'Customer ' || g, now() - make_interval(days => 120) from generate_series(1, $2) g`,
    [orgId, contacts],
  );
  await pool.query(
    `insert into contact_identities (org_id, contact_id, channel, handle, name)
     select $1, g, 'sandbox', '@customer' || g, 'Customer ' || g from generate_series(1, $2) g`,
    [orgId, contacts],
  );
  await pool.query(`select setval(pg_get_serial_sequence('contacts', 'id'), $1)`, [contacts]);
  progress('dataset: cases');
  await pool.query(
    `insert into cases (id, org_id, community_id, contact_id, status, priority, team_id, assignee_id, channel, language,
       subject, sentiment, intent, topics, urgency, message_count, created_at, updated_at, last_inbound_at,
       first_response_due_at, first_responded_at, resolution_due_at, resolved_at, assigned_at)
     overriding system value
     select g, $1, ($2::int[])[1 + g % array_length($2::int[], 1)], 1 + (g::bigint * 7919) % $3,
       s.status, (array['low', 'normal', 'normal', 'high', 'urgent'])[1 + g % 5],
       ($4::int[])[1 + (g / 7) % array_length($4::int[], 1)],
       case when (g / 10) % 5 = 0 then null else ($5::int[])[1 + g % array_length($2::int[], 1)][1 + (g / 3) % 4] end,
       'sandbox', (array['fr', 'de', 'it', 'en'])[1 + g % 4],
       left(($6::text[])[1 + (g * 13) % $7], 140),
       (array['negative', 'negative', 'neutral', 'positive'])[1 + g % 4],
       (array['question', 'complaint', 'request', 'suggestion', 'praise', 'other'])[1 + g % 6],
       array[(array['delay', 'cancellation', 'baggage', 'booking', 'refund', 'checkin', 'onboard', 'loyalty'])[1 + g % 8]],
       (array['low', 'normal', 'normal', 'high', 'critical'])[1 + g % 5],
       3, t.created, t.created + interval '2 hours', t.created,
       t.created + interval '4 hours', case when s.status in ('new', 'open') and g % 3 = 0 then null else t.created + interval '1 hour' end,
       t.created + interval '3 days',
       case when s.status in ('resolved', 'closed') then t.created + interval '2 hours' end,
       t.created
     from generate_series(1, $8) g
     cross join lateral (select now() - make_interval(secs => ((g::bigint * 104729) % (120 * 86400))::int) as created) t
     cross join lateral (select case when g % 10 < 8 then (array['resolved', 'closed'])[1 + g % 2]
       else (array['new', 'open', 'waiting_customer', 'waiting_internal'])[1 + (g / 10) % 4] end as status) s`,
    [orgId, communities, contacts, teams, assigneeMatrix, texts, SAMPLE_TEXTS, cases],
  );
  await pool.query(`select setval(pg_get_serial_sequence('cases', 'id'), $1)`, [cases]);
  await pool.query(
    `insert into conversations (id, org_id, channel, root_external_id, contact_id, case_id) overriding system value
     select c.id, c.org_id, 'sandbox', 'bench-root-' || c.id, c.contact_id, c.id from cases c where c.org_id = $1`,
    [orgId],
  );
  await pool.query(`select setval(pg_get_serial_sequence('conversations', 'id'), $1)`, [cases]);
  progress('dataset: messages');
  const chunk = 200_000;
  for (let from = 1; from <= messages; from += chunk) {
    const to = Math.min(messages, from + chunk - 1);
    await pool.query(
      `insert into messages (org_id, channel, external_id, conversation_id, case_id, contact_id, direction, kind,
         author_handle, text, created_at, received_at, lang, sentiment, sentiment_score, intent, topics, urgency, triage)
       select $1, 'sandbox', 'bench-' || g, k.case_id, k.case_id, c.contact_id,
         case when g % 3 = 2 then 'out' else 'in' end, 'post',
         case when g % 3 = 2 then '@AirSocial' else '@customer' || c.contact_id end,
         ($2::text[])[1 + (g * 31) % $3], c.created_at + make_interval(mins => ((g % 3) * 40)::int), c.created_at + make_interval(mins => ((g % 3) * 40)::int),
         c.language, c.sentiment, 0, c.intent, c.topics, c.urgency, '{"model":"bench"}'::jsonb
       from generate_series($4::bigint, $5::bigint) g
       cross join lateral (select 1 + ((g - 1) / 3) % $6 as case_id) k
       join cases c on c.id = k.case_id`,
      [orgId, texts, SAMPLE_TEXTS, from, to, cases],
    );
    progress(`dataset: ${to} messages`);
  }
  await pool.query('analyze');
  const seconds = (performance.now() - started) / 1000;
  return { orgId, messages, cases, contacts, seconds };
}

import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../demo/organization.ts';
import { seedOrganization } from '../organization/seed.ts';
import type { InboundMessage } from './model.ts';
import { parseInbound } from './model.ts';
import { type IngestDeps, ingest } from './service.ts';
import { ingestDepsFor } from './setup.ts';

const msg = (over: Partial<InboundMessage> & { external_id: string }): InboundMessage =>
  parseInbound({ channel: 'sandbox', author: { handle: '@client' }, text: 'Bonjour, mon vol est en retard', ...over });

describeEachDatabase('ingest', (db) => {
  let deps: IngestDeps & { directoryNow: import('../organization/directory.ts').Directory };

  beforeAll(async () => {
    const { orgId } = await seedOrganization(db().pool, AIRSOCIAL, DEMO_PASSWORD);
    deps = await ingestDepsFor(db().pool, orgId);
  });

  const communityOf = async (caseId: number) => {
    const r = await db().pool.query<{ slug: string }>(
      'select cm.slug from cases c join communities cm on cm.id = c.community_id where c.id = $1',
      [caseId],
    );
    return r.rows[0]?.slug;
  };

  it('stores a message once, however often it is sent', async () => {
    const m = msg({ external_id: 'idem-1', account: '@AirSocial' });
    const [a] = await ingest(deps, [m]);
    const [b] = await ingest(deps, [m]);
    expect(a!.created).toBe(true);
    expect(b).toEqual({ message_id: a!.message_id, case_id: a!.case_id, created: false });
    const n = await db().pool.query('select count(*)::int as n from messages where external_id = $1', ['idem-1']);
    expect(n.rows[0].n).toBe(1);
  });

  it('keeps one message and one case when the same message arrives concurrently', async () => {
    const m = msg({ external_id: 'race-1', author: { handle: '@racer' } });
    const results = await Promise.all(Array.from({ length: 12 }, () => ingest(deps, [m])));
    const ids = new Set(results.map(([r]) => `${r!.message_id}/${r!.case_id}`));
    expect(ids.size).toBe(1);
    expect(results.filter(([r]) => r!.created)).toHaveLength(1);
    const counts = await db().pool.query(
      `select (select count(*)::int from messages where external_id = 'race-1') as messages,
              (select count(*)::int from cases c join contact_identities ci on ci.contact_id = c.contact_id
                where ci.handle = '@racer') as cases,
              (select count(*)::int from contact_identities where handle = '@racer') as identities`,
    );
    expect(counts.rows[0]).toEqual({ messages: 1, cases: 1, identities: 1 });
  });

  it('shares one new contact between concurrent batches', async () => {
    // Batches of different messages by the same new author, stored at the same time: one creates the contact,
    // the others use it; every message is stored once and no contact is left without its identity.
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 5 }, (_, i) =>
        msg({ external_id: `share-${b}-${i}`, author: { handle: '@sharer', name: 'Sharer' } }),
      ),
    );
    const results = (await Promise.all(batches.map((batch) => ingest(deps, batch)))).flat();
    expect(results.filter((r) => r.created)).toHaveLength(30);
    const counts = await db().pool.query(
      `select (select count(*)::int from contact_identities where handle = '@sharer') as identities,
              (select count(distinct contact_id)::int from messages where external_id like 'share-%') as contacts,
              (select count(*)::int from messages where external_id like 'share-%') as messages,
              (select count(*)::int from contacts ct
                where not exists (select 1 from contact_identities ci where ci.contact_id = ct.id)) as orphans`,
    );
    expect(counts.rows[0]).toEqual({ identities: 1, contacts: 1, messages: 30, orphans: 0 });
  });

  it('deduplicates a key repeated inside one batch', async () => {
    const m = msg({ external_id: 'dup-in-batch' });
    const [a, b] = await ingest(deps, [m, m]);
    expect(a!.created).toBe(true);
    expect(b!.message_id).toBe(a!.message_id);
    expect(b!.created).toBe(false);
  });

  it('assigns the community from the account the message reached', async () => {
    const [r] = await ingest(deps, [
      msg({ external_id: 'acc-1', account: '@AirSocialExpress_it', text: 'Hello, my flight is late' }),
    ]);
    expect(await communityOf(r!.case_id)).toBe('express-it');
  });

  it('assigns by language and named brand without an account, else the brand fallback desk', async () => {
    const [de, express, es] = await ingest(deps, [
      msg({
        external_id: 'lang-de',
        author: { handle: '@hans' },
        text: 'Mein Koffer ist in Zürich verloren gegangen, AirSocial hilft nicht',
      }),
      msg({
        external_id: 'lang-fr-express',
        author: { handle: '@claire' },
        text: 'AirSocial Express a encore annulé mon vol pour Nice, je suis furieuse',
      }),
      msg({
        external_id: 'lang-es',
        author: { handle: '@pedro' },
        text: 'Mi vuelo con AirSocial fue cancelado y nadie me ayuda',
      }),
    ]);
    expect(await communityOf(de!.case_id)).toBe('airsocial-de');
    expect(await communityOf(express!.case_id)).toBe('express-fr');
    expect(await communityOf(es!.case_id)).toBe('airsocial-en');
  });

  it('threads a reply into its parent case, also when both arrive in one batch', async () => {
    const [root, reply] = await ingest(deps, [
      msg({ external_id: 'th-1', author: { handle: '@t1' }, account: '@AirSocial' }),
      msg({ external_id: 'th-2', author: { handle: '@t1' }, in_reply_to: 'th-1', text: 'et pour mon bagage ?' }),
    ]);
    expect(reply!.case_id).toBe(root!.case_id);
    const [later] = await ingest(deps, [
      msg({ external_id: 'th-3', author: { handle: '@t1' }, in_reply_to: 'th-2', text: 'toujours rien' }),
    ]);
    expect(later!.case_id).toBe(root!.case_id);
    const conv = await db().pool.query(
      'select count(distinct conversation_id)::int as n from messages where case_id = $1',
      [root!.case_id],
    );
    expect(conv.rows[0].n).toBe(1);
  });

  it('joins a reply that arrived before its parent once the parent comes', async () => {
    const [child] = await ingest(deps, [
      msg({ external_id: 'ooo-2', author: { handle: '@late' }, in_reply_to: 'ooo-1', text: 'et alors ?' }),
    ]);
    const [parent] = await ingest(deps, [msg({ external_id: 'ooo-1', author: { handle: '@late' } })]);
    expect(parent!.case_id).toBe(child!.case_id);
  });

  it('reopens a resolved case when the customer answers in its thread', async () => {
    const [first] = await ingest(deps, [
      msg({ external_id: 'ro-1', author: { handle: '@reopen' }, account: '@AirSocial' }),
    ]);
    await db().pool.query(`update cases set status = 'resolved', resolved_at = now() where id = $1`, [first!.case_id]);
    const [again] = await ingest(deps, [
      msg({
        external_id: 'ro-2',
        author: { handle: '@reopen' },
        in_reply_to: 'ro-1',
        text: 'merci, et pour mon bagage ?',
      }),
    ]);
    expect(again!.case_id).toBe(first!.case_id);
    const c = await db().pool.query('select status, reopened_count, resolved_at from cases where id = $1', [
      first!.case_id,
    ]);
    expect(c.rows[0]).toMatchObject({ status: 'open', reopened_count: 1, resolved_at: null });
    const ev = await db().pool.query(`select kind from case_events where case_id = $1 order by id`, [first!.case_id]);
    expect(ev.rows.map((r) => r.kind)).toEqual(['created', 'reopened']);
  });

  it('attaches a new conversation of a customer to their open case in the same community', async () => {
    const [a] = await ingest(deps, [msg({ external_id: 'oc-1', author: { handle: '@multi' }, account: '@AirSocial' })]);
    const [b] = await ingest(deps, [
      msg({
        external_id: 'oc-2',
        author: { handle: '@multi' },
        account: '@AirSocial',
        text: 'Autre question : mes miles ?',
      }),
    ]);
    expect(b!.case_id).toBe(a!.case_id);
    const [other] = await ingest(deps, [
      msg({ external_id: 'oc-3', author: { handle: '@multi' }, account: '@AirSocial_de', text: 'Wo ist mein Koffer?' }),
    ]);
    expect(other!.case_id).not.toBe(a!.case_id);
  });

  it('stores the triage of each message and the routing explanation of the case', async () => {
    const [r] = await ingest(deps, [
      msg({ external_id: 'tri-1', account: '@AirSocial_de', text: 'Mein Flug nach Berlin wurde gestrichen, was nun?' }),
    ]);
    const m = await db().pool.query('select lang, sentiment, intent, urgency, triage from messages where id = $1', [
      r!.message_id,
    ]);
    expect(m.rows[0].lang).toBe('de');
    expect(['negative', 'neutral', 'positive']).toContain(m.rows[0].sentiment);
    expect(m.rows[0].triage.model).toEqual(expect.any(String));
    const c = await db().pool.query('select team_id, routing, first_response_due_at from cases where id = $1', [
      r!.case_id,
    ]);
    expect(c.rows[0].team_id).not.toBeNull();
    expect(c.rows[0].routing.community).toContain('@AirSocial_de');
    expect(c.rows[0].first_response_due_at).toBeInstanceOf(Date);
  });

  it('keeps hostile text intact and storable (NUL, lone surrogates, markup)', async () => {
    const text = `<script>alert(1)</script> a\u0000b \uD800 end`;
    const [r] = await ingest(deps, [msg({ external_id: 'hostile-1', text })]);
    const m = await db().pool.query('select text from messages where id = $1', [r!.message_id]);
    expect(m.rows[0].text).toBe('<script>alert(1)</script> a\uFFFDb \uFFFD end');
  });

  it('stores a message whose subject would cut an emoji in two, and lone surrogates in ids and metadata', async () => {
    // 138 letters then an emoji: the 140-unit subject limit falls between its two UTF-16 halves.
    const text = `${'a'.repeat(138)}✈️😡 vol annulé, aucune information depuis deux heures`;
    const [r] = await ingest(deps, [
      msg({
        external_id: 'cut-\uD83D',
        author: { handle: '@emoji-cut' },
        text,
        in_reply_to: 'parent-\uDE00',
        meta: { title: `${'b'.repeat(138)}😡😡 suite`, note: ['x\uD800'] } as InboundMessage['meta'],
      }),
    ]);
    const c = await db().pool.query('select subject from cases where id = $1', [r!.case_id]);
    expect(c.rows[0].subject.isWellFormed()).toBe(true);
    expect(c.rows[0].subject.endsWith('…')).toBe(true);
    const m = await db().pool.query('select external_id, in_reply_to, meta from messages where id = $1', [
      r!.message_id,
    ]);
    expect(m.rows[0].external_id).toBe('cut-\uFFFD');
    expect(m.rows[0].in_reply_to).toBe('parent-\uFFFD');
    expect(m.rows[0].meta.note).toEqual(['x\uFFFD']);
    // The same delivery again is recognised.
    const [again] = await ingest(deps, [msg({ external_id: 'cut-\uD83D', author: { handle: '@emoji-cut' }, text })]);
    expect(again).toMatchObject({ message_id: r!.message_id, created: false });
  });

  it('starts the SLA clocks of a new case and restarts them when the customer writes again', async () => {
    const [r] = await ingest(deps, [msg({ external_id: 'sla-1', author: { handle: '@sla' }, account: '@AirSocial' })]);
    const c0 = await db().pool.query(
      'select first_response_due_at, resolution_due_at, next_response_due_at from cases where id = $1',
      [r!.case_id],
    );
    expect(c0.rows[0].first_response_due_at).toBeInstanceOf(Date);
    expect(c0.rows[0].resolution_due_at.getTime()).toBeGreaterThan(c0.rows[0].first_response_due_at.getTime());
    expect(c0.rows[0].next_response_due_at).toBeNull();
    // The brand answered and now waits for the customer: the resolution clock is paused.
    await db().pool.query(
      `update cases set status = 'waiting_customer', first_responded_at = now(), sla_paused_at = now() - interval '1 hour'
       where id = $1`,
      [r!.case_id],
    );
    await ingest(deps, [
      msg({ external_id: 'sla-2', author: { handle: '@sla' }, in_reply_to: 'sla-1', text: 'Et alors ?' }),
    ]);
    const c1 = await db().pool.query(
      'select status, sla_paused_at, resolution_due_at, next_response_due_at from cases where id = $1',
      [r!.case_id],
    );
    expect(c1.rows[0]).toMatchObject({ status: 'open', sla_paused_at: null });
    expect(c1.rows[0].next_response_due_at).toBeInstanceOf(Date);
    // Resumed with the time it had left: later than it was, by about the hour it spent paused.
    const shift = c1.rows[0].resolution_due_at.getTime() - c0.rows[0].resolution_due_at.getTime();
    expect(shift).toBeGreaterThan(55 * 60_000);
  });
});

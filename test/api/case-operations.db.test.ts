import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('bulk actions, merge, split and move', (db) => {
  let s: TestServer;
  let lea: string;
  let marie: string;
  let community: Record<string, { id: number; accounts: { id: number; handle: string }[] }>;
  let people: Record<string, number>;
  let n = 0;

  const ingest = async (body: Record<string, unknown>) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', external_id: `op-${++n}`, ...body },
    });
    expect(r.status).toBe(202);
    return r.body as { message_id: number; case_id: number };
  };
  const frCase = async (handle: string, text = 'Mon vol est en retard') =>
    (await ingest({ account: '@AirSocial', author: { handle }, text })).case_id;
  const getCase = async (id: number, cookie = marie) =>
    (await s.request('GET', `/api/v1/cases/${id}`, { cookie })).body;
  const audits = async (caseId: number) =>
    (
      await db().pool.query(
        `select action from audit_events where subject_type = 'case' and subject_id = $1 order by id`,
        [String(caseId)],
      )
    ).rows.map((r) => r.action);

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    marie = await s.login('marie@airsocial.example');
    const cs = await s.request('GET', '/api/v1/communities', { cookie: marie });
    community = Object.fromEntries(cs.body.map((c: any) => [c.slug, c]));
    const ps = await db().pool.query('select id, email from people');
    people = Object.fromEntries(ps.rows.map((p) => [p.email.split('@')[0], p.id]));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('applies one action to many cases, each checked against the access rules, in one transaction', async () => {
    const a = await frCase('@bulk-a');
    const b = await frCase('@bulk-b');
    const de = (await ingest({ account: '@AirSocial_de', author: { handle: '@bulk-de' }, text: 'Verspätung' })).case_id;
    const r = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: lea,
      body: { ids: [a, b, de, 987654], action: 'assign', value: people.lea },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ action: 'assign', updated: 2 });
    expect(r.body.results).toEqual([
      { id: a, outcome: 'updated' },
      { id: b, outcome: 'updated' },
      { id: de, outcome: 'not_found' },
      { id: 987654, outcome: 'not_found' },
    ]);
    expect((await getCase(a)).assignee.id).toBe(people.lea);
    expect(await audits(a)).toContain('case.updated');

    // Jonas works only in the German communities: assigning him a French case is refused for that case alone.
    const again = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: marie,
      body: { ids: [a, de], action: 'assign', value: people.jonas },
    });
    expect(again.body.results).toEqual([
      { id: a, outcome: 'invalid', error: 'this person cannot work cases of this community' },
      { id: de, outcome: 'updated' },
    ]);
    expect((await getCase(a)).assignee.id).toBe(people.lea);

    const tag = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: lea,
      body: { ids: [a, b], action: 'tag', value: 'volcan' },
    });
    expect(tag.body.updated).toBe(2);
    const retag = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: lea,
      body: { ids: [a], action: 'tag', value: 'volcan' },
    });
    expect(retag.body.results).toEqual([{ id: a, outcome: 'unchanged' }]);
    await s.request('POST', '/api/v1/cases/bulk', {
      cookie: lea,
      body: { ids: [b], action: 'untag', value: 'volcan' },
    });
    expect((await getCase(a)).tags).toEqual(['volcan']);
    expect((await getCase(b)).tags).toEqual([]);

    const resolve = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: lea,
      body: { ids: [a, b], action: 'status', value: 'resolved' },
    });
    expect(resolve.body.updated).toBe(2);
    expect((await getCase(b)).status).toBe('resolved');
    const events = await db().pool.query(`select kind from case_events where case_id = $1`, [b]);
    expect(events.rows.filter((e) => e.kind === 'updated')).toHaveLength(4);
  });

  it('reports forbidden for readers who cannot work, and validates the body', async () => {
    const a = await frCase('@bulk-c');
    const paul = await s.login('paul@airsocial.example');
    const r = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: paul,
      body: { ids: [a], action: 'priority', value: 'urgent' },
    });
    expect(r.body.results).toEqual([{ id: a, outcome: 'forbidden', error: expect.any(String) }]);
    const tooMany = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: lea,
      body: { ids: Array.from({ length: 501 }, (_, i) => i + 1), action: 'priority', value: 'high' },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.field).toBe('ids');
    const badValue = await s.request('POST', '/api/v1/cases/bulk', {
      cookie: lea,
      body: { ids: [a], action: 'priority', value: 'asap' },
    });
    expect(badValue.status).toBe(400);
    expect(badValue.body.field).toBe('value');
  });

  it('merges a case into another of the same community and guards against loops and closed targets', async () => {
    const src = await frCase('@merge-a', 'Premier message sur mon bagage');
    const srcExternal = `op-${n}`;
    const dst = await frCase('@merge-b', 'Deuxième message sur le même bagage');
    await s.request('PATCH', `/api/v1/cases/${src}`, { cookie: lea, body: { priority: 'urgent', tags: ['bagage'] } });
    const self = await s.request('POST', `/api/v1/cases/${src}/merge`, { cookie: lea, body: { into: src } });
    expect(self.status).toBe(400);
    const r = await s.request('POST', `/api/v1/cases/${src}/merge`, { cookie: lea, body: { into: dst } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ case_id: dst, merged_case_id: src, moved_messages: 1 });
    const target = await getCase(dst, lea);
    expect(target.messages.map((m: { text: string }) => m.text)).toEqual([
      'Premier message sur mon bagage',
      'Deuxième message sur le même bagage',
    ]);
    expect(target).toMatchObject({ priority: 'urgent', tags: ['bagage'], message_count: 2 });
    expect(target.events.map((e: { kind: string }) => e.kind)).toContain('merged_from');
    const source = await getCase(src, lea);
    expect(source).toMatchObject({ status: 'closed', merged_into: dst, messages: [] });
    expect(source.events.map((e: { kind: string }) => e.kind)).toContain('merged_into');
    expect(await audits(src)).toContain('case.merged');
    expect(await audits(dst)).toContain('case.merge_received');

    // No loop: a merged case is neither merged again nor a target.
    expect((await s.request('POST', `/api/v1/cases/${src}/merge`, { cookie: lea, body: { into: dst } })).status).toBe(
      409,
    );
    const loop = await s.request('POST', `/api/v1/cases/${dst}/merge`, { cookie: lea, body: { into: src } });
    expect(loop.status).toBe(409);
    expect(loop.body.error).toBe('target_merged');

    const other = await frCase('@merge-c');
    await s.request('PATCH', `/api/v1/cases/${other}`, { cookie: lea, body: { status: 'closed' } });
    const closed = await s.request('POST', `/api/v1/cases/${dst}/merge`, { cookie: lea, body: { into: other } });
    expect(closed.body.error).toBe('target_closed');

    // The customer answering in the merged thread reaches the target case.
    const follow = await ingest({ author: { handle: '@merge-a' }, text: 'Des nouvelles ?', in_reply_to: srcExternal });
    expect(follow.case_id).toBe(dst);
  });

  it('reopens a resolved target when the merged case still needed an answer', async () => {
    const src = await frCase('@reopen-a', 'Toujours sans réponse');
    const dst = await frCase('@reopen-b', 'Déjà traité');
    await s.request('PATCH', `/api/v1/cases/${dst}`, { cookie: lea, body: { status: 'resolved' } });
    expect((await s.request('POST', `/api/v1/cases/${src}/merge`, { cookie: lea, body: { into: dst } })).status).toBe(
      200,
    );
    const target = await getCase(dst, lea);
    expect(target).toMatchObject({ status: 'open', resolved_at: null, message_count: 2 });
  });

  it('refuses merges across communities and into cases the person cannot see', async () => {
    const fr = await frCase('@merge-fr');
    const de = (await ingest({ account: '@AirSocial_de', author: { handle: '@merge-de' }, text: 'Koffer weg' }))
      .case_id;
    const across = await s.request('POST', `/api/v1/cases/${fr}/merge`, { cookie: marie, body: { into: de } });
    expect(across.status).toBe(409);
    expect(across.body.error).toBe('different_community');
    const hidden = await s.request('POST', `/api/v1/cases/${fr}/merge`, { cookie: lea, body: { into: de } });
    expect(hidden.status).toBe(404);
  });

  it('splits messages into a new case of the same customer, copying the routing', async () => {
    const first = await ingest({ account: '@AirSocial', author: { handle: '@split' }, text: 'Vol annulé hier soir' });
    const reply = await ingest({ author: { handle: '@split' }, text: 'Et le remboursement ?', in_reply_to: `op-${n}` });
    const other = await ingest({
      account: '@AirSocial',
      author: { handle: '@split' },
      text: 'Autre sujet : mon bagage',
    });
    const caseId = first.case_id;
    expect(reply.case_id).toBe(caseId);
    expect(other.case_id).toBe(caseId);
    await s.request('PATCH', `/api/v1/cases/${caseId}`, {
      cookie: lea,
      body: { priority: 'high', assignee_id: people.lea },
    });
    const before = await getCase(caseId, lea);

    const all = await s.request('POST', `/api/v1/cases/${caseId}/split`, {
      cookie: lea,
      body: { message_ids: before.messages.map((m: { id: number }) => m.id) },
    });
    expect(all.status).toBe(400);
    const stranger = await s.request('POST', `/api/v1/cases/${caseId}/split`, {
      cookie: lea,
      body: { message_ids: [1] },
    });
    expect(stranger.status).toBe(400);

    const r = await s.request('POST', `/api/v1/cases/${caseId}/split`, {
      cookie: lea,
      body: { message_ids: [other.message_id] },
    });
    expect(r.status).toBe(201);
    const created = await getCase(r.body.case_id, lea);
    expect(created).toMatchObject({
      status: 'open',
      priority: 'high',
      team: before.team,
      assignee: { id: people.lea },
      contact: { id: before.contact.id },
      community: { id: before.community.id },
      subject: 'Autre sujet : mon bagage',
      message_count: 1,
    });
    expect(created.routing.split_from).toBe(caseId);
    expect(created.messages.map((m: { id: number }) => m.id)).toEqual([other.message_id]);
    const left = await getCase(caseId, lea);
    expect(left.messages.map((m: { id: number }) => m.id)).toEqual([first.message_id, reply.message_id]);
    expect(left.message_count).toBe(2);
    // The whole conversation of the split message moved; the other one stayed.
    const convs = await db().pool.query('select case_id from conversations where id = $1', [
      created.messages[0].conversation_id,
    ]);
    expect(convs.rows[0].case_id).toBe(r.body.case_id);

    // A message split out of a conversation that stays: the conversation remains with the original case.
    const part = await s.request('POST', `/api/v1/cases/${caseId}/split`, {
      cookie: lea,
      body: { message_ids: [reply.message_id] },
    });
    expect(part.status).toBe(201);
    const conv = await db().pool.query('select case_id from conversations where id = $1', [
      left.messages[0].conversation_id,
    ]);
    expect(conv.rows[0].case_id).toBe(caseId);
    expect(await audits(caseId)).toContain('case.split');
  });

  it('moves a case to another community: its account, its default team, the assignee only if they work there', async () => {
    const caseId = await frCase('@move', 'Ich schreibe auf Deutsch an den falschen Account');
    await s.request('PATCH', `/api/v1/cases/${caseId}`, { cookie: lea, body: { assignee_id: people.lea } });
    const de = community['airsocial-de']!;
    const refused = await s.request('POST', `/api/v1/cases/${caseId}/move`, {
      cookie: lea,
      body: { community_id: de.id },
    });
    expect(refused.status).toBe(403);
    const r = await s.request('POST', `/api/v1/cases/${caseId}/move`, { cookie: marie, body: { community_id: de.id } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      case_id: caseId,
      community_id: de.id,
      account_id: de.accounts[0]!.id,
      assignee_id: null,
    });
    const moved = await getCase(caseId);
    expect(moved.community.id).toBe(de.id);
    expect(moved.account.handle).toBe('@AirSocial_de');
    expect(moved.messages).toHaveLength(1);
    expect(moved.events.map((e: { kind: string }) => e.kind)).toContain('moved');
    expect((await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: lea })).status).toBe(404);
    expect(await audits(caseId)).toContain('case.moved');

    // A leader assigned keeps the case: leaders work everywhere.
    await s.request('PATCH', `/api/v1/cases/${caseId}`, { cookie: marie, body: { assignee_id: people.marie } });
    const back = await s.request('POST', `/api/v1/cases/${caseId}/move`, {
      cookie: marie,
      body: { community_id: community['airsocial-fr']!.id },
    });
    expect(back.body.assignee_id).toBe(people.marie);
    const same = await s.request('POST', `/api/v1/cases/${caseId}/move`, {
      cookie: marie,
      body: { community_id: community['airsocial-fr']!.id },
    });
    expect(same.status).toBe(400);
  });
});

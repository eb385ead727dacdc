import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueDuePosts } from '../../src/domain/publishing/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const HOUR = 3_600_000;

describeEachDatabase('publishing: posts, calendar, approvals, pause and crisis', (db) => {
  let s: TestServer;
  let lea: string;
  let marie: string;
  let anna: string;
  let paul: string;
  let fr: number;
  let de: number;
  let frAccount: number;
  let deAccount: number;
  let seq = 0;

  const sandbox = async (text: string) =>
    (await db().pool.query('select account_handle, external_id from sandbox_posts where text = $1', [text])).rows;
  const waitFor = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    let v = await fn();
    for (let i = 0; i < 200 && !ok(v); i++) {
      await new Promise((r) => setTimeout(r, 50));
      v = await fn();
    }
    return v;
  };
  const post = async (id: number) => (await s.request('GET', `/api/v1/publishing/posts/${id}`, { cookie: lea })).body;
  /** A submitted post of the French community, due `inMs` from now; returns its id, text and due time. */
  const scheduled = async (inMs: number, text?: string) => {
    seq++;
    const body = text ?? `Découvrez nos nouvelles destinations d’été, numéro ${seq} de la série`;
    const at = new Date(Date.now() + inMs);
    const c = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: lea,
      body: { community_id: fr, account_id: frAccount, text: body, scheduled_at: at.toISOString() },
    });
    expect(c.status).toBe(201);
    expect(c.body.status).toBe('draft');
    const sub = await s.request('POST', `/api/v1/publishing/posts/${c.body.id}/submit`, { cookie: lea, body: {} });
    expect(sub.status).toBe(200);
    return { id: c.body.id as number, text: body, at, status: sub.body.status as string };
  };

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    marie = await s.login('marie@airsocial.example');
    anna = await s.login('anna@airsocial.example');
    paul = await s.login('paul@airsocial.example');
    const accounts = await db().pool.query<{ id: number; handle: string; community_id: number }>(
      `select id, handle, community_id from channel_accounts where handle in ('@AirSocial', '@AirSocial_de') and kind = 'account'`,
    );
    const a = (h: string) => accounts.rows.find((r) => r.handle === h)!;
    fr = a('@AirSocial').community_id;
    frAccount = a('@AirSocial').id;
    de = a('@AirSocial_de').community_id;
    deAccount = a('@AirSocial_de').id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('seeds the demo calendar: campaigns and posts scheduled over the next days', async () => {
    const campaigns = await s.request('GET', '/api/v1/publishing/campaigns', { cookie: lea });
    expect(campaigns.body.map((c: { name: string }) => c.name)).toContain('Summer sale campaign');
    const from = new Date(Date.now() - 24 * HOUR).toISOString();
    const to = new Date(Date.now() + 15 * 24 * HOUR).toISOString();
    const cal = await s.request(
      'GET',
      `/api/v1/publishing/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&community=${fr}`,
      { cookie: lea },
    );
    expect(cal.status).toBe(200);
    const statuses = cal.body.posts.map((p: { status: string }) => p.status);
    expect(statuses).toContain('scheduled');
    expect(statuses).toContain('draft');
    expect(cal.body.posts.every((p: { community_id: number }) => p.community_id === fr)).toBe(true);
  });

  it('publishes a scheduled post once through the outbox to the network at its due time', async () => {
    const p = await scheduled(HOUR);
    expect(p.status).toBe('scheduled');
    // Not yet due: nothing moves.
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() - 60_000))).not.toContain(p.id);
    expect((await post(p.id)).status).toBe('scheduled');
    // Due: handed to the outbox once, then published by the outbox worker.
    const moved = await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 1000));
    expect(moved).toContain(p.id);
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 2000))).toEqual([]);
    const published = await waitFor(
      () => post(p.id),
      (v) => v.status === 'published',
    );
    expect(published.status).toBe('published');
    const sent = await sandbox(p.text);
    expect(sent).toHaveLength(1);
    expect(sent[0].account_handle).toBe('@AirSocial');
    expect(published.external_id).toBe(sent[0].external_id);
    expect(published.account.handle).toBe('@AirSocial');
    const audited = await db().pool.query<{ action: string }>(
      "select action from audit_events where subject_type = 'post' and subject_id = $1 order by id",
      [String(p.id)],
    );
    expect(audited.rows.map((r) => r.action)).toEqual([
      'post.created',
      'post.scheduled',
      'post.enqueued',
      'post.published',
    ]);
    // Once published, it can no longer be edited or cancelled.
    expect((await s.request('POST', `/api/v1/publishing/posts/${p.id}/cancel`, { cookie: lea })).status).toBe(409);
  });

  it('refuses a post from an account of another community, and people who may not write', async () => {
    const wrong = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: lea,
      body: { community_id: fr, account_id: deAccount, text: 'Bonjour à tous' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('wrong_account');
    // Even the leader, who works everywhere: the account must be the community's own.
    const leader = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: marie,
      body: { community_id: de, account_id: frAccount, text: 'Hallo zusammen' },
    });
    expect(leader.status).toBe(403);
    // A community the manager does not work in.
    const other = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: lea,
      body: { community_id: de, account_id: deAccount, text: 'Hallo zusammen' },
    });
    expect(other.status).toBe(400);
    // A viewer reads the calendar but writes nothing.
    const viewer = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: paul,
      body: { community_id: fr, account_id: frAccount, text: 'Bonjour' },
    });
    expect(viewer.status).toBe(403);
    // Editing a draft to another community's account is refused too.
    const draft = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: lea,
      body: { community_id: fr, account_id: frAccount, text: 'Un brouillon' },
    });
    const edit = await s.request('PATCH', `/api/v1/publishing/posts/${draft.body.id}`, {
      cookie: lea,
      body: { account_id: deAccount },
    });
    expect(edit.status).toBe(403);
    const range = `from=${encodeURIComponent(new Date(Date.now() - HOUR).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 10 * HOUR).toISOString())}`;
    const cal = await s.request('GET', `/api/v1/publishing/calendar?${range}`, { cookie: paul });
    expect(cal.status).toBe(200);
    expect(cal.body.posts.map((p: { id: number }) => p.id)).toContain(draft.body.id);
    // Jonas (German desk) does not see the French community's posts.
    const jonas = await s.login('jonas@airsocial.example');
    const theirs = await s.request('GET', `/api/v1/publishing/calendar?${range}`, { cookie: jonas });
    expect(theirs.body.posts.map((p: { id: number }) => p.id)).not.toContain(draft.body.id);
    expect((await s.request('GET', `/api/v1/publishing/posts/${draft.body.id}`, { cookie: jonas })).status).toBe(404);
  });

  it('blocks a post that breaks a guideline, like a reply', async () => {
    const c = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: lea,
      body: { community_id: fr, account_id: frAccount, text: 'Nos prix battent ceux de SkyRival cet été' },
    });
    const check = await s.request('POST', '/api/v1/publishing/check', {
      cookie: lea,
      body: { community_id: fr, account_id: frAccount, text: 'Nos prix battent ceux de SkyRival cet été' },
    });
    expect(check.status).toBe(200);
    expect(check.body.findings.map((f: { guideline: string }) => f.guideline)).toContain('confidential');
    expect(check.body.identity).toMatchObject({ network: 'sandbox', handle: '@AirSocial' });
    const sub = await s.request('POST', `/api/v1/publishing/posts/${c.body.id}/submit`, { cookie: lea, body: {} });
    expect(sub.status).toBe(422);
    expect(sub.body.error).toBe('guideline_blocked');
    expect((await post(c.body.id)).status).toBe('draft');
  });

  it('makes a sensitive post wait for approval before it can be published', async () => {
    const text = 'Pour l’été, nous offrons un remboursement de 50 € sur chaque vol annulé par nos soins';
    const p = await scheduled(HOUR, text);
    expect(p.status).toBe('pending_approval');
    const waiting = await post(p.id);
    expect(waiting.approval_rule).toBe('Compensation with an amount');
    expect(waiting.approver_ids.length).toBeGreaterThan(0);
    // Due, but not approved: it waits.
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 1000))).not.toContain(p.id);
    // Its author cannot approve it; an approver of the community can.
    expect(
      (await s.request('POST', `/api/v1/publishing/posts/${p.id}/approve`, { cookie: lea, body: {} })).status,
    ).toBe(403);
    const ok = await s.request('POST', `/api/v1/publishing/posts/${p.id}/approve`, { cookie: anna, body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('scheduled');
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 1000))).toContain(p.id);
    expect(
      (
        await waitFor(
          () => post(p.id),
          (v) => v.status === 'published',
        )
      ).status,
    ).toBe('published');
    expect(await sandbox(text)).toHaveLength(1);
  });

  it('edits, reschedules, rejects, cancels and deletes posts, each audited', async () => {
    const p = await scheduled(HOUR);
    // Rescheduling later: not due at the first time any more.
    const later = new Date(p.at.getTime() + HOUR);
    const moved = await s.request('POST', `/api/v1/publishing/posts/${p.id}/schedule`, {
      cookie: lea,
      body: { scheduled_at: later.toISOString() },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.status).toBe('scheduled');
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 1000))).not.toContain(p.id);
    // Editing sends it back to draft: its new text is checked and approved again on submission.
    const edited = await s.request('PATCH', `/api/v1/publishing/posts/${p.id}`, {
      cookie: lea,
      body: { text: 'Nous offrons 30 € de remboursement sur les bagages retardés cet été, dites-le autour de vous' },
    });
    expect(edited.body.status).toBe('draft');
    const sub = await s.request('POST', `/api/v1/publishing/posts/${p.id}/submit`, { cookie: lea, body: {} });
    expect(sub.body.status).toBe('pending_approval');
    const rejected = await s.request('POST', `/api/v1/publishing/posts/${p.id}/reject`, {
      cookie: anna,
      body: { note: 'Pas de montant dans une publication' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'draft', review_note: 'Pas de montant dans une publication' });
    expect(await enqueueDuePosts(db().pool, new Date(later.getTime() + 1000))).not.toContain(p.id);
    // A draft is deleted; a scheduled post is cancelled (and never goes out).
    expect((await s.request('DELETE', `/api/v1/publishing/posts/${p.id}`, { cookie: lea })).status).toBe(204);
    expect((await s.request('GET', `/api/v1/publishing/posts/${p.id}`, { cookie: lea })).status).toBe(404);
    const q = await scheduled(HOUR);
    expect((await s.request('DELETE', `/api/v1/publishing/posts/${q.id}`, { cookie: lea })).status).toBe(409);
    const cancelled = await s.request('POST', `/api/v1/publishing/posts/${q.id}/cancel`, { cookie: lea });
    expect(cancelled.body.status).toBe('cancelled');
    expect(await enqueueDuePosts(db().pool, new Date(q.at.getTime() + 1000))).not.toContain(q.id);
    const audited = await db().pool.query<{ action: string }>(
      "select action from audit_events where subject_type = 'post' and subject_id = $1 order by id",
      [String(p.id)],
    );
    expect(audited.rows.map((r) => r.action)).toEqual([
      'post.created',
      'post.scheduled',
      'post.rescheduled',
      'post.edited',
      'post.approval_requested',
      'post.rejected',
      'post.deleted',
    ]);
  });

  it('holds due posts while a community is paused and releases them on resume', async () => {
    const p = await scheduled(HOUR);
    expect(
      (await s.request('POST', `/api/v1/publishing/communities/${fr}/pause`, { cookie: lea, body: { reason: 'test' } }))
        .status,
    ).toBe(403);
    const paused = await s.request('POST', `/api/v1/publishing/communities/${fr}/pause`, {
      cookie: marie,
      body: { reason: 'Strike at the airport' },
    });
    expect(paused.status).toBe(200);
    expect((await post(p.id)).status).toBe('paused');
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 1000))).not.toContain(p.id);
    const pauses = await s.request('GET', '/api/v1/publishing/pauses', { cookie: lea });
    expect(pauses.body).toEqual([expect.objectContaining({ community_id: fr, reason: 'Strike at the airport' })]);
    // A post submitted meanwhile is paused at once.
    const later = await scheduled(HOUR);
    expect(later.status).toBe('paused');
    const resumed = await s.request('POST', `/api/v1/publishing/communities/${fr}/resume`, { cookie: marie });
    expect(resumed.status).toBe(200);
    expect((await post(p.id)).status).toBe('scheduled');
    const moved = await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 5000));
    expect(moved).toEqual(expect.arrayContaining([p.id, later.id]));
    const audited = await db().pool.query<{ action: string }>(
      "select action from audit_events where subject_type = 'community' and subject_id = $1 and action like 'publishing.%' order by id",
      [String(fr)],
    );
    expect(audited.rows.map((r) => r.action)).toEqual(['publishing.paused', 'publishing.resumed']);
    await waitFor(
      () => post(later.id),
      (v) => v.status === 'published',
    );
  });

  it('pauses scheduled posts when a crisis is declared and resumes them when it stands down', async () => {
    const p = await scheduled(2 * HOUR);
    const other = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: marie,
      body: { community_id: de, account_id: deAccount, text: 'Neue Sommerziele', scheduled_at: p.at.toISOString() },
    });
    await s.request('POST', `/api/v1/publishing/posts/${other.body.id}/submit`, { cookie: marie, body: {} });
    const playbooks = await s.request('GET', '/api/v1/crisis/playbooks', { cookie: marie });
    const ash = playbooks.body.find((x: { slug: string }) => x.slug === 'volcanic-ash');
    expect(ash.definition.scheduled_posts_to_pause.length).toBeGreaterThan(0);
    const declared = await s.request('POST', '/api/v1/crisis/crises', {
      cookie: marie,
      body: { playbook_id: ash.id, community_ids: [fr] },
    });
    expect(declared.status).toBe(201);
    expect((await post(p.id)).status).toBe('paused');
    // Only the crisis's communities.
    expect((await s.request('GET', `/api/v1/publishing/posts/${other.body.id}`, { cookie: marie })).body.status).toBe(
      'scheduled',
    );
    const pause = await db().pool.query('select crisis_id from publishing_pauses where community_id = $1', [fr]);
    expect(pause.rows[0].crisis_id).toBe(declared.body.id);
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() - 60_000))).not.toContain(p.id);
    const down = await s.request('POST', `/api/v1/crisis/crises/${declared.body.id}/stand-down`, { cookie: marie });
    expect(down.status).toBe(200);
    expect((await post(p.id)).status).toBe('scheduled');
    const changes = await db().pool.query<{ kind: string; revert_note: string }>(
      "select kind, revert_note from crisis_changes where crisis_id = $1 and kind = 'publishing_pause'",
      [declared.body.id],
    );
    expect(changes.rows).toEqual([{ kind: 'publishing_pause', revert_note: 'publishing resumed' }]);
    await s.request('POST', `/api/v1/publishing/posts/${other.body.id}/cancel`, { cookie: marie });
    await s.request('POST', `/api/v1/publishing/posts/${p.id}/cancel`, { cookie: lea });
  });

  it('enqueues a due post once across concurrent passes and a restart', async () => {
    const p = await scheduled(HOUR);
    const at = new Date(p.at.getTime() + 1000);
    const passes = await Promise.all([
      enqueueDuePosts(db().pool, at),
      enqueueDuePosts(db().pool, at),
      enqueueDuePosts(db().pool, at),
    ]);
    expect(passes.flat().filter((id) => id === p.id)).toHaveLength(1);
    await s.close();
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    expect(await enqueueDuePosts(db().pool, at)).toEqual([]);
    const done = await waitFor(
      () => post(p.id),
      (v) => v.status === 'published',
    );
    expect(done.status).toBe('published');
    const rows = await db().pool.query("select count(*)::int as n from outbox where payload->>'postId' = $1", [
      String(p.id),
    ]);
    expect(rows.rows[0].n).toBe(1);
    expect(await sandbox(p.text)).toHaveLength(1);
  });
});

import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApprovalSweeper } from '../../src/domain/governance/sweeper.ts';
import { sweepPostApprovals } from '../../src/domain/publishing/approval-sweep.ts';
import { enqueueDuePosts } from '../../src/domain/publishing/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describeEachDatabase('posts in the approval queue: notifications, timer, late posts', (db) => {
  let s: TestServer;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};
  let fr: number;
  let frAccount: number;
  let campaign: number;
  let seq = 0;

  const waitFor = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    let v = await fn();
    for (let i = 0; i < 200 && !ok(v); i++) {
      await new Promise((r) => setTimeout(r, 50));
      v = await fn();
    }
    return v;
  };
  const post = async (postId: number) =>
    (await s.request('GET', `/api/v1/publishing/posts/${postId}`, { cookie: cookie.lea })).body;
  const queue = async (who: string, query = '') =>
    (await s.request('GET', `/api/v1/approvals${query}`, { cookie: cookie[who] })).body as any[];
  const notes = async (postId: number, kind: string) =>
    (
      await db().pool.query<{ person_id: number; data: Record<string, unknown> }>(
        `select person_id, data from notifications where kind = $1 and (data->>'post_id')::int = $2 order by id`,
        [kind, postId],
      )
    ).rows;
  /** A post of the French community promising compensation with an amount: it needs one approval. */
  const waiting = async (at: Date) => {
    seq++;
    const text = `Cet été, un remboursement de ${40 + seq} € sur chaque vol que nous annulons, promis`;
    const c = await s.request('POST', '/api/v1/publishing/posts', {
      cookie: cookie.lea,
      body: { community_id: fr, account_id: frAccount, text, scheduled_at: at.toISOString(), campaign_id: campaign },
    });
    expect(c.status).toBe(201);
    const sub = await s.request('POST', `/api/v1/publishing/posts/${c.body.id}/submit`, {
      cookie: cookie.lea,
      body: {},
    });
    expect(sub.status).toBe(200);
    expect(sub.body.status).toBe('pending_approval');
    return { id: c.body.id as number, text, at, due: new Date(sub.body.approval_due_at) };
  };

  beforeAll(async () => {
    s = await startTestServer(db().url);
    for (const who of ['lea', 'anna', 'marie', 'sophie', 'paul'])
      cookie[who] = await s.login(`${who}@airsocial.example`);
    const people = await db().pool.query<{ id: number; email: string }>('select id, email from people');
    for (const p of people.rows) id[p.email.split('@')[0]!] = p.id;
    const a = await db().pool.query<{ id: number; community_id: number }>(
      `select id, community_id from channel_accounts where handle = '@AirSocial' and kind = 'account'`,
    );
    fr = a.rows[0]!.community_id;
    frAccount = a.rows[0]!.id;
    const cp = await db().pool.query<{ id: number }>(`select id from campaigns where name = 'Summer sale campaign'`);
    campaign = cp.rows[0]!.id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('puts a post needing approval in its approvers’ queue only, labelled as a post, and notifies them', async () => {
    const p = await waiting(new Date(Date.now() + 2 * HOUR));
    const row = await post(p.id);
    expect(row.approver_ids.sort()).toEqual([id.anna, id.marie].sort());

    const annaQueue = await queue('anna');
    const item = annaQueue.find((i) => i.kind === 'post' && i.id === p.id);
    expect(item).toMatchObject({
      kind: 'post',
      post: { id: p.id, scheduled_at: p.at.toISOString(), campaign: { id: campaign, name: 'Summer sale campaign' } },
      community: { id: fr },
      account: { id: frAccount, handle: '@AirSocial' },
      author: { id: id.lea },
      text: p.text,
      status: 'pending',
      rule: { name: 'Compensation with an amount' },
      can_decide: true,
      overdue: false,
    });
    // Reply items keep their shape (no kind).
    expect(annaQueue.filter((i) => i.kind !== 'post').every((i) => i.kind === undefined && i.case)).toBe(true);
    expect((await queue('marie')).some((i) => i.kind === 'post' && i.id === p.id)).toBe(true);
    // Not for the author (in "mine" instead), nor for people who are not its approvers.
    expect((await queue('lea')).some((i) => i.kind === 'post' && i.id === p.id)).toBe(false);
    expect((await queue('lea', '?scope=mine')).some((i) => i.kind === 'post' && i.id === p.id)).toBe(true);
    expect((await queue('sophie')).some((i) => i.kind === 'post' && i.id === p.id)).toBe(false);
    expect((await queue('paul')).some((i) => i.kind === 'post' && i.id === p.id)).toBe(false);
    // Sophie reads the community: she sees it among all requests, without a decision to make.
    const all = (await queue('sophie', '?scope=all')).find((i) => i.kind === 'post' && i.id === p.id);
    expect(all?.can_decide).toBe(false);

    const requested = await notes(p.id, 'post_approval_requested');
    expect(requested.map((n) => n.person_id).sort()).toEqual([id.anna, id.marie].sort());
    expect(requested[0]!.data).toMatchObject({ by: id.lea, post_id: p.id, community_id: fr });
  });

  it('edits and approves a post from the queue: it goes out once, at its scheduled time, and the author is told', async () => {
    const p = await waiting(new Date(Date.now() + HOUR));
    const edited = 'Cet été, nous remboursons 40 € sur chaque vol que nous annulons : détails sur le site';
    const ok = await s.request('POST', `/api/v1/publishing/posts/${p.id}/approve`, {
      cookie: cookie.anna,
      body: { text: edited, note: 'Formulation plus claire' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'scheduled',
      text: edited,
      original_text: p.text,
      approval_status: 'approved',
      late: false,
    });
    // Once decided, it leaves the queue; it is among the approved ones.
    expect((await queue('marie')).some((i) => i.kind === 'post' && i.id === p.id)).toBe(false);
    const approved = (await queue('lea', '?scope=mine&status=approved')).find(
      (i) => i.kind === 'post' && i.id === p.id,
    );
    expect(approved).toMatchObject({ edited: true, original_text: p.text, text: edited });
    const decided = await notes(p.id, 'post_approval_decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({
      person_id: id.lea,
      data: { decision: 'approved', edited: true, late: false, by: id.anna },
    });
    // Not before its time; once at its time, whatever the passes.
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() - MINUTE))).not.toContain(p.id);
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 1000))).toContain(p.id);
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 2000))).not.toContain(p.id);
    expect(
      (
        await waitFor(
          () => post(p.id),
          (v) => v.status === 'published',
        )
      ).status,
    ).toBe('published');
    const sent = await db().pool.query('select account_handle from sandbox_posts where text = $1', [edited]);
    expect(sent.rows).toEqual([{ account_handle: '@AirSocial' }]);
    const audited = await db().pool.query<{ action: string }>(
      "select action from audit_events where subject_type = 'post' and subject_id = $1 order by id",
      [String(p.id)],
    );
    expect(audited.rows.map((r) => r.action)).toContain('post.approval_edited');
    // A guideline block applies to the approver's text.
    const q = await waiting(new Date(Date.now() + HOUR));
    const blocked = await s.request('POST', `/api/v1/publishing/posts/${q.id}/approve`, {
      cookie: cookie.anna,
      body: { text: 'Moins cher que AlpJet : 40 € remboursés sur chaque vol annulé cet été' },
    });
    expect(blocked.status).toBe(422);
    expect((await post(q.id)).status).toBe('pending_approval');
  });

  it('rejects a post with a note: back to draft, the author is told, nothing goes out', async () => {
    const p = await waiting(new Date(Date.now() + HOUR));
    const r = await s.request('POST', `/api/v1/publishing/posts/${p.id}/reject`, {
      cookie: cookie.marie,
      body: { note: 'Pas de montant dans une publication' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'draft', approval_status: 'rejected' });
    const decided = await notes(p.id, 'post_approval_decided');
    expect(decided).toEqual([
      { person_id: id.lea, data: expect.objectContaining({ decision: 'rejected', by: id.marie }) },
    ]);
    const mine = (await queue('lea', '?scope=mine&status=rejected')).find((i) => i.kind === 'post' && i.id === p.id);
    expect(mine).toMatchObject({ note: 'Pas de montant dans une publication', status: 'rejected' });
    expect((await queue('anna')).some((i) => i.kind === 'post' && i.id === p.id)).toBe(false);
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 1000))).not.toContain(p.id);
  });

  it('reminds the approvers and the author at the deadline, then escalates to the leaders, once each', async () => {
    const p = await waiting(new Date(Date.now() + 6 * HOUR));
    // Before the deadline: nothing.
    await sweepPostApprovals(db().pool, new Date(p.due.getTime() - 1000));
    expect(await notes(p.id, 'post_approval_overdue')).toEqual([]);
    // Anna approved nothing yet: at the deadline both approvers and the author hear of it (the sweeper's pass).
    const sweeper = new ApprovalSweeper({
      pool: db().pool,
      log: pino({ level: 'silent' }),
      intervalMs: 0,
      now: () => new Date(p.due.getTime() + 1000),
    });
    await sweeper.pass();
    await sweeper.pass();
    const reminded = await notes(p.id, 'post_approval_overdue');
    expect(reminded.map((n) => n.person_id).sort()).toEqual([id.anna, id.lea, id.marie].sort());
    expect((await post(p.id)).approval_reminded_at).not.toBeNull();
    // One more approval period later, the leaders are told (escalation), once.
    const sla = p.due.getTime() - new Date((await post(p.id)).approval_requested_at).getTime();
    await sweepPostApprovals(db().pool, new Date(p.due.getTime() + sla - 60_000));
    expect(await notes(p.id, 'post_approval_overdue')).toHaveLength(3);
    await sweepPostApprovals(db().pool, new Date(p.due.getTime() + sla + 1000));
    await sweepPostApprovals(db().pool, new Date(p.due.getTime() + sla + 2000));
    const all = await notes(p.id, 'post_approval_overdue');
    expect(all).toHaveLength(4);
    expect(all[3]).toMatchObject({ person_id: id.marie, data: { escalated_to: 'leaders' } });
    expect((await post(p.id)).approval_escalated_at).not.toBeNull();
    const audited = await db().pool.query<{ action: string }>(
      "select action from audit_events where subject_type = 'post' and subject_id = $1 order by id",
      [String(p.id)],
    );
    expect(audited.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['post.approval_overdue', 'post.approval_escalated']),
    );
  });

  it('flags a post whose scheduled time passes while it waits; approved, it goes out at once, marked late', async () => {
    const p = await waiting(new Date(Date.now() + 10 * MINUTE));
    expect((await post(p.id)).late).toBe(false);
    await sweepPostApprovals(db().pool, new Date(p.at.getTime() + 1000));
    const late = await notes(p.id, 'post_approval_late');
    expect(late.map((n) => n.person_id).sort()).toEqual([id.anna, id.lea, id.marie].sort());
    await sweepPostApprovals(db().pool, new Date(p.at.getTime() + 2000));
    expect(await notes(p.id, 'post_approval_late')).toHaveLength(3);
    expect((await post(p.id)).late).toBe(true);
    expect((await queue('anna')).find((i) => i.kind === 'post' && i.id === p.id)?.post.late).toBe(true);
    // Still waiting: never published on its own.
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 3000))).not.toContain(p.id);
    const ok = await s.request('POST', `/api/v1/publishing/posts/${p.id}/approve`, { cookie: cookie.anna, body: {} });
    expect(ok.body).toMatchObject({ status: 'scheduled', late: true });
    expect((await notes(p.id, 'post_approval_decided'))[0]!.data).toMatchObject({ decision: 'approved', late: true });
    const approvedAudit = await db().pool.query<{ data: Record<string, unknown> }>(
      "select data from audit_events where subject_type = 'post' and subject_id = $1 and action = 'post.approved'",
      [String(p.id)],
    );
    expect(approvedAudit.rows[0]!.data).toMatchObject({ late: true });
    // Its time is past: the worker's next pass hands it to the outbox.
    expect(await enqueueDuePosts(db().pool, new Date(p.at.getTime() + 4000))).toContain(p.id);
  });

  it('no longer counts a late post as late once its author moves it to a time ahead', async () => {
    const p = await waiting(new Date(Date.now() + 5 * MINUTE));
    await sweepPostApprovals(db().pool, new Date(p.at.getTime() + 1000));
    expect((await post(p.id)).late).toBe(true);
    const later = new Date(Date.now() + 3 * HOUR);
    const moved = await s.request('POST', `/api/v1/publishing/posts/${p.id}/schedule`, {
      cookie: cookie.lea,
      body: { scheduled_at: later.toISOString() },
    });
    expect(moved.body).toMatchObject({ status: 'pending_approval', late: false });
    const ok = await s.request('POST', `/api/v1/publishing/posts/${p.id}/approve`, { cookie: cookie.marie, body: {} });
    expect(ok.body).toMatchObject({ status: 'scheduled', late: false });
    expect(await enqueueDuePosts(db().pool, new Date(later.getTime() - MINUTE))).not.toContain(p.id);
  });

  it('counts posts apart in the approval statistics', async () => {
    const stats = await s.request('GET', '/api/v1/approvals/stats', { cookie: cookie.marie });
    expect(stats.status).toBe(200);
    expect(stats.body.posts.needed_approval).toBeGreaterThanOrEqual(5);
    expect(stats.body.posts.approved).toBeGreaterThanOrEqual(2);
    expect(stats.body.posts.rejected).toBeGreaterThanOrEqual(1);
    expect(stats.body.posts.median_delay_seconds).toBeGreaterThanOrEqual(0);
    expect(stats.body.posts.share_needing_approval).toBeGreaterThan(0);
    expect(typeof stats.body.replies).toBe('number');
  });
});

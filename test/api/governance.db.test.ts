import { afterAll, beforeAll, expect, it } from 'vitest';
import { AIRSOCIAL_GOVERNANCE } from '../../src/demo/governance.ts';
import { sweepOverdueApprovals } from '../../src/domain/governance/sweeper.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('governance: approvals, guidelines and account safety', (db) => {
  let s: TestServer;
  let lea: string;
  let marie: string;
  let anna: string;
  let sophie: string;
  let paul: string;
  let seq = 0;

  const newCase = async (text = 'Mon vol a 3 h de retard, je vais rater ma correspondance') => {
    seq++;
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: `gov-${seq}`,
        account: '@AirSocial',
        author: { handle: `@client${seq}`, name: 'Jeanne Dupont' },
        text,
      },
    });
    expect(r.status).toBe(202);
    return r.body.case_id as number;
  };
  const reply = (cookie: string, caseId: number, body: Record<string, unknown>) =>
    s.request('POST', `/api/v1/cases/${caseId}/replies`, { cookie, body });
  const posts = async (text: string) =>
    (await db().pool.query('select account_handle, text from sandbox_posts where text = $1', [text])).rows;
  const waitForPost = async (text: string) => {
    for (let i = 0; i < 100; i++) {
      const rows = await posts(text);
      if (rows.length > 0) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
    return [];
  };
  const personId = async (email: string) =>
    (await db().pool.query('select id from people where email = $1', [email])).rows[0].id as number;
  const savePolicy = async (policy: unknown) => {
    const r = await s.request('PUT', '/api/v1/governance/policy', { cookie: marie, body: { policy, note: 'test' } });
    expect(r.status).toBe(200);
    return r.body.version as number;
  };

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    marie = await s.login('marie@airsocial.example');
    anna = await s.login('anna@airsocial.example');
    sophie = await s.login('sophie@airsocial.example');
    paul = await s.login('paul@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('seeds the demo policy and lets only leaders read and change it, in versions', async () => {
    const current = await s.request('GET', '/api/v1/governance/policy', { cookie: marie });
    expect(current.status).toBe(200);
    expect(current.body.version).toBe(1);
    expect(current.body.policy.approvals.map((r: { id: string }) => r.id)).toContain('trainees');
    expect((await s.request('GET', '/api/v1/governance/policy', { cookie: lea })).status).toBe(403);
    expect(
      (await s.request('PUT', '/api/v1/governance/policy', { cookie: lea, body: { policy: AIRSOCIAL_GOVERNANCE } }))
        .status,
    ).toBe(403);
    const bad = await s.request('PUT', '/api/v1/governance/policy', {
      cookie: marie,
      body: { policy: { ...AIRSOCIAL_GOVERNANCE, autonomy: [{ person: 'nobody@x.example', level: 'trainee' }] } },
    });
    expect(bad.status).toBe(400);
    const v = await savePolicy(AIRSOCIAL_GOVERNANCE);
    expect(v).toBe(2);
    const versions = await s.request('GET', '/api/v1/governance/policy/versions', { cookie: marie });
    expect(versions.body.map((x: { version: number }) => x.version)).toEqual([2, 1]);
    expect(versions.body[0].author).toBe('Marie Lefèvre');
  });

  it('sends a routine reply straight out (no approval), and previews what the composer will meet', async () => {
    const caseId = await newCase();
    const check = await s.request('POST', `/api/v1/cases/${caseId}/check-reply`, {
      cookie: sophie,
      body: { text: 'Nous regardons votre correspondance tout de suite.' },
    });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({
      findings: [],
      autonomy: 'trainee',
      approval: { required: 1, rule: { id: 'trainees' } },
    });
    const text = 'Bonjour, nous regardons votre correspondance tout de suite.';
    const r = await reply(lea, caseId, { text });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'pending', approval: null, account: { handle: '@AirSocial' } });
    expect(await waitForPost(text)).toEqual([{ account_handle: '@AirSocial', text }]);
  });

  it('blocks or warns on each guideline, and sends a warned reply once acknowledged', async () => {
    const caseId = await newCase();
    const blocked = async (text: string, guideline: string) => {
      const r = await reply(lea, caseId, { text });
      expect(r.status).toBe(422);
      expect(r.body.error).toBe('guideline_blocked');
      expect(r.body.findings.map((f: { guideline: string }) => f.guideline)).toContain(guideline);
    };
    await blocked('Chez AlpJet ce serait pire, croyez-moi.', 'confidential');
    await blocked('Écrivez-nous à jeanne.dupont@example.com svp.', 'pii');
    const warned = async (text: string, guideline: string) => {
      const r = await reply(lea, caseId, { text });
      expect(r.status).toBe(409);
      expect(r.body.error).toBe('guideline_warning');
      expect(r.body.findings).toEqual([expect.objectContaining({ guideline, severity: 'warn' })]);
      expect(r.body.findings[0].message.length).toBeGreaterThan(10);
    };
    await warned('NOUS AVONS DÉJÀ RÉPONDU À VOTRE QUESTION HIER', 'shouting');
    await warned('Vous auriez dû vérifier votre réservation avant de partir.', 'blame');
    await warned('Tout est expliqué sur https://evil.example/info pour vous.', 'links');
    await warned('Wir kümmern uns sofort um Ihren verpassten Anschluss in Zürich.', 'language');
    // A block cannot be acknowledged away.
    const still = await reply(lea, caseId, { text: 'Chez AlpJet ce serait pire.', acknowledge_warnings: true });
    expect(still.status).toBe(422);
    const text = 'Vous auriez dû recevoir un e-mail de notre part, nous vérifions.';
    const sent = await reply(lea, caseId, { text, acknowledge_warnings: true });
    expect(sent.status).toBe(202);
    expect(sent.body.warnings.map((w: { guideline: string }) => w.guideline)).toEqual(['blame']);
    expect(await waitForPost(text)).toHaveLength(1);
    const audit = await db().pool.query(
      `select data from audit_events where action = 'reply.warnings_acknowledged' and subject_id = $1`,
      [String(sent.body.message_id)],
    );
    expect(audit.rows[0].data).toEqual({ guideline_warnings: ['blame'] });
    // A private reply may carry personal data.
    const dm = await reply(lea, caseId, { text: 'Votre contact: jeanne.dupont@example.com', visibility: 'private' });
    expect(dm.status).toBe(202);
  });

  it('holds a trainee’s reply for one approval, then sends it from the account fixed at request time', async () => {
    const caseId = await newCase();
    const text = 'Bonjour, nous avons trouvé une place sur le vol de 18 h.';
    const r = await reply(sophie, caseId, { text });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      status: 'awaiting_approval',
      approval: { required: 1, rule: 'Trainees: every reply is approved' },
      account: { handle: '@AirSocial' },
    });
    const id = r.body.approval.id as number;
    expect(await posts(text)).toEqual([]);
    // The approvers are told; the queue shows the exact identity and who asked.
    const note = await db().pool.query(
      `select person_id from notifications where kind = 'approval_requested' and data->>'approval_id' = $1`,
      [String(id)],
    );
    expect(note.rows.map((x) => x.person_id)).toContain(await personId('anna@airsocial.example'));
    const queue = await s.request('GET', '/api/v1/approvals', { cookie: anna });
    const item = queue.body.find((x: { id: number }) => x.id === id);
    expect(item).toMatchObject({
      author: { name: 'Sophie Laurent' },
      account: { handle: '@AirSocial', network: 'sandbox' },
      can_decide: true,
      overdue: false,
      text,
    });
    // Nobody approves their own reply; a viewer cannot either.
    expect((await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: sophie, body: {} })).status).toBe(403);
    expect((await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: paul, body: {} })).status).toBe(403);
    const mine = await s.request('GET', '/api/v1/approvals?scope=mine', { cookie: sophie });
    expect(mine.body.map((x: { id: number }) => x.id)).toContain(id);
    const ok = await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: anna, body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', approvals: 1, required: 1 });
    expect(await waitForPost(text)).toEqual([{ account_handle: '@AirSocial', text }]);
    const again = await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: lea, body: {} });
    expect(again.status).toBe(409);
    // The reply is the author's; the author is told.
    const c = await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: lea });
    expect(c.body.messages.at(-1)).toMatchObject({ direction: 'out', person: { name: 'Sophie Laurent' } });
    const told = await db().pool.query(
      `select data from notifications where kind = 'approval_decided' and person_id = $1 and data->>'approval_id' = $2`,
      [await personId('sophie@airsocial.example'), String(id)],
    );
    expect(told.rows[0].data).toMatchObject({ decision: 'approved', by_name: 'Anna Schmidt' });
    const actions = await db().pool.query(
      `select action from audit_events where (subject_type = 'approval' and subject_id = $1)
         or (action = 'reply.queued' and data->>'approval_id' = $1) order by id`,
      [String(id)],
    );
    expect(actions.rows.map((x) => x.action)).toEqual([
      'reply.approval_requested',
      'reply.approval_given',
      'reply.queued',
    ]);
  });

  it('lets an approver edit and approve; the edited text goes out, the original is kept', async () => {
    const caseId = await newCase();
    const r = await reply(sophie, caseId, { text: 'Bonjour, on regarde ça.' });
    const id = r.body.approval.id as number;
    const blocked = await s.request('POST', `/api/v1/approvals/${id}/approve`, {
      cookie: lea,
      body: { text: 'Bonjour, chez AlpJet ce serait pire.' },
    });
    expect(blocked.status).toBe(422);
    const edited = 'Bonjour, nous regardons votre dossier et revenons vers vous dans l’heure.';
    const ok = await s.request('POST', `/api/v1/approvals/${id}/approve`, {
      cookie: lea,
      body: { text: edited, note: 'plus précis' },
    });
    expect(ok.body.status).toBe('approved');
    expect(await waitForPost(edited)).toHaveLength(1);
    expect(await posts('Bonjour, on regarde ça.')).toEqual([]);
    const done = await s.request('GET', '/api/v1/approvals?scope=mine&status=approved', { cookie: sophie });
    expect(done.body.find((x: { id: number }) => x.id === id)).toMatchObject({
      text: edited,
      original_text: 'Bonjour, on regarde ça.',
      edited: true,
      decisions: [expect.objectContaining({ name: 'Léa Martin', decision: 'approve', edited: true })],
    });
    const audit = await db().pool.query(
      `select action from audit_events where subject_type = 'approval' and subject_id = $1 order by id`,
      [String(id)],
    );
    expect(audit.rows.map((x) => x.action)).toContain('reply.approval_edited');
  });

  it('rejects with a note: nothing goes out and the author is told why', async () => {
    const caseId = await newCase();
    const text = 'Bonjour, désolé pour ça, on verra.';
    const r = await reply(sophie, caseId, { text });
    const id = r.body.approval.id as number;
    expect((await s.request('POST', `/api/v1/approvals/${id}/reject`, { cookie: anna, body: {} })).status).toBe(400);
    const no = await s.request('POST', `/api/v1/approvals/${id}/reject`, {
      cookie: anna,
      body: { note: 'Proposez une solution concrète.' },
    });
    expect(no.body.status).toBe('rejected');
    const mine = await s.request('GET', '/api/v1/approvals?scope=mine&status=rejected', { cookie: sophie });
    expect(mine.body.find((x: { id: number }) => x.id === id)).toMatchObject({
      note: 'Proposez une solution concrète.',
    });
    const told = await db().pool.query(
      `select data from notifications where kind = 'approval_decided' and data->>'approval_id' = $1`,
      [String(id)],
    );
    expect(told.rows[0].data.decision).toBe('rejected');
    expect((await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: lea, body: {} })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 200));
    expect(await posts(text)).toEqual([]);
    expect(
      (await db().pool.query('select count(*)::int as n from outbox where case_id = $1', [caseId])).rows[0].n,
    ).toBe(0);
  });

  it('needs N approvals of a group (any), or every named approver (all)', async () => {
    await savePolicy({
      approvals: [
        {
          id: 'two',
          name: 'Two of the group',
          when: { keywords: ['deuxfois'] },
          require: { approvals: 2, from: { roles: ['approver', 'manager', 'leader'] } },
        },
        {
          id: 'all',
          name: 'Both named people',
          when: { keywords: ['ensemble'] },
          require: { approvals: 1, mode: 'all', from: { people: ['anna@airsocial.example', 'lea@airsocial.example'] } },
        },
        { id: 'routine', name: 'Routine', require: { approvals: 0 } },
      ],
    });
    try {
      const any = await reply(sophie, await newCase(), { text: 'Réponse deuxfois vérifiée.' });
      expect(any.body.approval).toMatchObject({ required: 2, mode: 'any' });
      const first = await s.request('POST', `/api/v1/approvals/${any.body.approval.id}/approve`, {
        cookie: anna,
        body: {},
      });
      expect(first.body).toMatchObject({ status: 'pending', approvals: 1, required: 2 });
      expect(await posts('Réponse deuxfois vérifiée.')).toEqual([]);
      const second = await s.request('POST', `/api/v1/approvals/${any.body.approval.id}/approve`, {
        cookie: marie,
        body: {},
      });
      expect(second.body.status).toBe('approved');
      expect(await waitForPost('Réponse deuxfois vérifiée.')).toHaveLength(1);

      const all = await reply(sophie, await newCase(), { text: 'Réponse écrite ensemble.' });
      expect(all.body.approval).toMatchObject({ required: 2, mode: 'all' });
      const id = all.body.approval.id;
      // Marie is a leader, but not among the named approvers.
      expect((await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: marie, body: {} })).status).toBe(
        403,
      );
      const a = await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: anna, body: {} });
      expect(a.body).toMatchObject({ status: 'pending', approvals: 1 });
      const b = await s.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: lea, body: {} });
      expect(b.body.status).toBe('approved');
      expect(await waitForPost('Réponse écrite ensemble.')).toHaveLength(1);
    } finally {
      await savePolicy(AIRSOCIAL_GOVERNANCE);
    }
  });

  it('shows an overdue request in the queue and counts the cost of approvals', async () => {
    const r = await reply(sophie, await newCase(), { text: 'Bonjour, nous vérifions votre bagage.' });
    const id = r.body.approval.id as number;
    await db().pool.query(`update approval_requests set due_at = now() - interval '5 minutes' where id = $1`, [id]);
    const queue = await s.request('GET', '/api/v1/approvals', { cookie: anna });
    expect(queue.body[0]).toMatchObject({ id, overdue: true });
    // The approval timer tells the approvers and the author, once (whichever process gets there first).
    await sweepOverdueApprovals(db().pool);
    expect(await sweepOverdueApprovals(db().pool)).toBe(0);
    const told = await db().pool.query(
      `select person_id from notifications where kind = 'approval_overdue' and data->>'approval_id' = $1`,
      [String(id)],
    );
    const people = told.rows.map((x) => x.person_id);
    expect(people).toContain(await personId('anna@airsocial.example'));
    expect(people).toContain(await personId('sophie@airsocial.example'));
    expect(new Set(people).size).toBe(people.length);
    const events = await db().pool.query(
      `select count(*)::int as n from case_events where kind = 'approval_overdue' and data->>'approval_id' = $1`,
      [String(id)],
    );
    expect(events.rows[0].n).toBe(1);
    const stats = await s.request('GET', '/api/v1/approvals/stats', { cookie: marie });
    expect(stats.status).toBe(200);
    expect(stats.body.needed_approval).toBeGreaterThanOrEqual(6);
    expect(stats.body.pending).toBe(1);
    expect(stats.body.overdue).toBe(1);
    expect(stats.body.rejected).toBe(1);
    expect(stats.body.share_needing_approval).toBeGreaterThan(0);
    expect(stats.body.share_needing_approval).toBeLessThan(1);
    expect(stats.body.median_delay_seconds).toBeGreaterThanOrEqual(0);
    expect((await s.request('GET', '/api/v1/approvals/stats', { cookie: sophie })).status).toBe(403);
    const empty = await s.request('GET', '/api/v1/approvals/stats?from=2020-01-01&to=2020-02-01', { cookie: marie });
    expect(empty.body).toMatchObject({
      replies: 0,
      needed_approval: 0,
      share_needing_approval: 0,
      median_delay_seconds: null,
    });
    // The author may withdraw it.
    expect((await s.request('POST', `/api/v1/approvals/${id}/withdraw`, { cookie: anna })).status).toBe(403);
    expect((await s.request('POST', `/api/v1/approvals/${id}/withdraw`, { cookie: sophie })).status).toBe(204);
  });

  it('tries a policy on the latest replies before saving it', async () => {
    const preview = await s.request('POST', '/api/v1/governance/preview', {
      cookie: marie,
      body: {
        policy: {
          approvals: [
            { id: 'trainees', name: 'Trainees', when: { autonomy: ['trainee'] }, require: { approvals: 1 } },
            { id: 'routine', name: 'Routine', require: { approvals: 0 } },
          ],
          guidelines: [{ id: 'no-bonjour', kind: 'terms', severity: 'warn', terms: ['bonjour'] }],
        },
      },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.replies).toBeGreaterThan(5);
    const trainees = preview.body.rules.find((r: { id: string }) => r.id === 'trainees');
    // Sophie's approved replies went out as hers: a trainee's.
    expect(trainees.count).toBeGreaterThanOrEqual(3);
    expect(preview.body.needing_approval).toBe(trainees.count);
    expect(trainees.samples[0].why).toEqual(['author autonomy trainee']);
    const hello = preview.body.guidelines[0];
    expect(hello).toMatchObject({ id: 'no-bonjour', severity: 'warn' });
    expect(hello.count).toBeGreaterThan(0);
    expect(hello.samples[0].excerpt.toLowerCase()).toContain('bonjour');
    expect((await s.request('POST', '/api/v1/governance/preview', { cookie: lea, body: { policy: {} } })).status).toBe(
      403,
    );
  });

  it('blocks another community’s account unless overridden with a reason by someone who works in both', async () => {
    const caseId = await newCase();
    const cs = await s.request('GET', '/api/v1/communities', { cookie: marie });
    const deAccount = cs.body.find((c: { slug: string }) => c.slug === 'airsocial-de').accounts[0].id;
    const blocked = await reply(marie, caseId, { text: 'Bonjour, nous regardons.', account_id: deAccount });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toBe('wrong_account');
    const notHers = await reply(lea, caseId, {
      text: 'Bonjour, nous regardons.',
      account_id: deAccount,
      override_reason: 'client germanophone',
    });
    expect(notHers.status).toBe(403);
    const text = 'Guten Tag, wir kümmern uns um Ihren Anschluss.';
    const ok = await reply(marie, caseId, {
      text,
      account_id: deAccount,
      override_reason: 'Kunde schreibt Deutsch',
      acknowledge_warnings: true,
    });
    expect(ok.status).toBe(202);
    expect(ok.body.account.handle).toBe('@AirSocial_de');
    expect(await waitForPost(text)).toEqual([{ account_handle: '@AirSocial_de', text }]);
    const audit = await db().pool.query(
      `select data from audit_events where action = 'reply.queued' and data->>'message_id' = $1`,
      [String(ok.body.message_id)],
    );
    expect(audit.rows[0].data.cross_community_override).toBe('Kunde schreibt Deutsch');
  });

  it('holds an approved reply for the send delay (undo works), and never sends from a paused account', async () => {
    const slow = await startTestServer(db().url, { PASSEUR_SEND_DELAY_MS: '60000' });
    try {
      const soph = await slow.login('sophie@airsocial.example');
      const leaCookie = await slow.login('lea@airsocial.example');
      const marieCookie = await slow.login('marie@airsocial.example');
      const caseId = await newCase();
      const text = 'Bonjour, nous annulons votre demande comme convenu.';
      const r = await slow.request('POST', `/api/v1/cases/${caseId}/replies`, { cookie: soph, body: { text } });
      const id = r.body.approval.id as number;
      // Kill switch: the account is paused; approving fails and the request stays pending.
      const account = r.body.account.id as number;
      const pause = await slow.request('PATCH', `/api/v1/accounts/${account}`, {
        cookie: marieCookie,
        body: { paused: true },
      });
      expect(pause.status).toBe(200);
      const refused = await slow.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: leaCookie, body: {} });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe('account_paused');
      await slow.request('PATCH', `/api/v1/accounts/${account}`, { cookie: marieCookie, body: { paused: false } });
      const ok = await slow.request('POST', `/api/v1/approvals/${id}/approve`, { cookie: leaCookie, body: {} });
      expect(ok.body.status).toBe('approved');
      expect(new Date(ok.body.send_at).getTime()).toBeGreaterThan(Date.now() + 50_000);
      const undo = await slow.request('POST', `/api/v1/messages/${ok.body.message_id}/undo`, { cookie: soph });
      expect(undo.status).toBe(204);
      await slow.ctx.kickOutbox();
      expect(await posts(text)).toEqual([]);
      const ob = await db().pool.query('select status from outbox where message_id = $1', [ok.body.message_id]);
      expect(ob.rows[0].status).toBe('cancelled');
    } finally {
      await slow.close();
    }
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Training mode through the API: replays of past fr cases, anonymized; answers judged by the real governance in a
 * dry run; the reference revealed after answering; scores; the leaders' overview checked by hand; who may do what;
 * and, after a whole session, real work untouched: no case, message, event, outbox row or network post, the same
 * inbox counts and reports.
 */
describeEachDatabase('training mode', (db) => {
  let s: TestServer;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};
  const cases: number[] = [];
  let fr = 0;
  let it_ = 0;
  let sessionId = 0;
  let items: { id: number; position: number }[] = [];

  const PERSONAL = [
    'Jeanne',
    'Dupuis',
    'jeanne_dupuis',
    'jeanne.dupuis@mail.example',
    'QX7K2P',
    '06 12 34 56 78',
    'Marco',
    'Bellini',
    'marco_b',
    'marco.bellini@mail.example',
    'Léa',
    'Martin',
  ];

  const realWork = async () => {
    const pool = db().pool;
    const out: Record<string, number> = {};
    for (const t of [
      'cases',
      'messages',
      'case_events',
      'conversations',
      'contacts',
      'outbox',
      'sandbox_posts',
      'webhook_deliveries',
      'notifications',
      'sla_events',
      'approval_requests',
    ]) {
      out[t] = (await pool.query<{ n: number }>(`select count(*)::int as n from ${t}`)).rows[0]!.n;
    }
    out.max_message = Number((await pool.query('select coalesce(max(id), 0) as m from messages')).rows[0].m);
    return out;
  };

  async function pastCase(key: string, author: { handle: string; name: string }, text: string, answer: string) {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', external_id: `training-${key}`, account: '@AirSocial', author, text },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const caseId = r.body.case_id as number;
    const reply = await s.request('POST', `/api/v1/cases/${caseId}/replies`, {
      cookie: cookie.lea,
      body: { text: answer, resolve: true, acknowledge_warnings: true },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
    cases.push(caseId);
    return caseId;
  }

  beforeAll(async () => {
    s = await startTestServer(db().url);
    const pool = db().pool;
    for (const p of (await pool.query<{ id: number; email: string }>('select id, email from people')).rows)
      id[p.email.split('@')[0]!] = p.id;
    for (const who of ['marie', 'lea', 'sophie', 'jonas', 'anna', 'paul', 'marc'])
      cookie[who] = await s.login(`${who}@airsocial.example`);
    const c = await pool.query<{ id: number; slug: string }>('select id, slug from communities');
    fr = c.rows.find((r) => r.slug === 'airsocial-fr')!.id;
    it_ = c.rows.find((r) => r.slug === 'airsocial-it')!.id;
    await pastCase(
      'nice',
      { handle: '@jeanne_dupuis', name: 'Jeanne Dupuis' },
      'Bonjour, mon vol pour Nice est annulé ! Réservation QX7K2P, joignable au 06 12 34 56 78 ou jeanne.dupuis@mail.example',
      'Bonjour Jeanne, nous sommes désolés pour cette annulation. Vous êtes replacée sur le vol de 18h, la confirmation arrive par e-mail. Léa',
    );
    await pastCase(
      'geneve',
      { handle: '@marco_b', name: 'Marco Bellini' },
      'Ma valise est perdue à Genève depuis deux jours, écrivez-moi à marco.bellini@mail.example',
      'Bonjour Marco, votre valise a été retrouvée et sera livrée demain à votre adresse. Léa',
    );
    await pastCase(
      'fauteuil',
      { handle: '@jeanne_dupuis', name: 'Jeanne Dupuis' },
      'Puis-je voyager avec un fauteuil roulant électrique sur le vol Paris-Nice ?',
      'Bonjour Jeanne, oui : signalez-le 48 h avant le départ et nous préparons l’assistance. Léa',
    );
    // The replies leave through the sandbox network before the baseline is taken.
    const end = Date.now() + 15_000;
    for (;;) {
      const r = await pool.query<{ n: number }>(`select count(*)::int as n from outbox where status = 'sent'`);
      if (r.rows[0]!.n >= 3) break;
      if (Date.now() > end) throw new Error('replies not sent');
      await new Promise((res) => setTimeout(res, 50));
    }
  });

  afterAll(async () => {
    await s?.close();
  });

  it('starts a session, anonymizes every replay and hides the reference until answered', async () => {
    const before = await realWork();
    const counts = await s.request('GET', '/api/v1/cases/counts', { cookie: cookie.lea });
    const summary = await s.request('GET', '/api/v1/reports/summary', { cookie: cookie.marie });
    expect(counts.status).toBe(200);
    expect(summary.status).toBe(200);

    const started = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.marie,
      body: { community_id: fr, person_id: id.sophie, count: 5 },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ person: { id: id.sophie }, community: { id: fr }, items: 3, answered: 0 });
    sessionId = started.body.id;

    const session = await s.request('GET', `/api/v1/training/sessions/${sessionId}`, { cookie: cookie.sophie });
    expect(session.status).toBe(200);
    items = session.body.item_list;
    expect(items.map((i) => i.position)).toEqual([1, 2, 3]);

    // Nothing personal in what is stored, and never the past case's id in what is shown.
    const stored = await db().pool.query<{ thread: unknown; contact: unknown; reference_text: string }>(
      'select thread, contact, reference_text from training_items where session_id = $1',
      [sessionId],
    );
    const all = JSON.stringify(stored.rows);
    for (const p of PERSONAL) expect(all, p).not.toContain(p);
    expect(all).toContain('TRN001');
    expect(all).toContain('customer1@example.invalid');
    expect(all).toContain('Bonjour Customer A');

    const item = await s.request('GET', `/api/v1/training/items/${items[0]!.id}`, { cookie: cookie.sophie });
    expect(item.status).toBe(200);
    expect(item.body.reference_text).toBeNull();
    expect(item.body.answer).toBeNull();
    expect(JSON.stringify(item.body)).not.toContain('source_case');
    for (const c of cases) expect(JSON.stringify(item.body)).not.toContain(`"${c}"`);
    expect(item.body.thread[0]).toMatchObject({ direction: 'in', author: expect.stringMatching(/^@customer-/) });
    expect(item.body.opened_at).not.toBeNull();

    // Starting a session changed nothing of real work.
    expect(await realWork()).toEqual(before);
  });

  it('judges a draft exactly as a real reply would be judged (dry run)', async () => {
    const row = await db().pool.query<{ id: number; source_case_id: number }>(
      'select id, source_case_id from training_items where session_id = $1 order by position',
      [sessionId],
    );
    for (const text of [
      'Bonjour {{contact.name}}, nous regardons cela tout de suite.',
      'VOUS AVEZ TORT, C’EST VOTRE FAUTE',
      'Écrivez-nous à service@airsocial.example ou au 01 23 45 67 89',
    ]) {
      for (const r of row.rows) {
        const training = await s.request('POST', `/api/v1/training/items/${r.id}/check`, {
          cookie: cookie.sophie,
          body: { text },
        });
        const real = await s.request('POST', `/api/v1/cases/${r.source_case_id}/check-reply`, {
          cookie: cookie.sophie,
          body: { text },
        });
        expect(training.status).toBe(200);
        expect(real.status).toBe(200);
        expect(training.body).toEqual(real.body);
      }
    }
    // Sophie is a trainee: every answer would need an approval, for the reason the policy gives.
    const one = await s.request('POST', `/api/v1/training/items/${row.rows[0]!.id}/check`, {
      cookie: cookie.sophie,
      body: { text: 'Bonjour, nous regardons cela.' },
    });
    expect(one.body.approval).toMatchObject({ required: 1, rule: { id: 'trainees' } });
    expect(one.body.autonomy).toBe('trainee');
  });

  it('answers with a canned reply, reveals the reference, records time, assessments and scores', async () => {
    const canned = await s.request('GET', `/api/v1/canned-replies?community_id=${fr}`, { cookie: cookie.sophie });
    const fromCanned = (canned.body as { id: number; language: string }[]).find((r) => r.language === 'fr')!;
    const rendered = await s.request('POST', `/api/v1/training/items/${items[0]!.id}/render`, {
      cookie: cookie.sophie,
      body: { canned_reply_id: fromCanned.id },
    });
    expect(rendered.status, JSON.stringify(rendered.body)).toBe(200);
    expect(rendered.body.variables.unknown).toEqual([]);
    // Times to answer of 60, 120 and 300 seconds: the median is 120.
    const pool = db().pool;
    for (const [i, seconds] of [60, 120, 300].entries()) {
      await pool.query(`update training_items set opened_at = now() - make_interval(secs => $2) where id = $1`, [
        items[i]!.id,
        seconds,
      ]);
    }
    const answered = await s.request('POST', `/api/v1/training/items/${items[0]!.id}/answer`, {
      cookie: cookie.sophie,
      body: { text: rendered.body.text, canned_reply_id: fromCanned.id, acknowledge_warnings: true },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.reference_text).toContain('Customer A');
    expect(answered.body.answer).toMatchObject({ canned_reply_id: fromCanned.id, needs_approval: true });
    expect(answered.body.answer.seconds_to_answer).toBeGreaterThanOrEqual(60);
    expect(answered.body.answer.seconds_to_answer).toBeLessThan(70);

    // A warning must be acknowledged, a block refuses the answer, as for a real reply.
    const shouting = 'VOUS AVEZ TORT, C’EST VOTRE FAUTE';
    const warned = await s.request('POST', `/api/v1/training/items/${items[1]!.id}/answer`, {
      cookie: cookie.sophie,
      body: { text: shouting },
    });
    expect(warned.status).toBe(409);
    expect(warned.body.error).toBe('guideline_warning');
    const blocked = await s.request('POST', `/api/v1/training/items/${items[1]!.id}/answer`, {
      cookie: cookie.sophie,
      body: { text: 'Appelez le 01 23 45 67 89', acknowledge_warnings: true },
    });
    expect(blocked.status).toBe(422);
    const second = await s.request('POST', `/api/v1/training/items/${items[1]!.id}/answer`, {
      cookie: cookie.sophie,
      body: { text: shouting, acknowledge_warnings: true },
    });
    expect(second.status).toBe(200);
    const warnings = (second.body.answer.verdict.findings as { severity: string }[]).filter(
      (f) => f.severity === 'warn',
    ).length;
    expect(warnings).toBeGreaterThan(0);
    const third = await s.request('POST', `/api/v1/training/items/${items[2]!.id}/answer`, {
      cookie: cookie.sophie,
      body: { text: 'Bonjour, oui, signalez-le 48 heures avant votre départ et nous organisons l’assistance.' },
    });
    expect(third.status).toBe(200);
    const again = await s.request('POST', `/api/v1/training/items/${items[2]!.id}/answer`, {
      cookie: cookie.sophie,
      body: { text: 'encore' },
    });
    expect(again.status).toBe(409);

    expect(
      (
        await s.request('POST', `/api/v1/training/items/${items[0]!.id}/self-assessment`, {
          cookie: cookie.sophie,
          body: { score: 4 },
        })
      ).body.self_assessment,
    ).toBe(4);
    // Sophie cannot score herself; Anna (approver) leads no training; Marie and Léa (manager of fr) may.
    for (const who of ['sophie', 'anna']) {
      const r = await s.request('POST', `/api/v1/training/items/${items[0]!.id}/score`, {
        cookie: cookie[who],
        body: { score: 5 },
      });
      expect(r.status, who).toBeGreaterThanOrEqual(403);
    }
    const scored = await s.request('POST', `/api/v1/training/items/${items[0]!.id}/score`, {
      cookie: cookie.marie,
      body: { score: 3, comment: 'Personnaliser davantage.' },
    });
    expect(scored.body).toMatchObject({ leader_score: 3, leader_comment: 'Personnaliser davantage.' });
    const scored2 = await s.request('POST', `/api/v1/training/items/${items[1]!.id}/score`, {
      cookie: cookie.lea,
      body: { score: 5 },
    });
    expect(scored2.status).toBe(200);

    const done = await s.request('GET', `/api/v1/training/sessions/${sessionId}`, { cookie: cookie.sophie });
    expect(done.body).toMatchObject({ answered: 3 });
    expect(done.body.completed_at).not.toBeNull();

    // Léa practises one replay herself: a manager of standard autonomy, her routine answer needs no approval.
    const lea = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.lea,
      body: { community_id: fr, count: 1 },
    });
    expect(lea.status).toBe(201);
    const leaItems = await s.request('GET', `/api/v1/training/sessions/${lea.body.id}`, { cookie: cookie.lea });
    const leaAnswer = await s.request('POST', `/api/v1/training/items/${leaItems.body.item_list[0].id}/answer`, {
      cookie: cookie.lea,
      body: { text: 'Bonjour, nous regardons votre demande et revenons vers vous très vite.' },
    });
    expect(leaAnswer.status).toBe(200);
    expect(leaAnswer.body.answer.needs_approval).toBe(false);

    // One quality review of a real reply of Sophie's (75/100): the overview shows it beside her practice.
    const orgId = s.ctx.directory().orgId;
    const realCase = await db().pool.query<{ id: number }>(
      'select id from cases where community_id = $1 order by id limit 1',
      [fr],
    );
    const reply = await db().pool.query<{ id: number }>(
      `insert into messages (org_id, channel, case_id, direction, kind, text, person_id, created_at)
       values ($1, 'sandbox', $2, 'out', 'reply', 'Bonjour, c’est réglé.', $3, now() - interval '2 days') returning id`,
      [orgId, realCase.rows[0]!.id, id.sophie],
    );
    await db().pool.query(
      `insert into qa_reviews (org_id, message_id, case_id, community_id, author_id, reviewer_id, scores, overall_score)
       values ($1, $2, $3, $4, $5, $6, '[]', 75)`,
      [orgId, reply.rows[0]!.id, realCase.rows[0]!.id, fr, id.sophie, id.marie],
    );

    // The overview, by hand: Sophie answered 3 (all needing approval, a trainee), the warnings of one answer,
    // median 120 s, scores 3 and 5.
    const overview = await s.request('GET', '/api/v1/training/overview', { cookie: cookie.marie });
    expect(overview.status).toBe(200);
    const sophie = overview.body.find((p: { person_id: number }) => p.person_id === id.sophie);
    expect(sophie).toMatchObject({
      sessions: 1,
      items: 3,
      answered: 3,
      needing_approval: 3,
      approval_share: 1,
      guideline_warnings: warnings,
      answers_with_warnings: 1,
      leader_scores: 2,
      leader_score_avg: 4,
      self_assessment_avg: 4,
      backs_up: [],
      qa_reviews: 1,
      qa_mean_score: 75,
    });
    expect(sophie.median_seconds_to_answer).toBeGreaterThanOrEqual(120);
    expect(sophie.median_seconds_to_answer).toBeLessThan(130);
    expect(sophie.practised.reduce((n: number, p: { answered: number }) => n + p.answered, 0)).toBe(3);
    expect(sophie.practised.every((p: { community_id: number }) => p.community_id === fr)).toBe(true);
    const leaRow = overview.body.find((p: { person_id: number }) => p.person_id === id.lea);
    expect(leaRow).toMatchObject({
      sessions: 1,
      answered: 1,
      needing_approval: 0,
      approval_share: 0,
      qa_reviews: 0,
      qa_mean_score: null,
    });

    // The shortcut: Marie makes Sophie Léa's backup (the coverage route); the overview shows it.
    const put = await s.request('PUT', `/api/v1/people/${id.lea}/backups`, {
      cookie: cookie.marie,
      body: { backup_ids: [id.sophie] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const after = await s.request('GET', '/api/v1/training/overview', { cookie: cookie.marie });
    expect(after.body.find((p: { person_id: number }) => p.person_id === id.sophie).backs_up).toEqual([
      { person_id: id.lea, name: 'Léa Martin' },
    ]);

    const actions = await pool.query<{ action: string }>(
      `select action from audit_events where action like 'training.%' order by id`,
    );
    expect(actions.rows.map((r) => r.action)).toEqual([
      'training.session_started',
      'training.answered',
      'training.answered',
      'training.answered',
      'training.scored',
      'training.scored',
      'training.session_started',
      'training.answered',
    ]);
  });

  it('keeps sessions to their trainee and their community’s training leads', async () => {
    const item = items[0]!.id;
    // Jonas manages the German desk, Anna approves in fr but leads no training, Marc is an expert: not theirs.
    for (const who of ['jonas', 'anna', 'marc']) {
      expect((await s.request('GET', `/api/v1/training/items/${item}`, { cookie: cookie[who] })).status, who).toBe(404);
      expect(
        (await s.request('GET', `/api/v1/training/sessions/${sessionId}`, { cookie: cookie[who] })).status,
        who,
      ).toBe(404);
    }
    expect((await s.request('GET', `/api/v1/training/items/${item}`, { cookie: cookie.lea })).status).toBe(200);
    // Only the trainee answers or checks drafts.
    const byLea = await s.request('POST', `/api/v1/training/items/${item}/check`, {
      cookie: cookie.lea,
      body: { text: 'Bonjour' },
    });
    expect(byLea.status).toBe(403);
    const jonasList = await s.request('GET', '/api/v1/training/sessions', { cookie: cookie.jonas });
    expect(jonasList.body).toEqual([]);
    const jonasOverview = await s.request('GET', '/api/v1/training/overview', { cookie: cookie.jonas });
    expect(jonasOverview.body).toEqual([]);
    expect((await s.request('GET', '/api/v1/training/overview', { cookie: cookie.sophie })).status).toBe(403);
    const sophieList = await s.request('GET', '/api/v1/training/sessions', { cookie: cookie.sophie });
    expect(sophieList.body.map((x: { id: number }) => x.id)).toEqual([sessionId]);
    // Sophie may not start a session for someone else, nor practise on a desk she does not work on.
    const forLea = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.sophie,
      body: { community_id: fr, person_id: id.lea },
    });
    expect(forLea.status).toBe(403);
    const it = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.sophie,
      body: { community_id: it_ },
    });
    expect(it.status).toBe(403);
    // A viewer does not answer customers, so is not trained; a desk without history has nothing to replay.
    const viewer = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.marie,
      body: { community_id: fr, person_id: id.paul },
    });
    expect(viewer.status).toBe(400);
    const empty = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.marie,
      body: { community_id: it_ },
    });
    expect(empty.status).toBe(409);
    expect(empty.body.error).toBe('no_replays');
    const topic = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.marie,
      body: { community_id: fr, topic: 'no-such-topic' },
    });
    expect(topic.status).toBe(409);
    const bad = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.marie,
      body: { community_id: fr, count: 0 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('count');
    const replays = await s.request('GET', `/api/v1/training/replays?community_id=${fr}`, { cookie: cookie.sophie });
    expect(replays.body).toEqual([
      {
        community: { id: fr, name: expect.any(String), slug: 'airsocial-fr' },
        available: 3,
        topics: expect.any(Array),
      },
    ]);
  });

  it('leaves real work untouched after a whole session: counts, reports, search, networks', async () => {
    const before = await realWork();
    const counts = await s.request('GET', '/api/v1/cases/counts', { cookie: cookie.lea });
    const summary = await s.request('GET', '/api/v1/reports/summary', { cookie: cookie.marie });
    // Another full session, answered: Marie trains Sophie again.
    const started = await s.request('POST', '/api/v1/training/sessions', {
      cookie: cookie.marie,
      body: { community_id: fr, person_id: id.sophie, count: 3 },
    });
    expect(started.status).toBe(201);
    const list = await s.request('GET', `/api/v1/training/sessions/${started.body.id}`, { cookie: cookie.sophie });
    for (const item of list.body.item_list) {
      await s.request('GET', `/api/v1/training/items/${item.id}`, { cookie: cookie.sophie });
      const r = await s.request('POST', `/api/v1/training/items/${item.id}/answer`, {
        cookie: cookie.sophie,
        body: { text: 'Bonjour {{contact.name}}, nous nous occupons de votre demande aujourd’hui même.' },
      });
      expect(r.status).toBe(200);
    }
    // Give the outbox and webhook workers time to pick up anything that might have been queued.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await realWork()).toEqual(before);
    expect((await s.request('GET', '/api/v1/cases/counts', { cookie: cookie.lea })).body).toEqual(counts.body);
    const again = await s.request('GET', '/api/v1/reports/summary', { cookie: cookie.marie });
    expect(again.body.kpis).toEqual(summary.body.kpis);
    const search = await s.request('GET', '/api/v1/cases?q=Customer&status=all', { cookie: cookie.marie });
    expect(search.status).toBe(200);
    expect(search.body.items ?? search.body.cases ?? []).toEqual([]);
  });
});

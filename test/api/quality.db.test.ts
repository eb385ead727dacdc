import { afterAll, beforeAll, expect, it } from 'vitest';
import { qaScores } from '../../src/domain/quality/scores.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Quality review through the API: which sent replies a sample may draw (sent, written by a person, not automatic,
 * in the community and period, never reviewed), reproducible draws from a seed, stratification by author, the
 * review's computed score, the author's notification and feedback, scores per person and community computed by
 * hand, and who may do what.
 */
describeEachDatabase('quality review', (db) => {
  let s: TestServer;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};
  let fr = 0;
  let de = 0;
  let frAccount = 0;
  let deAccount = 0;
  let seq = 0;
  const DAY = 86_400_000;
  const now = Date.now();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const iso = (d: Date) => d.toISOString();

  async function newCase(account: string, text: string): Promise<number> {
    seq++;
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', external_id: `qa-${seq}`, account, author: { handle: `@qa${seq}` }, text },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    return r.body.case_id;
  }

  /** A reply as stored by the outbox: an outbound message of a person and its outbox row (sent unless told). */
  async function reply(
    caseId: number,
    accountId: number,
    personId: number | null,
    createdAt: Date,
    opts: { kind?: string; status?: string; meta?: Record<string, unknown>; direction?: string } = {},
  ): Promise<number> {
    const pool = db().pool;
    const m = await pool.query<{ id: string }>(
      `insert into messages (org_id, channel, case_id, account_id, direction, kind, author_handle, person_id, text,
         created_at, meta)
       values (1, 'sandbox', $1, $2, $3, $4, '@AirSocial', $5, $6, $7, $8) returning id`,
      [
        caseId,
        accountId,
        opts.direction ?? 'out',
        opts.kind ?? 'reply',
        personId,
        `Réponse ${++seq}`,
        createdAt,
        opts.meta ?? { visibility: 'public' },
      ],
    );
    const messageId = Number(m.rows[0]!.id);
    if (opts.direction !== 'note') {
      await pool.query(
        `insert into outbox (org_id, message_id, case_id, account_id, network, idempotency_key, payload, status)
         values (1, $1, $2, $3, 'sandbox', $4, '{}', $5)`,
        [messageId, caseId, accountId, `qa-${messageId}`, opts.status ?? 'sent'],
      );
    }
    return messageId;
  }

  const sample = (who: string, body: Record<string, unknown>) =>
    s.request('POST', '/api/v1/quality/samples', { cookie: cookie[who], body });

  /** Every criterion rated `rating` except those given. */
  function ratings(card: { id: string }[], given: Record<string, string>, rest = 'pass') {
    return card.map((c) => ({ id: c.id, rating: given[c.id] ?? rest }));
  }

  // Fixture: replies in the fr community by Léa (4), Anna (1), Marie (1) within the last 10 days; excluded ones.
  const included: number[] = [];
  const lea: number[] = [];
  let anna = 0;
  let marie = 0;
  let excluded: Record<string, number> = {};
  let frCase = 0;
  let card: { id: string; label: string; kind: string }[] = [];

  beforeAll(async () => {
    s = await startTestServer(db().url);
    const pool = db().pool;
    for (const p of (await pool.query<{ id: number; email: string }>('select id, email from people')).rows)
      id[p.email.split('@')[0]!] = p.id;
    for (const who of ['marie', 'lea', 'anna', 'jonas', 'paul', 'sophie']) {
      cookie[who] = await s.login(`${who}@airsocial.example`);
    }
    const c = await pool.query<{ id: number; slug: string }>('select id, slug from communities');
    fr = c.rows.find((r) => r.slug === 'airsocial-fr')!.id;
    de = c.rows.find((r) => r.slug === 'airsocial-de')!.id;
    const a = await pool.query<{ id: number; community_id: number }>(
      `select id, community_id from channel_accounts where kind = 'account'`,
    );
    frAccount = a.rows.find((r) => r.community_id === fr)!.id;
    deAccount = a.rows.find((r) => r.community_id === de)!.id;
    // A known scorecard: one guideline for the fr community, one for another community only.
    const gov = await s.request('PUT', '/api/v1/governance/policy', {
      cookie: cookie.marie,
      body: {
        note: 'quality test',
        policy: {
          autonomy: [],
          approvals: [],
          guidelines: [
            { id: 'rivals', kind: 'terms', severity: 'warn', terms: ['SkyRival'], communities: ['airsocial-fr'] },
            { id: 'caps', kind: 'all_caps', severity: 'warn', communities: ['airsocial-de'] },
          ],
        },
      },
    });
    expect(gov.status, JSON.stringify(gov.body)).toBe(200);

    frCase = await newCase('@AirSocial', 'Bonjour, ma réservation a disparu');
    const deCase = await newCase('@AirSocialDE', 'Hallo, mein Koffer fehlt');
    for (const d of [1, 2, 3, 4]) lea.push(await reply(frCase, frAccount, id.lea!, at(d)));
    anna = await reply(frCase, frAccount, id.anna!, at(5));
    marie = await reply(frCase, frAccount, id.marie!, at(6));
    included.push(...lea, anna, marie);
    excluded = {
      autoAck: await reply(frCase, frAccount, null, at(1), { kind: 'auto_ack', meta: { auto_ack: true } }),
      automatic: await reply(frCase, frAccount, id.lea!, at(1), { meta: { automatic: true } }),
      unsent: await reply(frCase, frAccount, id.lea!, at(1), { status: 'failed' }),
      note: await reply(frCase, frAccount, id.lea!, at(1), { direction: 'note', kind: 'note' }),
      old: await reply(frCase, frAccount, id.lea!, at(40)),
      otherCommunity: await reply(deCase, deAccount, id.jonas!, at(1)),
    };
  });
  afterAll(async () => {
    await s?.close();
  });

  const period = () => ({ from: iso(at(10)), to: iso(at(0)) });

  it('draws only sent replies written by people in the community and period, the same for the same seed', async () => {
    const all = await sample('marie', { community_id: fr, ...period(), size: 200, seed: 42 });
    expect(all.status, JSON.stringify(all.body)).toBe(201);
    expect(all.body.seed).toBe(42);
    expect([...all.body.items.map((i: { message_id: number }) => i.message_id)].sort()).toEqual([...included].sort());
    for (const x of Object.values(excluded)) expect(all.body.items.map((i: any) => i.message_id)).not.toContain(x);

    const one = await sample('marie', { community_id: fr, ...period(), size: 3, seed: 7 });
    const again = await sample('marie', { community_id: fr, ...period(), size: 3, seed: 7 });
    expect(one.body.items.map((i: any) => i.message_id)).toEqual(again.body.items.map((i: any) => i.message_id));
    expect(one.body.items).toHaveLength(3);
    // Other seeds draw other samples (at least one of them differs).
    const others = await Promise.all(
      [8, 9, 10, 11].map((seed) => sample('marie', { community_id: fr, ...period(), size: 3, seed })),
    );
    expect(
      others.some(
        (o) =>
          JSON.stringify(o.body.items.map((i: any) => i.message_id)) !==
          JSON.stringify(one.body.items.map((i: any) => i.message_id)),
      ),
    ).toBe(true);
    // Without a seed, one is chosen and returned.
    const fresh = await sample('marie', { community_id: fr, ...period(), size: 1 });
    expect(fresh.body.seed).toBeGreaterThan(0);
    // One person's replies only.
    const onlyLea = await sample('marie', { community_id: fr, person_id: id.lea, ...period(), size: 10, seed: 1 });
    expect(onlyLea.body.items.map((i: any) => i.message_id).sort()).toEqual([...lea].sort());
  });

  it('gives every author at least one item when the size allows it', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const r = await sample('marie', { community_id: fr, ...period(), size: 3, seed });
      const authors = r.body.items.map((i: { author_id: number }) => i.author_id).sort();
      expect(authors, `seed ${seed}`).toEqual([id.lea, id.anna, id.marie].sort());
      // Léa wrote four of the six replies: a size of 2 still takes two different authors.
      const two = await sample('marie', { community_id: fr, ...period(), size: 2, seed });
      expect(new Set(two.body.items.map((i: { author_id: number }) => i.author_id)).size).toBe(2);
    }
  });

  it('refuses a sample naming no valid period or size, naming the field', async () => {
    const r = await sample('marie', { community_id: fr, from: iso(at(1)), to: iso(at(2)), size: 3 });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('from');
    const big = await sample('marie', { community_id: fr, ...period(), size: 201 });
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toContain('size');
  });

  let reviewId = 0;

  it('shows the reply in its case and scores it: 100 × mean points of the rated criteria', async () => {
    const ctx = await s.request('GET', `/api/v1/quality/replies/${lea[0]}`, { cookie: cookie.marie });
    expect(ctx.status, JSON.stringify(ctx.body)).toBe(200);
    card = ctx.body.scorecard;
    expect(card.map((c) => c.id)).toEqual([
      'answered',
      'tone',
      'accuracy',
      'personalization',
      'account_language',
      'guideline:rivals',
    ]);
    expect(ctx.body.reply.author_id).toBe(id.lea);
    expect(
      ctx.body.thread.some((m: any) => m.direction === 'in' && m.text === 'Bonjour, ma réservation a disparu'),
    ).toBe(true);
    expect(ctx.body.thread.filter((m: any) => m.is_reviewed_reply).map((m: any) => m.id)).toEqual([lea[0]]);

    // Missing a criterion, an unknown criterion: 400 naming the field.
    const missing = await s.request('POST', '/api/v1/quality/reviews', {
      cookie: cookie.marie,
      body: { message_id: lea[0], scores: [{ id: 'tone', rating: 'pass' }], feedback: '' },
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('scores');
    const unknown = await s.request('POST', '/api/v1/quality/reviews', {
      cookie: cookie.marie,
      body: { message_id: lea[0], scores: [...ratings(card, {}), { id: 'guideline:caps', rating: 'pass' }] },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('scores.6.id');

    // pass 1 + partial ½ + fail 0 + pass 1 + (n/a) + pass 1 = 3.5 over 5 rated → 70.
    const r = await s.request('POST', '/api/v1/quality/reviews', {
      cookie: cookie.marie,
      body: {
        message_id: lea[0],
        scores: ratings(card, { tone: 'partial', accuracy: 'fail', account_language: 'na' }).map((x) =>
          x.id === 'accuracy' ? { ...x, comment: 'Le vol du soir est complet.' } : x,
        ),
        feedback: 'Bonne réponse, vérifie les disponibilités avant de proposer un vol.',
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.overall_score).toBe(70);
    expect(r.body.scores.find((x: any) => x.id === 'accuracy')).toMatchObject({
      rating: 'fail',
      comment: 'Le vol du soir est complet.',
      label: 'Accuracy',
    });
    reviewId = r.body.id;
    const twice = await s.request('POST', '/api/v1/quality/reviews', {
      cookie: cookie.marie,
      body: { message_id: lea[0], scores: ratings(card, {}) },
    });
    expect(twice.status).toBe(409);
    // Nobody reviews their own reply; all "not applicable" has no score.
    const own = await s.request('POST', '/api/v1/quality/reviews', {
      cookie: cookie.marie,
      body: { message_id: marie, scores: ratings(card, {}) },
    });
    expect(own.status).toBe(403);
    const none = await s.request('POST', '/api/v1/quality/reviews', {
      cookie: cookie.marie,
      body: { message_id: lea[1], scores: ratings(card, {}, 'na') },
    });
    expect(none.status).toBe(400);
    // A customer's message is not a sent reply.
    const inbound = await db().pool.query<{ id: string }>(
      `select id from messages where case_id = $1 and direction = 'in'`,
      [frCase],
    );
    const notReply = await s.request('GET', `/api/v1/quality/replies/${inbound.rows[0]!.id}`, { cookie: cookie.marie });
    expect(notReply.status).toBe(404);
    // The review is audited without customer text.
    const audit = await db().pool.query(`select data from audit_events where action = 'quality.reviewed'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].data).toMatchObject({ message_id: lea[0], author_id: id.lea, overall_score: 70 });
  });

  it('leaves reviewed replies out of later samples', async () => {
    const r = await sample('marie', { community_id: fr, ...period(), size: 200, seed: 42 });
    const ids = r.body.items.map((i: any) => i.message_id);
    expect(ids).not.toContain(lea[0]);
    expect(ids.sort()).toEqual(included.filter((x) => x !== lea[0]).sort());
    // Earlier samples show the item as reviewed.
    const list = await s.request('GET', '/api/v1/quality/samples', { cookie: cookie.marie });
    const withIt = list.body.items.find((x: any) => x.items.some((i: any) => i.message_id === lea[0]));
    expect(withIt.items.find((i: any) => i.message_id === lea[0]).review).toEqual({ id: reviewId, overall_score: 70 });
  });

  it('notifies the author, who sees the feedback and acknowledges it', async () => {
    const n = await s.request('GET', '/api/v1/notifications', { cookie: cookie.lea });
    const qa = n.body.items.find((x: any) => x.kind === 'qa_feedback');
    expect(qa).toBeDefined();
    expect(qa.data).toMatchObject({ qa_review_id: reviewId, overall_score: 70 });
    const annaNotes = await s.request('GET', '/api/v1/notifications', { cookie: cookie.anna });
    expect(annaNotes.body.items.some((x: any) => x.kind === 'qa_feedback')).toBe(false);

    const mine = await s.request('GET', '/api/v1/quality/feedback', { cookie: cookie.lea });
    expect(mine.status).toBe(200);
    expect(mine.body.unacknowledged).toBe(1);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({
      id: reviewId,
      overall_score: 70,
      reviewer_name: 'Marie Lefèvre',
      feedback: 'Bonne réponse, vérifie les disponibilités avant de proposer un vol.',
      acknowledged_by_author_at: null,
    });
    expect(mine.body.items[0].reply_text).toMatch(/^Réponse /);
    // Anna sees none of Léa's feedback and cannot acknowledge it.
    const other = await s.request('GET', '/api/v1/quality/feedback', { cookie: cookie.anna });
    expect(other.body.items).toEqual([]);
    const stolen = await s.request('POST', `/api/v1/quality/reviews/${reviewId}/acknowledge`, { cookie: cookie.anna });
    expect(stolen.status).toBe(404);
    const ack = await s.request('POST', `/api/v1/quality/reviews/${reviewId}/acknowledge`, { cookie: cookie.lea });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledged_by_author_at).not.toBeNull();
    const after = await s.request('GET', '/api/v1/quality/feedback', { cookie: cookie.lea });
    expect(after.body.unacknowledged).toBe(0);
    // Leaders see the review.
    const reviews = await s.request('GET', `/api/v1/quality/reviews?person_id=${id.lea}`, { cookie: cookie.marie });
    expect(reviews.body.items.map((r: any) => r.id)).toEqual([reviewId]);
    expect(reviews.body.items[0].acknowledged_by_author_at).not.toBeNull();
  });

  it('computes scores per person and community over the period of the replies', async () => {
    // Léa: 70 (above), then all pass = 100, and tone + accuracy failed = 4/6 → 67. Anna: accuracy partial = 5.5/6 → 92.
    const review = async (messageId: number, given: Record<string, string>) => {
      const r = await s.request('POST', '/api/v1/quality/reviews', {
        cookie: cookie.marie,
        body: { message_id: messageId, scores: ratings(card, given) },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.overall_score as number;
    };
    expect(await review(lea[1]!, {})).toBe(100);
    expect(await review(lea[2]!, { tone: 'fail', accuracy: 'fail' })).toBe(67);
    expect(await review(anna, { accuracy: 'partial' })).toBe(92);
    // Jonas's reply in the de community, reviewed: 5 standard + the de guideline; tone failed = 5/6 → 83.
    const deCtx = await s.request('GET', `/api/v1/quality/replies/${excluded.otherCommunity}`, {
      cookie: cookie.marie,
    });
    const deCard = deCtx.body.scorecard;
    expect(deCard.map((c: any) => c.id)).toContain('guideline:caps');
    expect(deCard.map((c: any) => c.id)).not.toContain('guideline:rivals');
    const deReview = await s.request('POST', '/api/v1/quality/reviews', {
      cookie: cookie.marie,
      body: { message_id: excluded.otherCommunity, scores: ratings(deCard, { tone: 'fail' }) },
    });
    expect(deReview.body.overall_score).toBe(83);

    const r = await s.request('GET', `/api/v1/quality/scores?from=${iso(at(10))}&to=${iso(at(0))}`, {
      cookie: cookie.marie,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const person = (pid: number) => r.body.people.find((x: any) => x.person_id === pid);
    // Léa: (70 + 100 + 67) / 3 = 79.0; accuracy failed twice, tone once.
    expect(person(id.lea!)).toMatchObject({ reviews: 3, mean_score: 79 });
    expect(person(id.lea!).most_failed).toEqual([
      { id: 'accuracy', label: 'Accuracy', fails: 2 },
      { id: 'tone', label: 'Tone', fails: 1 },
    ]);
    expect(person(id.anna!)).toMatchObject({ reviews: 1, mean_score: 92, most_failed: [] });
    expect(person(id.jonas!)).toMatchObject({ reviews: 1, mean_score: 83 });
    const community = (cid: number) => r.body.communities.find((x: any) => x.community_id === cid);
    // fr: (70 + 100 + 67 + 92) / 4 = 82.25 → 82.3; de: 83.
    expect(community(fr)).toMatchObject({ reviews: 4, mean_score: 82.3 });
    expect(community(de)).toMatchObject({ reviews: 1, mean_score: 83 });
    expect(r.body.total).toMatchObject({ reviews: 5, mean_score: 82.4 });

    // The period is that of the replies: a period before them has no reviews.
    const before = await s.request('GET', `/api/v1/quality/scores?from=${iso(at(30))}&to=${iso(at(20))}`, {
      cookie: cookie.marie,
    });
    expect(before.body.total).toEqual({ reviews: 0, mean_score: null, most_failed: [] });

    // The function other features call (training shows trainees' scores).
    const direct = await qaScores(db().pool, 1, { personIds: [id.lea!], from: at(10), to: at(0) });
    expect(direct.people).toHaveLength(1);
    expect(direct.total).toMatchObject({ reviews: 3, mean_score: 79 });
    expect(direct.communities).toEqual([expect.objectContaining({ community_id: fr, reviews: 3 })]);

    // The report KPI extension: the same figures with the report's filter.
    const report = await s.request(
      'GET',
      `/api/v1/reports/summary?from=${iso(at(10))}&to=${iso(at(0))}&community=${fr}`,
      {
        cookie: cookie.marie,
      },
    );
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.kpis.extensions.quality.total).toMatchObject({ reviews: 4, mean_score: 82.3 });
  });

  it('lets only leaders sample and review; managers read the scores of their communities; authors their feedback', async () => {
    for (const who of ['lea', 'anna', 'jonas', 'paul', 'sophie']) {
      const r = await sample(who, { community_id: fr, ...period(), size: 3 });
      expect(r.status, who).toBe(403);
      const rv = await s.request('POST', '/api/v1/quality/reviews', {
        cookie: cookie[who],
        body: { message_id: lea[3], scores: ratings(card, {}) },
      });
      expect(rv.status, who).toBe(403);
      expect((await s.request('GET', '/api/v1/quality/reviews', { cookie: cookie[who] })).status, who).toBe(403);
      expect((await s.request('GET', `/api/v1/quality/replies/${lea[3]}`, { cookie: cookie[who] })).status, who).toBe(
        403,
      );
    }
    // Léa (manager of fr) reads fr scores, not de's.
    const leaScores = await s.request('GET', `/api/v1/quality/scores?from=${iso(at(10))}&to=${iso(at(0))}`, {
      cookie: cookie.lea,
    });
    expect(leaScores.status).toBe(200);
    expect(leaScores.body.communities.map((c: any) => c.community_id)).toEqual([fr]);
    expect(leaScores.body.people.map((p: any) => p.person_id)).not.toContain(id.jonas);
    const deForLea = await s.request('GET', `/api/v1/quality/scores?community_id=${de}`, { cookie: cookie.lea });
    expect(deForLea.status).toBe(404);
    // Viewers, backups and approvers read no scores; tokens nothing at all.
    for (const who of ['paul', 'sophie', 'anna'])
      expect((await s.request('GET', '/api/v1/quality/scores', { cookie: cookie[who] })).status, who).toBe(403);
    expect((await s.request('GET', '/api/v1/quality/feedback', { token: s.token })).status).toBe(403);
    expect((await s.request('GET', '/api/v1/quality/feedback')).status).toBe(401);
  });
});

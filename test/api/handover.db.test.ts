import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonPrincipal } from '../../src/domain/access/principal.ts';
import { ensureFirstBriefs, generateNow, runHandovers } from '../../src/domain/handover/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface Received {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * Handover briefs through the API: the generated content against a hand-built community (cases at every SLA
 * risk, consults, a promise in a reply, a crisis), idempotent generation, the outgoing shift's edits, publication
 * to the next shift with its email, acknowledgements, who may do what; and the timer at a shift change.
 */
describeEachDatabase('handover briefs', (db) => {
  const received: Received[] = [];
  let smtp: SMTPServer;
  let s: TestServer;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};
  const cases: Record<string, number> = {};
  let fr = 0;
  let de = 0;
  let briefId = 0;
  const promise = 'Je reviens vers vous demain avec la réponse de l’escale.';

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000) {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function newCase(key: string, text: string): Promise<number> {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: `handover-${key}`,
        account: '@AirSocial',
        author: { handle: `@${key}` },
        text,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    return r.body.case_id;
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (mail) => {
            received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    s = await startTestServer(db().url, {
      PASSEUR_SLA_SWEEP_MS: '0',
      PASSEUR_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      PASSEUR_PUBLIC_URL: 'https://care.airsocial.example',
    });
    const pool = db().pool;
    for (const p of (await pool.query<{ id: number; email: string }>('select id, email from people')).rows)
      id[p.email.split('@')[0]!] = p.id;
    for (const who of ['lea', 'sophie', 'anna', 'paul', 'jonas', 'marc', 'marie'])
      cookie[who] = await s.login(`${who}@airsocial.example`);
    const c = await pool.query<{ id: number; slug: string }>('select id, slug from communities');
    fr = c.rows.find((r) => r.slug === 'airsocial-fr')!.id;
    de = c.rows.find((r) => r.slug === 'airsocial-de')!.id;
    // In the fr community only Sophie has shifts (every day 07:00–21:00): whatever the time of the run, the next
    // handover brings her on duty, so she is the next shift of a brief made now.
    await pool.query(`update people set schedule = '[]' where id = $1`, [id.lea]);
    await pool.query(`update people set schedule = $2 where id = $1`, [
      id.sophie,
      JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], from: '07:00', to: '21:00' }]),
    ]);

    cases.breached = await newCase('breached', 'Mon vol AS1234 est annulé, personne ne répond !');
    cases.atRisk = await newCase('at-risk', 'Ma valise n’est pas arrivée à Genève.');
    cases.ok = await newCase('ok', 'Puis-je voyager avec un fauteuil roulant électrique ?');
    cases.waiting = await newCase('waiting', 'Bonjour, où trouver ma facture ?');
    // Léa answers two cases: one reply promises something, the other does not.
    for (const [caseId, text] of [
      [cases.ok, `Bonjour, merci pour votre message. ${promise}`],
      [cases.waiting, 'Votre facture est dans votre espace client, rubrique Réservations.'],
    ] as const) {
      const r = await s.request('POST', `/api/v1/cases/${caseId}/replies`, {
        cookie: cookie.lea,
        body: { text, acknowledge_warnings: true },
      });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    }
    await waitFor('the replies sent', async () => {
      const r = await pool.query(`select 1 from outbox where status = 'sent'`);
      return (r.rowCount ?? 0) >= 2 ? true : undefined;
    });
    // Consults: one overdue, one due in two hours.
    for (const [caseId, question] of [
      [cases.breached, 'Peut-on rebooker sur le vol du soir ?'],
      [cases.ok, 'Fauteuil électrique sur l’ATR ?'],
    ] as const) {
      const r = await s.request('POST', `/api/v1/cases/${caseId}/consults`, {
        cookie: cookie.lea,
        body: { expert_person_id: id.marc, question, due_in_minutes: 120 },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    await pool.query(`update consults set due_at = now() - interval '10 minutes' where case_id = $1`, [cases.breached]);
    // The clocks, set by hand: breached, at risk, on time, and none running (waiting for the customer).
    const minutes = (m: number) => new Date(Date.now() + m * 60_000);
    const clocks = `update cases set first_response_due_at = $2, next_response_due_at = null, resolution_due_at = $3,
      sla_paused_at = null where id = $1`;
    await pool.query(clocks, [cases.breached, minutes(-30), minutes(600)]);
    await pool.query(clocks, [cases.atRisk, minutes(20), minutes(600)]);
    await pool.query(clocks, [cases.ok, minutes(-60), minutes(300)]);
    await pool.query(
      `update cases set status = 'waiting_customer', sla_paused_at = now(), next_response_due_at = null where id = $1`,
      [cases.waiting],
    );
    await pool.query(
      `insert into crises (org_id, title, playbook, community_ids, status)
       values ($1, 'Nuage de cendres', '{}', $2, 'active')`,
      [s.ctx.directory().orgId, [fr]],
    );
    // An incident raised from the breached case (Quality's backlog).
    const incident = await pool.query<{ id: number }>(
      `insert into incidents (org_id, title, status) values ($1, 'Cartes d’embarquement perdues', 'investigating') returning id`,
      [s.ctx.directory().orgId],
    );
    await pool.query('insert into incident_cases (incident_id, case_id, org_id) values ($1, $2, $3)', [
      incident.rows[0]!.id,
      cases.breached,
      s.ctx.directory().orgId,
    ]);
  }, 120_000);

  afterAll(async () => {
    await s?.close();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  it('generates the brief: cases by SLA risk, waiting consults, promises, incidents, counts', async () => {
    const r = await s.request('POST', `/api/v1/communities/${fr}/handover`, { cookie: cookie.lea });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const b = r.body;
    briefId = b.id;
    expect(b).toMatchObject({
      status: 'draft',
      trigger: 'manual',
      community: { id: fr },
      incoming: [{ id: id.sophie }],
    });
    expect(b.sections.cases.map((c: { case_id: number; risk: string }) => [c.case_id, c.risk])).toEqual([
      [cases.breached, 'breached'],
      [cases.atRisk, 'at_risk'],
      [cases.ok, 'ok'],
      [cases.waiting, 'none'],
    ]);
    expect(b.sections.cases[0].minutes_left).toBeLessThanOrEqual(-29);
    expect(b.sections.cases[0].subject).toBe('Mon vol AS1234 est annulé, personne ne répond !');
    expect(
      b.sections.consults.map((k: { case_id: number; overdue: boolean; expert: string }) => [
        k.case_id,
        k.overdue,
        k.expert,
      ]),
    ).toEqual([
      [cases.breached, true, 'Marc Girard'],
      [cases.ok, false, 'Marc Girard'],
    ]);
    expect(b.sections.promises).toHaveLength(1);
    expect(b.sections.promises[0]).toMatchObject({
      case_id: cases.ok,
      kind: 'follow_up',
      sentence: promise,
      deadline: 'demain',
      author: 'Léa Martin',
      overdue: false,
    });
    expect(b.sections.incidents).toEqual([
      expect.objectContaining({
        kind: 'incident',
        title: 'Cartes d’embarquement perdues',
        status: 'investigating',
        cases: 1,
      }),
      expect.objectContaining({ kind: 'crisis', title: 'Nuage de cendres', status: 'active' }),
    ]);
    expect(b.counts).toMatchObject({
      received: 4,
      answered: 2,
      new_cases: 4,
      resolved: 0,
      open: 4,
      breached: 1,
      at_risk: 1,
      consults_waiting: 2,
    });
  });

  it('generates once per period: again, it brings the same draft up to date', async () => {
    const again = await s.request('POST', `/api/v1/communities/${fr}/handover`, { cookie: cookie.sophie });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(briefId);
    const n = await db().pool.query('select id from handover_briefs where community_id = $1', [fr]);
    expect(n.rows).toHaveLength(1);
  });

  it('lets the outgoing shift edit the draft, and refuses others', async () => {
    const edit = await s.request('PATCH', `/api/v1/handover/${briefId}`, {
      cookie: cookie.lea,
      body: {
        note: 'Escale de Genève saturée <b>ce soir</b> : prévenir Marc si besoin.',
        items: {
          [`case:${cases.waiting}`]: { hidden: true },
          [`case:${cases.breached}`]: { comment: 'Client très remonté, rappeler avant 9 h.' },
        },
      },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    // Léa may still edit: she sees the hidden case, marked.
    const waiting = edit.body.sections.cases.find((c: { case_id: number }) => c.case_id === cases.waiting);
    expect(waiting.hidden).toBe(true);
    expect(edit.body.sections.cases[0].comment).toBe('Client très remonté, rappeler avant 9 h.');

    const unknown = await s.request('PATCH', `/api/v1/handover/${briefId}`, {
      cookie: cookie.lea,
      body: { items: { 'case:999999': { hidden: true } } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('items.case:999999');
    // A viewer reads but does not edit; Jonas does not work in fr (the brief does not exist for him); an expert
    // has no inbox.
    expect((await s.request('GET', `/api/v1/handover/${briefId}`, { cookie: cookie.paul })).status).toBe(200);
    expect(
      (await s.request('PATCH', `/api/v1/handover/${briefId}`, { cookie: cookie.paul, body: { note: 'x' } })).status,
    ).toBe(403);
    expect((await s.request('GET', `/api/v1/handover/${briefId}`, { cookie: cookie.jonas })).status).toBe(404);
    expect((await s.request('POST', `/api/v1/communities/${fr}/handover`, { cookie: cookie.jonas })).status).toBe(404);
    expect((await s.request('POST', `/api/v1/communities/${fr}/handover`, { cookie: cookie.paul })).status).toBe(403);
    expect((await s.request('GET', `/api/v1/handover/${briefId}`, { cookie: cookie.marc })).status).toBe(404);
    expect((await s.request('GET', `/api/v1/handover/${briefId}`, { token: s.token })).status).toBe(403);
    // A draft is not acknowledged.
    expect((await s.request('POST', `/api/v1/handover/${briefId}/acknowledge`, { cookie: cookie.sophie })).status).toBe(
      409,
    );
  });

  it('publishes to the next shift, who is notified and emailed the brief', async () => {
    const pub = await s.request('POST', `/api/v1/handover/${briefId}/publish`, { cookie: cookie.lea });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body).toMatchObject({ status: 'published', published_by: { id: id.lea } });
    // Once published, hidden items are gone for everyone and nothing can be edited.
    expect(pub.body.sections.cases.map((c: { case_id: number }) => c.case_id)).not.toContain(cases.waiting);
    expect(
      (await s.request('PATCH', `/api/v1/handover/${briefId}`, { cookie: cookie.lea, body: { note: 'x' } })).status,
    ).toBe(409);
    expect((await s.request('POST', `/api/v1/handover/${briefId}/publish`, { cookie: cookie.lea })).status).toBe(409);

    const notified = await db().pool.query<{ person_id: number; kind: string; data: { handover_id: number } }>(
      `select person_id, kind, data from notifications where kind = 'handover'`,
    );
    expect(notified.rows.map((n) => [n.person_id, n.data.handover_id])).toEqual([[id.sophie, briefId]]);
    const mail = await waitFor('the brief by email', () =>
      received.find((m) => m.to.includes('sophie@airsocial.example')),
    );
    expect(mail.subject).toMatch(/^\[Passeur\] Passation : AirSocial · FR|^\[Passeur\] Passation : /);
    expect(mail.text).toContain('Léa Martin a publié la passation');
    expect(mail.text).toContain('Escale de Genève saturée <b>ce soir</b>');
    expect(mail.text).toContain(`"${promise}"`);
    expect(mail.text).toContain('échéance : demain');
    expect(mail.text).toContain('Commentaire : Client très remonté');
    expect(mail.text).toContain('Nuage de cendres');
    expect(mail.text).toContain('Incident « Cartes d’embarquement perdues » (en cours d’analyse), 1 dossier(s) ici');
    expect(mail.text).toContain(`https://care.airsocial.example/handover/${briefId}`);
    // The hidden case is not in the email.
    expect(mail.text).not.toContain('où trouver ma facture');
    // HTML: the note's markup is text, escaped.
    expect(mail.html).toContain('&lt;b&gt;ce soir&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>ce soir</b>');
  });

  it('is acknowledged by the next shift, once per person, never by its publisher', async () => {
    const list = await s.request('GET', '/api/v1/handover', { cookie: cookie.sophie });
    expect(list.status).toBe(200);
    expect(list.body.awaiting).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id: briefId, status: 'published', awaiting_me: true });

    expect((await s.request('POST', `/api/v1/handover/${briefId}/acknowledge`, { cookie: cookie.lea })).status).toBe(
      403,
    );
    expect((await s.request('POST', `/api/v1/handover/${briefId}/acknowledge`, { cookie: cookie.paul })).status).toBe(
      403,
    );
    const ack = await s.request('POST', `/api/v1/handover/${briefId}/acknowledge`, { cookie: cookie.sophie });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: { id: id.sophie },
      can: { acknowledge: false },
    });
    // Again: nothing new. Anna (also in fr) acknowledges too; the brief stays acknowledged by Sophie first.
    expect((await s.request('POST', `/api/v1/handover/${briefId}/acknowledge`, { cookie: cookie.sophie })).status).toBe(
      200,
    );
    const anna = await s.request('POST', `/api/v1/handover/${briefId}/acknowledge`, { cookie: cookie.anna });
    expect(anna.body.acknowledged_by).toEqual({ id: id.sophie, name: 'Sophie Laurent' });
    expect(anna.body.acknowledgements.map((a: { person: { id: number } }) => a.person.id)).toEqual([
      id.sophie,
      id.anna,
    ]);
    expect((await s.request('GET', '/api/v1/handover', { cookie: cookie.sophie })).body.awaiting).toBe(0);

    const audit = await db().pool.query<{ action: string; actor_person_id: number }>(
      `select action, actor_person_id from audit_events where subject_type = 'handover_brief' and subject_id = $1 order by id`,
      [String(briefId)],
    );
    expect(audit.rows.map((a) => [a.action, a.actor_person_id])).toEqual([
      ['handover.generated', id.lea],
      ['handover.regenerated', id.sophie],
      ['handover.edited', id.lea],
      ['handover.published', id.lea],
      ['handover.acknowledged', id.sophie],
      ['handover.acknowledged', id.anna],
    ]);
  });

  it('keeps no customer text of its own: erasing a customer reaches the brief', async () => {
    const stored = await db().pool.query<{ content: string }>(
      'select content::text as content from handover_briefs where id = $1',
      [briefId],
    );
    expect(stored.rows[0]!.content).not.toContain('fauteuil');
    expect(stored.rows[0]!.content).not.toContain('Je reviens vers vous');
    const contact = await db().pool.query<{ contact_id: number }>('select contact_id from cases where id = $1', [
      cases.ok,
    ]);
    const erase = await s.request('POST', `/api/v1/contacts/${contact.rows[0]!.contact_id}/erase`, {
      cookie: cookie.marie,
    });
    expect(erase.status, JSON.stringify(erase.body)).toBeLessThan(300);
    const b = (await s.request('GET', `/api/v1/handover/${briefId}`, { cookie: cookie.sophie })).body;
    expect(b.sections.cases.find((c: { case_id: number }) => c.case_id === cases.ok).subject).toBe('');
    expect(b.sections.promises).toEqual([]);
    expect(JSON.stringify(b)).not.toContain('fauteuil');
  });

  it('at a shift change: the draft before the handover, published at it to the arriving shift, once', async () => {
    const pool = db().pool;
    // Jonas chose not to receive handover briefs by email: he is notified in the app only.
    await pool.query(`update people set notify = '{"email": ["assigned"]}' where id = $1`, [id.jonas]);
    const deps = { pool, directory: s.ctx.directory() };
    const deBriefs = async () =>
      (
        await pool.query<{ id: number; status: string; period_to: Date; incoming_ids: number[]; trigger: string }>(
          'select id, status, period_to, incoming_ids, trigger from handover_briefs where community_id = $1 order by id',
          [de],
        )
      ).rows;
    // Monday 30 November 2026, 06:40 in Berlin: Jonas starts at 07:00.
    await runHandovers(deps, new Date('2026-11-30T05:40:00Z'));
    await runHandovers(deps, new Date('2026-11-30T05:45:00Z'));
    let rows = await deBriefs();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'draft', trigger: 'schedule', incoming_ids: [id.jonas] });
    expect(rows[0]!.period_to.toISOString()).toBe('2026-11-30T06:00:00.000Z');
    // At 07:01 it is published, once.
    const first = await runHandovers(deps, new Date('2026-11-30T06:01:00Z'));
    const second = await runHandovers(deps, new Date('2026-11-30T06:02:00Z'));
    expect(first.published).toBeGreaterThanOrEqual(1);
    rows = await deBriefs();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('published');
    const notes = await pool.query<{ email_status: string | null }>(
      `select email_status from notifications where kind = 'handover' and person_id = $1 and (data ->> 'handover_id')::bigint = $2`,
      [id.jonas, rows[0]!.id],
    );
    expect(notes.rows).toEqual([{ email_status: null }]);
    expect(second.generated).toBe(0);
    // At noon Tom arrives: a new brief from 07:00 to 12:00 for him.
    await runHandovers(deps, new Date('2026-11-30T11:00:00Z'));
    rows = await deBriefs();
    expect(rows.map((r) => [r.period_to.toISOString(), r.incoming_ids])).toEqual([
      ['2026-11-30T06:00:00.000Z', [id.jonas]],
      ['2026-11-30T11:00:00.000Z', [id.tom]],
    ]);
    // At 14:00 Jonas generates a brief by hand; it is the draft the 15:00 handover (he leaves, Tom stays) extends
    // and publishes: no second brief.
    const jonas: PersonPrincipal = {
      kind: 'person',
      id: id.jonas!,
      orgId: s.ctx.directory().orgId,
      name: 'Jonas Weber',
      email: 'jonas@airsocial.example',
      role: 'manager',
      languages: ['de'],
      locale: 'de',
      timezone: 'Europe/Berlin',
      autonomy: 'standard',
      communityIds: new Set([de]),
      teamIds: [],
      sessionId: 'test',
    };
    const manual = await generateNow(deps, jonas, de, new Date('2026-11-30T13:00:00Z'));
    expect(manual).toMatchObject({ status: 'draft', trigger: 'manual', incoming_ids: [id.tom] });
    await runHandovers(deps, new Date('2026-11-30T13:40:00Z'));
    rows = await deBriefs();
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ id: manual.id, status: 'draft' });
    expect(rows[2]!.period_to.toISOString()).toBe('2026-11-30T14:00:00.000Z');
    await runHandovers(deps, new Date('2026-11-30T14:00:30Z'));
    rows = await deBriefs();
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [rows[0]!.id, 'published'],
      [rows[1]!.id, 'published'],
      [manual.id, 'published'],
    ]);
  });

  it('gives the demo organization a first draft in every community that has none, once', async () => {
    const deps = { pool: db().pool, directory: s.ctx.directory() };
    const before = await db().pool.query<{ community_id: number }>('select distinct community_id from handover_briefs');
    const made = await ensureFirstBriefs(deps);
    expect(made).toBe(s.ctx.directory().communities.size - before.rows.length);
    expect(await ensureFirstBriefs(deps)).toBe(0);
    const drafts = await db().pool.query(`select 1 from handover_briefs where status = 'draft'`);
    expect(drafts.rowCount).toBeGreaterThanOrEqual(made);
  });
});

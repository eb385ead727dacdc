import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepConsults } from '../../src/domain/consults/sweeper.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('consults: asking an expert from a case', (db) => {
  let s: TestServer;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};
  const expertise: Record<string, number> = {};
  let n = 0;

  const newCase = async (text: string) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: `consult-${++n}`,
        account: '@AirSocial',
        author: { handle: `@c${n}` },
        text,
      },
    });
    expect(r.status).toBe(202);
    return r.body.case_id as number;
  };
  const statusOf = async (caseId: number) =>
    (await db().pool.query<{ status: string }>('select status from cases where id = $1', [caseId])).rows[0]!.status;
  const notificationsOf = async (person: string, kind?: string) =>
    (
      await db().pool.query(
        'select kind, case_id, data from notifications where person_id = $1 and ($2::text is null or kind = $2) order by id',
        [id[person], kind ?? null],
      )
    ).rows;

  beforeAll(async () => {
    s = await startTestServer(db().url, { PASSEUR_SLA_SWEEP_MS: '0' });
    for (const name of ['lea', 'marie', 'marc', 'hanna', 'anna', 'jonas'])
      cookie[name] = await s.login(`${name}@airsocial.example`);
    const people = await db().pool.query<{ id: number; email: string }>('select id, email from people');
    for (const p of people.rows) id[p.email.split('@')[0]!] = p.id;
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('the expertise directory', () => {
    it('lists the demo organization’s experts and teams to people who work cases', async () => {
      const r = await s.request('GET', '/api/v1/expertise', { cookie: cookie.lea });
      expect(r.status).toBe(200);
      expect(r.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            title: 'Ground handling – accessibility',
            person: { id: id.marc, name: 'Marc Girard' },
            team: null,
            languages: ['fr', 'de'],
          }),
          expect.objectContaining({
            title: expect.stringContaining('Quality'),
            person: null,
            team: expect.any(Object),
          }),
        ]),
      );
      for (const e of r.body.items) {
        if (e.person?.id === id.marc) expertise.marc = e.id;
        if (e.person?.id === id.hanna) expertise.hanna = e.id;
        if (e.team) expertise.quality = e.id;
      }
      // An expert has no inbox: the directory is for askers.
      expect((await s.request('GET', '/api/v1/expertise', { cookie: cookie.marc })).status).toBe(403);
    });
  });

  describe('lifecycle', () => {
    let caseId: number;
    let consultId: number;

    it('asks an expert: the case waits on internal, the expert is notified without the case', async () => {
      caseId = await newCase('Bonjour, puis-je prendre mon fauteuil roulant sur le vol régional de correspondance ?');
      const assign = await s.request('PATCH', `/api/v1/cases/${caseId}`, {
        cookie: cookie.lea,
        body: { assignee_id: id.lea, status: 'open' },
      });
      expect(assign.status).toBe(200);
      const ask = await s.request('POST', `/api/v1/cases/${caseId}/consults`, {
        cookie: cookie.marie,
        body: {
          expertise_id: expertise.marc,
          question: 'Le fauteuil roulant électrique passe-t-il sur l’ATR de la correspondance ?',
          excerpt: 'Client en fauteuil électrique, correspondance régionale GVA–LYS.',
          due_in_minutes: 120,
        },
      });
      expect(ask.status).toBe(201);
      consultId = ask.body.id;
      expect(ask.body).toMatchObject({ status: 'open', case_id: caseId, expert: { person: { id: id.marc } } });
      expect(await statusOf(caseId)).toBe('waiting_internal');
      expect(await notificationsOf('marc')).toEqual([
        {
          kind: 'consult',
          case_id: null,
          data: expect.objectContaining({ consult_id: consultId, by_name: 'Marie Lefèvre' }),
        },
      ]);
      const listed = await s.request('GET', `/api/v1/cases/${caseId}/consults`, { cookie: cookie.lea });
      expect(listed.body.items).toEqual([expect.objectContaining({ id: consultId, status: 'open' })]);
    });

    it('shows the expert only the question, the shared excerpt and the case’s language and topics', async () => {
      const mine = await s.request('GET', '/api/v1/consults', { cookie: cookie.marc });
      expect(mine.status).toBe(200);
      expect(mine.body.asked).toEqual([]);
      expect(mine.body.to_answer).toHaveLength(1);
      const k = mine.body.to_answer[0];
      expect(k).toMatchObject({
        id: consultId,
        question: expect.stringContaining('fauteuil'),
        excerpt: 'Client en fauteuil électrique, correspondance régionale GVA–LYS.',
        context: { language: 'fr', topics: expect.any(Array) },
        can_answer: true,
      });
      expect(k).not.toHaveProperty('case_id');
      expect(JSON.stringify(k)).not.toContain('vol régional');
      const one = await s.request('GET', `/api/v1/consults/${consultId}`, { cookie: cookie.marc });
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty('case_id');
    });

    it('keeps the expert out of the case and of every other case', async () => {
      expect((await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: cookie.marc })).status).toBe(403);
      expect((await s.request('GET', '/api/v1/cases', { cookie: cookie.marc })).status).toBe(403);
      expect((await s.request('GET', '/api/v1/cases/counts', { cookie: cookie.marc })).status).toBe(403);
      expect((await s.request('GET', `/api/v1/cases/${caseId}/consults`, { cookie: cookie.marc })).status).toBe(403);
      const note = await s.request('POST', `/api/v1/cases/${caseId}/notes`, {
        cookie: cookie.marc,
        body: { text: 'x' },
      });
      expect(note.status).toBe(404);
      const patch = await s.request('PATCH', `/api/v1/cases/${caseId}`, {
        cookie: cookie.marc,
        body: { status: 'open' },
      });
      expect(patch.status).toBe(404);
      // Another expert sees neither the consult nor can answer it.
      expect((await s.request('GET', `/api/v1/consults/${consultId}`, { cookie: cookie.hanna })).status).toBe(404);
      const foreign = await s.request('POST', `/api/v1/consults/${consultId}/answer`, {
        cookie: cookie.hanna,
        body: { answer: 'Oui.' },
      });
      expect(foreign.status).toBe(404);
      expect((await s.request('GET', '/api/v1/consults', { cookie: cookie.hanna })).body.to_answer).toEqual([]);
      // A manager of another community cannot read it either.
      expect((await s.request('GET', `/api/v1/consults/${consultId}`, { cookie: cookie.jonas })).status).toBe(404);
      // The turnaround KPI and the audit log are not for experts.
      expect((await s.request('GET', '/api/v1/consults/kpi', { cookie: cookie.marc })).status).toBe(403);
      expect((await s.request('GET', '/api/v1/audit', { cookie: cookie.marc })).status).toBe(403);
    });

    it('turns the answer into a private note, notifies assignee and asker, and reopens the case', async () => {
      const answer = await s.request('POST', `/api/v1/consults/${consultId}/answer`, {
        cookie: cookie.marc,
        body: { answer: 'Oui, jusqu’à 120 kg ; batterie sèche. Prévenir l’escale 48 h avant.' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'answered', answered_by: { id: id.marc } });
      expect(await statusOf(caseId)).toBe('open');
      const c = await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: cookie.lea });
      const notes = c.body.messages.filter((m: { direction: string }) => m.direction === 'note');
      expect(notes).toEqual([
        expect.objectContaining({
          direction: 'note',
          person: { id: id.marc, name: 'Marc Girard' },
          text: expect.stringMatching(/^Consultation n° \d+ — Le fauteuil[\s\S]*Oui, jusqu’à 120 kg/),
        }),
      ]);
      expect(await notificationsOf('lea', 'consult_answered')).toEqual([
        expect.objectContaining({ case_id: caseId, data: expect.objectContaining({ consult_id: consultId }) }),
      ]);
      expect(await notificationsOf('marie', 'consult_answered')).toHaveLength(1);
      // Nothing was published to the customer.
      const out = await db().pool.query(
        'select count(*)::int as n from outbox o join messages m on m.id = o.message_id where m.case_id = $1',
        [caseId],
      );
      expect(out.rows[0].n).toBe(0);
      const again = await s.request('POST', `/api/v1/consults/${consultId}/answer`, {
        cookie: cookie.marc,
        body: { answer: 'Encore' },
      });
      expect(again.status).toBe(409);
      const actions = await db().pool.query<{ action: string; actor_person_id: number }>(
        `select action, actor_person_id from audit_events where subject_type = 'consult' and subject_id = $1 order by id`,
        [String(consultId)],
      );
      expect(actions.rows).toEqual([
        { action: 'consult.asked', actor_person_id: id.marie },
        { action: 'consult.answered', actor_person_id: id.marc },
      ]);
    });

    it('keeps the case waiting until its last consult is answered (a team consult answered by a member)', async () => {
      const other = await newCase('Ma valise a été perdue et ma réclamation reste sans réponse depuis trois semaines.');
      const ask = (body: Record<string, unknown>) =>
        s.request('POST', `/api/v1/cases/${other}/consults`, {
          cookie: cookie.lea,
          body: { question: 'Où en est la recherche ?', due_in_minutes: 60, ...body },
        });
      const toTeam = await ask({ expertise_id: expertise.quality });
      const toHanna = await ask({ expert_person_id: id.hanna, excerpt: 'Bagage perdu, 3 semaines.' });
      expect([toTeam.status, toHanna.status]).toEqual([201, 201]);
      expect(await statusOf(other)).toBe('waiting_internal');
      // Anna is a member (and the lead) of Quality.
      expect(await notificationsOf('anna', 'consult')).toEqual([expect.objectContaining({ case_id: null })]);
      const a = await s.request('POST', `/api/v1/consults/${toTeam.body.id}/answer`, {
        cookie: cookie.anna,
        body: { answer: 'Retrouvée à Zurich, livraison demain.' },
      });
      expect(a.status).toBe(200);
      expect(await statusOf(other)).toBe('waiting_internal');
      const h = await s.request('POST', `/api/v1/consults/${toHanna.body.id}/answer`, {
        cookie: cookie.hanna,
        body: { answer: 'Indemnité forfaitaire possible.' },
      });
      expect(h.status).toBe(200);
      expect(await statusOf(other)).toBe('open');
    });

    it('refuses a consult to nobody, to oneself, or from a role that cannot work the case', async () => {
      const c = await newCase('Question sur les bagages en soute.');
      const bad = await s.request('POST', `/api/v1/cases/${c}/consults`, {
        cookie: cookie.lea,
        body: { question: 'Q ?', due_in_minutes: 30 },
      });
      expect(bad.status).toBe(400);
      const self = await s.request('POST', `/api/v1/cases/${c}/consults`, {
        cookie: cookie.lea,
        body: { expert_person_id: id.lea, question: 'Q ?', due_in_minutes: 30 },
      });
      expect(self.status).toBe(400);
      const expert = await s.request('POST', `/api/v1/cases/${c}/consults`, {
        cookie: cookie.marc,
        body: { expert_person_id: id.hanna, question: 'Q ?', due_in_minutes: 30 },
      });
      expect(expert.status).toBe(404);
      expect(await statusOf(c)).not.toBe('waiting_internal');
    });
  });

  describe('overdue consults', () => {
    it('reminds the expert at the due time, then escalates once to the team lead and the asker', async () => {
      const c = await newCase('Mon sac est arrivé déchiré, que faire ?');
      const ask = await s.request('POST', `/api/v1/cases/${c}/consults`, {
        cookie: cookie.lea,
        body: { expertise_id: expertise.quality, question: 'Prise en charge d’un sac déchiré ?', due_in_minutes: 30 },
      });
      const k = ask.body.id as number;
      const before = (await notificationsOf('anna', 'consult')).length;
      // Not due yet: nothing.
      expect(await sweepConsults(db().pool)).toMatchObject({ reminders: 0, escalations: 0 });
      await db().pool.query(`update consults set due_at = now() - interval '1 minute' where id = $1`, [k]);
      const first = await sweepConsults(db().pool);
      expect(first).toMatchObject({ reminders: 1, escalations: 0, errors: [] });
      const reminders = await notificationsOf('anna', 'consult');
      expect(reminders).toHaveLength(before + 1);
      expect(reminders.at(-1)).toMatchObject({ data: expect.objectContaining({ consult_id: k, reminder: true }) });
      expect(await sweepConsults(db().pool)).toMatchObject({ reminders: 0, escalations: 0 });
      // Past the grace period, two processes sweep at once: one escalation.
      await db().pool.query(`update consults set due_at = now() - interval '2 hours' where id = $1`, [k]);
      const [x, y] = await Promise.all([sweepConsults(db().pool), sweepConsults(db().pool)]);
      expect(x.escalations + y.escalations).toBe(1);
      expect(x.reminders + y.reminders).toBe(0);
      expect(await notificationsOf('anna', 'consult_overdue')).toEqual([
        expect.objectContaining({ case_id: null, data: expect.objectContaining({ consult_id: k }) }),
      ]);
      expect(await notificationsOf('lea', 'consult_overdue')).toEqual([
        expect.objectContaining({ case_id: c, data: expect.objectContaining({ consult_id: k }) }),
      ]);
      expect(await sweepConsults(db().pool)).toMatchObject({ reminders: 0, escalations: 0 });
      const audited = await db().pool.query<{ action: string }>(
        `select action from audit_events where subject_type = 'consult' and subject_id = $1 order by id`,
        [String(k)],
      );
      expect(audited.rows.map((r) => r.action)).toEqual(['consult.asked', 'consult.reminded', 'consult.escalated']);
      // The overdue consult counts in Quality's KPI.
      const kpi = await s.request('GET', '/api/v1/consults/kpi', { cookie: cookie.marie });
      expect(kpi.status).toBe(200);
      const quality = kpi.body.teams.find((t: { team: { name: string } | null }) => t.team?.name === 'Quality');
      expect(quality).toMatchObject({ asked: 2, answered: 1, open: 1, overdue: 1 });
      expect(quality.median_minutes).toEqual(expect.any(Number));
      expect(quality.p90_minutes).toBeGreaterThanOrEqual(quality.median_minutes);
      // Marc belongs to no team: his consults count as individual experts'.
      expect(kpi.body.teams).toContainEqual(expect.objectContaining({ team: null, answered: 1 }));
      const empty = await s.request('GET', '/api/v1/consults/kpi?from=2020-01-01&to=2020-02-01', {
        cookie: cookie.marie,
      });
      expect(empty.body.teams).toEqual([]);
    });
  });

  describe('audit log', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of audit entries', async () => {
      await expect(db().pool.query(`update audit_events set action = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(db().pool.query('delete from audit_events')).rejects.toThrow(/append-only/);
      await expect(db().pool.query('truncate audit_events')).rejects.toThrow(/append-only/);
      const verify = await s.request('GET', '/api/v1/audit/verify', { cookie: cookie.marie });
      expect(verify.body).toEqual({ intact: true, first_broken_id: null });
    });

    it('lets leaders search by action, actor, subject and dates, page by page', async () => {
      const all = await s.request('GET', '/api/v1/audit?action=consult.*&limit=2', { cookie: cookie.marie });
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(2);
      expect(all.body.next_before).toEqual(expect.any(Number));
      const ids: number[] = all.body.items.map((e: { id: number }) => e.id);
      expect(ids[0]).toBeGreaterThan(ids[1]!);
      const next = await s.request('GET', `/api/v1/audit?action=consult.*&limit=2&before=${all.body.next_before}`, {
        cookie: cookie.marie,
      });
      expect(next.body.items[0].id).toBeLessThan(ids[1]!);
      const byMarc = await s.request('GET', `/api/v1/audit?actor_person_id=${id.marc}`, { cookie: cookie.marie });
      expect(byMarc.body.items.length).toBeGreaterThan(0);
      for (const e of byMarc.body.items)
        expect(e.actor).toMatchObject({ kind: 'person', id: id.marc, name: 'Marc Girard' });
      const answered = await s.request('GET', '/api/v1/audit?action=consult.answered', { cookie: cookie.marie });
      expect(answered.body.items.map((e: { action: string }) => e.action)).toEqual([
        'consult.answered',
        'consult.answered',
        'consult.answered',
      ]);
      const subject = answered.body.items[0].subject;
      const bySubject = await s.request('GET', `/api/v1/audit?subject_type=${subject.type}&subject_id=${subject.id}`, {
        cookie: cookie.marie,
      });
      expect(
        bySubject.body.items.every((e: { subject: unknown }) => JSON.stringify(e.subject) === JSON.stringify(subject)),
      ).toBe(true);
      const future = await s.request('GET', '/api/v1/audit?from=2100-01-01', { cookie: cookie.marie });
      expect(future.body).toEqual({ items: [], next_before: null });
      const past = await s.request('GET', '/api/v1/audit?to=2000-01-01', { cookie: cookie.marie });
      expect(past.body.items).toEqual([]);
      expect((await s.request('GET', '/api/v1/audit', { cookie: cookie.lea })).status).toBe(403);
      expect((await s.request('GET', '/api/v1/audit', { token: s.token })).status).toBe(403);
      expect((await s.request('GET', '/api/v1/audit?action=a%20b', { cookie: cookie.marie })).status).toBe(400);
    });

    it('exports CSV to leaders and audits the export', async () => {
      const res = await fetch(`${s.base}/api/v1/audit/export.csv?action=consult.*`, {
        headers: { cookie: cookie.marie! },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="passeur-audit-/);
      const lines = (await res.text()).trim().split('\r\n');
      expect(lines[0]).toBe(
        'id,at,action,actor_person_id,actor_name,actor_token_id,account_id,subject_type,subject_id,data,hash',
      );
      expect(lines.length).toBeGreaterThan(5);
      expect(lines.slice(1).every((l) => /^\d+,[^,]+,consult\./.test(l))).toBe(true);
      const exported = await s.request('GET', '/api/v1/audit?action=audit.exported', { cookie: cookie.marie });
      expect(exported.body.items).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining({ id: id.marie }),
          data: { filters: { action: 'consult.*' }, rows: lines.length - 1, truncated: false },
        }),
      ]);
      const refused = await fetch(`${s.base}/api/v1/audit/export.csv`, { headers: { cookie: cookie.lea! } });
      expect(refused.status).toBe(403);
    });
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('the expertise directory: leaders edit it', (db) => {
  let s: TestServer;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};
  let quality: number;
  let entry: number;

  const audited = async (action: string, subject: number) =>
    (
      await db().pool.query('select actor_person_id, data from audit_events where action = $1 and subject_id = $2', [
        action,
        String(subject),
      ])
    ).rows;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    for (const name of ['marie', 'lea', 'marc']) cookie[name] = await s.login(`${name}@airsocial.example`);
    const people = await db().pool.query<{ id: number; email: string }>('select id, email from people');
    for (const p of people.rows) id[p.email.split('@')[0]!] = p.id;
    quality = (await db().pool.query(`select id from teams where slug = 'quality'`)).rows[0].id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('adds a person’s entry, listed to askers with the organization’s topics, and audited', async () => {
    const r = await s.request('POST', '/api/v1/expertise', {
      cookie: cookie.marie,
      body: {
        person_id: id.hanna,
        title: '  Delays – compensation rules  ',
        topics: ['delay', 'refund', 'delay'],
        languages: ['DE', 'it'],
        availability: 'weekdays 09:00–17:00',
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(Number),
      title: 'Delays – compensation rules',
      person: { id: id.hanna, name: 'Hanna Keller' },
      team: null,
      topics: ['delay', 'refund'],
      languages: ['de', 'it'],
      availability: 'weekdays 09:00–17:00',
    });
    entry = r.body.id;
    const list = await s.request('GET', '/api/v1/expertise', { cookie: cookie.lea });
    expect(list.body.items).toContainEqual(r.body);
    expect(list.body.topics).toEqual(expect.arrayContaining(['delay', 'refund', 'baggage']));
    expect(list.body).not.toHaveProperty('people');
    // Leaders get every active person to name, experts outside any community included.
    const mine = await s.request('GET', '/api/v1/expertise', { cookie: cookie.marie });
    expect(mine.body.people).toContainEqual({ id: id.marc, name: 'Marc Girard', role: 'expert' });
    expect(await audited('expertise.created', entry)).toEqual([
      { actor_person_id: id.marie, data: expect.objectContaining({ person_id: id.hanna, team_id: null }) },
    ]);
  });

  it('refuses entries that name both or neither of a person and a team, unknown topics, people, teams, languages', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const r = await s.request('POST', '/api/v1/expertise', { cookie: cookie.marie, body: { title: 'X', ...body } });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field).toBe(field);
    };
    await bad({ person_id: id.marc, team_id: quality }, 'person_id');
    await bad({}, 'person_id');
    await bad({ person_id: id.marc, topics: ['horoscopes'] }, 'topics');
    await bad({ person_id: 999_999 }, 'person_id');
    await bad({ team_id: 999_999 }, 'team_id');
    await bad({ person_id: id.marc, languages: ['french'] }, 'languages.0');
    await bad({ person_id: id.marc, title: '' }, 'title');
    const n = await db().pool.query('select count(*)::int as n from expertise where title = $1', ['X']);
    expect(n.rows[0].n).toBe(0);
  });

  it('is for leaders only: a manager and an expert are refused, nothing changes', async () => {
    for (const who of ['lea', 'marc']) {
      const post = await s.request('POST', '/api/v1/expertise', {
        cookie: cookie[who],
        body: { person_id: id.marc, title: 'Mine' },
      });
      expect(post.status).toBe(403);
      const patch = await s.request('PATCH', `/api/v1/expertise/${entry}`, {
        cookie: cookie[who],
        body: { title: 'Y' },
      });
      expect(patch.status).toBe(403);
      expect((await s.request('DELETE', `/api/v1/expertise/${entry}`, { cookie: cookie[who] })).status).toBe(403);
    }
    const row = await db().pool.query('select title, active from expertise where id = $1', [entry]);
    expect(row.rows[0]).toEqual({ title: 'Delays – compensation rules', active: true });
  });

  it('changes an entry: naming a team replaces the person; audited with the fields changed', async () => {
    const r = await s.request('PATCH', `/api/v1/expertise/${entry}`, {
      cookie: cookie.marie,
      body: { team_id: quality, availability: '24/7 rota' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      person: null,
      team: { id: quality, name: 'Quality' },
      availability: '24/7 rota',
      topics: ['delay', 'refund'],
    });
    expect(await audited('expertise.updated', entry)).toEqual([
      { actor_person_id: id.marie, data: { fields: ['availability', 'team_id'] } },
    ]);
    const empty = await s.request('PATCH', `/api/v1/expertise/${entry}`, { cookie: cookie.marie, body: {} });
    expect(empty.status).toBe(400);
    const missing = await s.request('PATCH', '/api/v1/expertise/999999', {
      cookie: cookie.marie,
      body: { title: 'Z' },
    });
    expect(missing.status).toBe(404);
  });

  it('removes an entry: no longer listed nor askable, the row kept for the consults asked through it', async () => {
    const caseRow = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'expertise-1',
        account: '@AirSocial',
        author: { handle: '@e1' },
        text: 'Mon vol est en retard de 4 h, ai-je droit à une indemnité ?',
      },
    });
    const asked = await s.request('POST', `/api/v1/cases/${caseRow.body.case_id}/consults`, {
      cookie: cookie.marie,
      body: { expertise_id: entry, question: 'Indemnité pour 4 h ?', due_in_minutes: 60 },
    });
    expect(asked.status).toBe(201);
    const del = await s.request('DELETE', `/api/v1/expertise/${entry}`, { cookie: cookie.marie });
    expect(del.status).toBe(204);
    const list = await s.request('GET', '/api/v1/expertise', { cookie: cookie.lea });
    expect(list.body.items.map((e: { id: number }) => e.id)).not.toContain(entry);
    const again = await s.request('POST', `/api/v1/cases/${caseRow.body.case_id}/consults`, {
      cookie: cookie.marie,
      body: { expertise_id: entry, question: 'Encore ?', due_in_minutes: 60 },
    });
    expect(again.status).toBe(400);
    expect(again.body.field).toBe('expertise_id');
    expect((await s.request('DELETE', `/api/v1/expertise/${entry}`, { cookie: cookie.marie })).status).toBe(404);
    const k = await db().pool.query('select expertise_id from consults where id = $1', [asked.body.id]);
    expect(k.rows[0].expertise_id).toBe(entry);
    expect(await audited('expertise.deleted', entry)).toHaveLength(1);
  });
});

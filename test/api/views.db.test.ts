import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('saved inbox views', (db) => {
  let s: TestServer;
  let lea: string;
  let jonas: string;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    jonas = await s.login('jonas@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('saves, lists, renames and deletes a person’s own views', async () => {
    const created = await s.request('POST', '/api/v1/views', {
      cookie: lea,
      body: { name: 'Bagages urgents', query: { view: 'all', q: 'bagage', sort: 'priority', status: 'active' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Bagages urgents',
      shared: false,
      mine: true,
      owner: { name: 'Léa Martin' },
      query: { view: 'all', q: 'bagage', sort: 'priority', status: 'active' },
    });
    const id = created.body.id;
    const renamed = await s.request('PATCH', `/api/v1/views/${id}`, { cookie: lea, body: { name: 'Bagages' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Bagages', query: { q: 'bagage' } });
    const list = await s.request('GET', '/api/v1/views', { cookie: lea });
    expect(list.body.map((v: { id: number }) => v.id)).toEqual([id]);
    // Private: another person neither sees nor changes it.
    expect((await s.request('GET', '/api/v1/views', { cookie: jonas })).body).toEqual([]);
    expect((await s.request('DELETE', `/api/v1/views/${id}`, { cookie: jonas })).status).toBe(404);
    expect((await s.request('DELETE', `/api/v1/views/${id}`, { cookie: lea })).status).toBe(204);
    expect((await s.request('GET', '/api/v1/views', { cookie: lea })).body).toEqual([]);
  });

  it('shows shared views to everyone in the organization, editable only by their owner', async () => {
    const created = await s.request('POST', '/api/v1/views', {
      cookie: lea,
      body: { name: 'SLA fr', query: { view: 'sla_risk', community: 1 }, shared: true },
    });
    const id = created.body.id;
    const seen = await s.request('GET', '/api/v1/views', { cookie: jonas });
    expect(seen.body).toEqual([expect.objectContaining({ id, mine: false, shared: true, owner: expect.any(Object) })]);
    const patch = await s.request('PATCH', `/api/v1/views/${id}`, { cookie: jonas, body: { name: 'Mine now' } });
    expect(patch.status).toBe(403);
    expect((await s.request('DELETE', `/api/v1/views/${id}`, { cookie: jonas })).status).toBe(403);
    const unshare = await s.request('PATCH', `/api/v1/views/${id}`, { cookie: lea, body: { shared: false } });
    expect(unshare.body.shared).toBe(false);
    expect((await s.request('GET', '/api/v1/views', { cookie: jonas })).body).toEqual([]);
    const audit = await db().pool.query(
      `select action from audit_events where subject_type = 'saved_view' and subject_id = $1 order by id`,
      [String(id)],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['view.created', 'view.updated']);
  });

  it('documents the case-handling routes in OpenAPI', async () => {
    const r = await s.request('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    for (const path of [
      '/api/v1/views',
      '/api/v1/cases/bulk',
      '/api/v1/cases/{id}/merge',
      '/api/v1/cases/{id}/split',
      '/api/v1/cases/{id}/move',
      '/api/v1/cases/{id}/render-reply',
      '/api/v1/cases/{id}/links',
      '/api/v1/links/status',
      '/api/v1/canned-replies',
      '/api/v1/contacts/{id}/merge',
      '/api/v1/webhooks',
    ]) {
      expect(Object.keys(r.body.paths), path).toContain(path);
    }
    const params = r.body.paths['/api/v1/cases'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'sort', 'cursor']));
  });

  it('refuses filters the inbox does not know, naming the field, and people without an inbox', async () => {
    const bad = await s.request('POST', '/api/v1/views', {
      cookie: lea,
      body: { name: 'x', query: { view: 'all', status: 'open,pending' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('query.status');
    const unknown = await s.request('POST', '/api/v1/views', {
      cookie: lea,
      body: { name: 'x', query: { colour: 1 } },
    });
    expect(unknown.status).toBe(400);
    const marc = await s.login('marc@airsocial.example');
    expect((await s.request('GET', '/api/v1/views', { cookie: marc })).status).toBe(403);
    expect((await s.request('GET', '/api/v1/views', { token: s.token })).status).toBe(403);
  });
});

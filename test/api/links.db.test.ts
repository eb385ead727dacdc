import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCOPE_SETS } from '../../src/domain/access/principal.ts';
import { createToken } from '../../src/domain/access/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('back-office links', (db) => {
  let s: TestServer;
  let lea: string;
  let caseId: number;
  let integration: string;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'lnk-1',
        account: '@AirSocial',
        author: { handle: '@claim' },
        text: 'Où en est ma réclamation pour mon bagage ?',
      },
    });
    caseId = r.body.case_id;
    integration = (await createToken(s.ctx.pool, s.ctx.directory().orgId, 'crm', SCOPE_SETS.integration!)).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('links a case to a back-office record and shows it on the case', async () => {
    const r = await s.request('POST', `/api/v1/cases/${caseId}/links`, {
      cookie: lea,
      body: { system: 'claims', external_id: 'PIR-GVA-12345', url: 'https://claims.example/PIR-GVA-12345' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ system: 'claims', external_id: 'PIR-GVA-12345', status: null });
    const again = await s.request('POST', `/api/v1/cases/${caseId}/links`, {
      cookie: lea,
      body: { system: 'claims', external_id: 'PIR-GVA-12345' },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(r.body.id);
    const c = await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: lea });
    expect(c.body.links).toEqual([
      expect.objectContaining({ system: 'claims', url: 'https://claims.example/PIR-GVA-12345' }),
    ]);
    expect(c.body.events.map((e: { kind: string }) => e.kind)).toContain('link_added');

    const bad = await s.request('POST', `/api/v1/cases/${caseId}/links`, {
      cookie: lea,
      body: { system: 'claims', external_id: 'x', url: 'javascript:alert(1)' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('url');
    const jonas = await s.login('jonas@airsocial.example');
    const hidden = await s.request('POST', `/api/v1/cases/${caseId}/links`, {
      cookie: jonas,
      body: { system: 'claims', external_id: 'y' },
    });
    expect(hidden.status).toBe(404);
  });

  it('refuses a record already linked to another case', async () => {
    const other = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'lnk-2',
        account: '@AirSocial',
        author: { handle: '@other' },
        text: 'Bonjour',
      },
    });
    const r = await s.request('POST', `/api/v1/cases/${other.body.case_id}/links`, {
      cookie: lea,
      body: { system: 'claims', external_id: 'PIR-GVA-12345' },
    });
    expect(r.status).toBe(409);
  });

  it('takes status updates from integrations with the links:write scope and shows them on the case', async () => {
    const r = await s.request('POST', '/api/v1/links/status', {
      token: integration,
      body: { system: 'claims', external_id: 'PIR-GVA-12345', status: 'bagage localisé, livraison demain' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'bagage localisé, livraison demain' });
    expect(r.body.status_at).not.toBeNull();
    const c = await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: lea });
    expect(c.body.links[0]).toMatchObject({ status: 'bagage localisé, livraison demain' });
    const event = c.body.events.find((e: { kind: string }) => e.kind === 'link_status');
    expect(event.data).toMatchObject({ status: 'bagage localisé, livraison demain', previous: null });
    const audit = await db().pool.query(`select actor_token_id from audit_events where action = 'link.status_updated'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor_token_id).not.toBeNull();

    // The test server's own token predates the scope; a person cannot report statuses either.
    expect(
      (
        await s.request('POST', '/api/v1/links/status', {
          token: s.token,
          body: { system: 'claims', external_id: 'PIR-GVA-12345', status: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await s.request('POST', '/api/v1/links/status', {
          cookie: lea,
          body: { system: 'claims', external_id: 'PIR-GVA-12345', status: 'x' },
        })
      ).status,
    ).toBe(403);
    const unknown = await s.request('POST', '/api/v1/links/status', {
      token: integration,
      body: { system: 'claims', external_id: 'nope', status: 'x' },
    });
    expect(unknown.status).toBe(404);
  });

  it('gives the integration scope set the new scope', () => {
    expect(SCOPE_SETS.integration).toEqual(['ingest', 'cases:read', 'links:write']);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** GDPR access and erasure: a leader exports everything about a customer, then erases it; cases and audit stay. */
describeEachDatabase('privacy: export and erase a customer', (db) => {
  let server: TestServer;
  let leader: string;
  let manager: string;
  let caseId: number;
  let contactId: number;
  const SECRET = 'Zanzibarquintessence';

  beforeAll(async () => {
    server = await startTestServer(db().url);
    leader = await server.login('marie@airsocial.example');
    manager = await server.login('lea@airsocial.example');
    const first = await server.request('POST', '/api/v1/messages', {
      token: server.token,
      body: {
        channel: 'sandbox',
        external_id: 'gdpr-1',
        account: '@AirSocial',
        author: { handle: '@gdpr_customer', name: 'Camille Privée' },
        text: `Mon numéro de réservation est ${SECRET}, aidez-moi`,
      },
    });
    expect(first.status).toBe(202);
    caseId = first.body.case_id;
    await server.request('POST', '/api/v1/messages', {
      token: server.token,
      body: {
        channel: 'sandbox',
        external_id: 'gdpr-2',
        account: '@AirSocial',
        in_reply_to: 'gdpr-1',
        author: { handle: '@gdpr_customer', name: 'Camille Privée' },
        text: 'Toujours rien ?',
      },
    });
    const note = await server.request('POST', `/api/v1/cases/${caseId}/notes`, {
      cookie: leader,
      body: { text: 'Camille a appelé le centre' },
    });
    expect(note.status).toBeLessThan(300);
    const reply = await server.request('POST', `/api/v1/cases/${caseId}/replies`, {
      cookie: leader,
      body: { text: 'Bonjour Camille, nous regardons.' },
    });
    expect(reply.status).toBe(202);
    const c = await db().pool.query<{ contact_id: number }>('select contact_id from cases where id = $1', [caseId]);
    contactId = c.rows[0]!.contact_id;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('exports contact, identities, cases, messages and notes to leaders only, audited', async () => {
    expect((await server.request('GET', `/api/v1/contacts/${contactId}/export`, { cookie: manager })).status).toBe(403);
    expect((await server.request('GET', `/api/v1/contacts/${contactId}/export`, { token: server.token })).status).toBe(
      403,
    );
    expect((await server.request('GET', `/api/v1/contacts/999999999/export`, { cookie: leader })).status).toBe(404);
    const res = await server.request('GET', `/api/v1/contacts/${contactId}/export`, { cookie: leader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`contact-${contactId}.json`);
    const x = res.body;
    expect(x.contact.id).toBe(contactId);
    expect(x.identities).toEqual([expect.objectContaining({ channel: 'sandbox', handle: '@gdpr_customer' })]);
    expect(x.cases.map((c: { id: number }) => c.id)).toEqual([caseId]);
    const texts = x.messages.map((m: { text: string }) => m.text);
    expect(texts.some((t: string) => t.includes(SECRET))).toBe(true);
    expect(texts).toContain('Toujours rien ?');
    expect(texts).toContain('Bonjour Camille, nous regardons.');
    expect(x.notes).toEqual([
      expect.objectContaining({ text: 'Camille a appelé le centre', author: expect.any(String) }),
    ]);
    const audited = await db().pool.query(
      `select data from audit_events where action = 'contact.export' and subject_id = $1`,
      [String(contactId)],
    );
    expect(audited.rows).toEqual([{ data: { cases: 1, messages: 3, notes: 1 } }]);
  });

  it('erases the personal data, keeps the case skeleton and the audit chain intact', async () => {
    expect((await server.request('POST', `/api/v1/contacts/${contactId}/erase`, { cookie: manager })).status).toBe(403);
    const before = await db().pool.query('select status, message_count, created_at from cases where id = $1', [caseId]);
    const res = await server.request('POST', `/api/v1/contacts/${contactId}/erase`, { cookie: leader });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ contact_id: contactId, identities: 1, cases: 1, messages: 4 });

    const pool = db().pool;
    // Nothing of the customer is left anywhere in their data.
    const leftovers = await pool.query(
      `select (select count(*)::int from messages where case_id = $1 and (text like '%' || $2 || '%' or text like '%Camille%'
                 or author_handle = '@gdpr_customer' or author_name is not null and direction = 'in')) as messages,
              (select count(*)::int from contact_identities where contact_id = $3 and (handle like '%gdpr%' or name is not null)) as identities,
              (select count(*)::int from contacts where id = $3 and (display_name like '%Camille%' or notes <> '')) as contacts,
              (select count(*)::int from cases where id = $1 and subject like '%' || $2 || '%') as subjects,
              (select count(*)::int from outbox where case_id = $1 and payload->>'text' like '%Camille%') as outbox`,
      [caseId, SECRET, contactId],
    );
    expect(leftovers.rows[0]).toEqual({ messages: 0, identities: 0, contacts: 0, subjects: 0, outbox: 0 });
    // Replies keep their record (sent, or cancelled if they had not left yet), without the text.
    const outbox = await pool.query<{ status: string; text: string }>(
      `select status, payload->>'text' as text from outbox where case_id = $1`,
      [caseId],
    );
    expect(outbox.rows.length).toBe(1);
    expect(outbox.rows.every((r) => ['sent', 'cancelled'].includes(r.status) && r.text === '[erased]')).toBe(true);
    // Search does not find them any more.
    const search = await server.request('GET', `/api/v1/cases?q=${SECRET}&status=all`, { cookie: leader });
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([]);
    // The case skeleton stays.
    const after = await pool.query('select status, message_count, created_at from cases where id = $1', [caseId]);
    expect(after.rows).toEqual(before.rows);
    const shown = await server.request('GET', `/api/v1/cases/${caseId}`, { cookie: leader });
    expect(shown.status).toBe(200);
    // Audit: the erasure is recorded by id and counts, the chain verifies, and no entry holds the customer's text.
    const verify = await server.request('GET', '/api/v1/audit/verify', { cookie: leader });
    expect(verify.body).toEqual({ intact: true, first_broken_id: null });
    const erased = await pool.query(
      `select data from audit_events where action = 'contact.erase' and subject_id = $1`,
      [String(contactId)],
    );
    expect(erased.rows).toEqual([{ data: { identities: 1, cases: 1, messages: 4 } }]);
    const leaks = await pool.query(
      `select count(*)::int as n from audit_events where data::text like '%' || $1 || '%' or data::text like '%Camille%'`,
      [SECRET],
    );
    expect(leaks.rows[0].n).toBe(0);
    // The export now holds nothing personal.
    const again = await server.request('GET', `/api/v1/contacts/${contactId}/export`, { cookie: leader });
    expect(JSON.stringify(again.body)).not.toMatch(new RegExp(`${SECRET}|Camille|gdpr_customer`));
  });
});

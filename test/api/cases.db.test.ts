import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/audit/log.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('cases, replies and access', (db) => {
  let s: TestServer;
  let lea: string;
  let frCase: number;
  let deCase: number;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    const fr = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'case-fr-1',
        account: '@AirSocial',
        author: { handle: '@jeanne', name: 'Jeanne Dupont' },
        text: 'Mon vol AS1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance, que faire ?',
      },
    });
    frCase = fr.body.case_id;
    const de = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'case-de-1',
        account: '@AirSocial_de',
        author: { handle: '@hans' },
        text: 'Mein Koffer ist verloren gegangen!',
      },
    });
    deCase = de.body.case_id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists the cases of the communities a person works in, and only those', async () => {
    const all = await s.request('GET', '/api/v1/cases?view=all', { cookie: lea });
    expect(all.status).toBe(200);
    const ids = all.body.items.map((c: { id: number }) => c.id);
    expect(ids).toContain(frCase);
    expect(ids).not.toContain(deCase);
    expect((await s.request('GET', `/api/v1/cases/${deCase}`, { cookie: lea })).status).toBe(404);
    const unassigned = await s.request('GET', '/api/v1/cases?view=unassigned', { cookie: lea });
    expect(unassigned.body.items.map((c: { id: number }) => c.id)).toContain(frCase);
    const counts = await s.request('GET', '/api/v1/cases/counts', { cookie: lea });
    expect(counts.body).toMatchObject({ all: 1, unassigned: 1, mine: 0 });
  });

  it('lets an expert see no inbox and a viewer read but not write', async () => {
    const marc = await s.login('marc@airsocial.example');
    expect((await s.request('GET', '/api/v1/cases', { cookie: marc })).status).toBe(403);
    expect((await s.request('GET', `/api/v1/cases/${frCase}`, { cookie: marc })).status).toBe(403);
    const paul = await s.login('paul@airsocial.example');
    expect((await s.request('GET', `/api/v1/cases/${deCase}`, { cookie: paul })).status).toBe(200);
    const patch = await s.request('PATCH', `/api/v1/cases/${deCase}`, { cookie: paul, body: { status: 'open' } });
    expect(patch.status).toBe(403);
    const reply = await s.request('POST', `/api/v1/cases/${deCase}/replies`, { cookie: paul, body: { text: 'Hallo' } });
    expect(reply.status).toBe(403);
  });

  it('refuses cookie-authenticated writes without the CSRF header', async () => {
    const res = await fetch(`${s.base}/api/v1/cases/${frCase}`, {
      method: 'PATCH',
      headers: { cookie: lea, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'open' }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe('csrf');
  });

  it('replies through the outbox from the case account; the sandbox publishes it once and the clock stops', async () => {
    const r = await s.request('POST', `/api/v1/cases/${frCase}/replies`, {
      cookie: lea,
      body: { text: 'Bonjour Jeanne, nous vous réacheminons sur le vol suivant.' },
    });
    expect(r.status).toBe(202);
    expect(r.body.account.handle).toBe('@AirSocial');
    await s.ctx.kickOutbox();
    let c: { body: any } = { body: null };
    for (let i = 0; i < 50; i++) {
      c = await s.request('GET', `/api/v1/cases/${frCase}`, { cookie: lea });
      if (c.body.messages.at(-1)?.delivery?.status === 'sent') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const out = c.body.messages.at(-1);
    expect(out).toMatchObject({ direction: 'out', delivery: { status: 'sent' }, person: { name: 'Léa Martin' } });
    expect(out.external_id).toMatch(/^sbx-/);
    expect(c.body.status).toBe('waiting_customer');
    expect(c.body.assignee.name).toBe('Léa Martin');
    expect(c.body.first_responded_at, JSON.stringify(c.body)).not.toBeNull();
    const posts = await db().pool.query('select account_handle, in_reply_to, text from sandbox_posts');
    expect(posts.rows).toEqual([
      {
        account_handle: '@AirSocial',
        in_reply_to: 'case-fr-1',
        text: 'Bonjour Jeanne, nous vous réacheminons sur le vol suivant.',
      },
    ]);

    // The customer answers the brand's reply: the same case comes back to the inbox.
    const follow = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'case-fr-2',
        author: { handle: '@jeanne' },
        text: 'merci, et pour mon bagage ?',
        in_reply_to: out.external_id,
      },
    });
    expect(follow.body.case_id).toBe(frCase);
    const after = await s.request('GET', `/api/v1/cases/${frCase}`, { cookie: lea });
    expect(after.body.status).toBe('open');
    expect(after.body.messages.map((m: { direction: string }) => m.direction)).toEqual(['in', 'out', 'in']);
  });

  it('never lets a reply go out from another community’s account', async () => {
    const accounts = await s.request('GET', '/api/v1/communities', {
      cookie: await s.login('marie@airsocial.example'),
    });
    const deAccount = accounts.body.find((c: { slug: string }) => c.slug === 'airsocial-de').accounts[0].id;
    const marie = await s.login('marie@airsocial.example');
    const r = await s.request('POST', `/api/v1/cases/${frCase}/replies`, {
      cookie: marie,
      body: { text: 'Hallo', account_id: deAccount },
    });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('wrong_account');
  });

  it('can undo a reply during its send delay, and nothing is published', async () => {
    const slow = await startTestServer(db().url, { PASSEUR_SEND_DELAY_MS: '60000' });
    try {
      const cookie = await slow.login('lea@airsocial.example');
      const before = await db().pool.query('select count(*)::int as n from sandbox_posts');
      const r = await slow.request('POST', `/api/v1/cases/${frCase}/replies`, {
        cookie,
        body: { text: 'Typo: Bonjuor' },
      });
      expect(r.status).toBe(202);
      const undo = await slow.request('POST', `/api/v1/messages/${r.body.message_id}/undo`, { cookie });
      expect(undo.status).toBe(204);
      await slow.ctx.kickOutbox();
      const after = await db().pool.query('select count(*)::int as n from sandbox_posts');
      expect(after.rows[0].n).toBe(before.rows[0].n);
      const ob = await db().pool.query('select status from outbox where message_id = $1', [r.body.message_id]);
      expect(ob.rows[0].status).toBe('cancelled');
      expect((await slow.request('POST', `/api/v1/messages/${r.body.message_id}/undo`, { cookie })).status).toBe(409);
    } finally {
      await slow.close();
    }
  });

  it('changes status and assignee, validating the assignee’s community', async () => {
    const ok = await s.request('PATCH', `/api/v1/cases/${frCase}`, {
      cookie: lea,
      body: { status: 'resolved', priority: 'high' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'resolved', priority: 'high' });
    const people = await s.request('GET', '/api/v1/people', { cookie: lea });
    const jonas = people.body.find((p: { name: string }) => p.name === 'Jonas Weber');
    expect(jonas).toBeUndefined();
    const bad = await s.request('PATCH', `/api/v1/cases/${frCase}`, { cookie: lea, body: { assignee_id: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('assignee_id');
  });

  it('shows a contact with the history of their cases', async () => {
    const c = await s.request('GET', `/api/v1/cases/${frCase}`, { cookie: lea });
    const contact = await s.request('GET', `/api/v1/contacts/${c.body.contact.id}`, { cookie: lea });
    expect(contact.status).toBe(200);
    expect(contact.body.identities).toEqual([{ channel: 'sandbox', handle: '@jeanne', name: 'Jeanne Dupont' }]);
    expect(contact.body.cases.map((x: { id: number }) => x.id)).toContain(frCase);
  });

  it('signs in and out, locks an account after repeated failures, and audits it all in an intact chain', async () => {
    const wrong = await s.request('POST', '/api/v1/auth/login', {
      body: { email: 'tom@airsocial.example', password: 'nope' },
    });
    expect(wrong.status).toBe(401);
    const unknown = await s.request('POST', '/api/v1/auth/login', {
      body: { email: 'nobody@x.example', password: 'nope' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe(wrong.body.message);
    for (let i = 0; i < 10; i++) {
      await s.request('POST', '/api/v1/auth/login', { body: { email: 'giulia@airsocial.example', password: 'nope' } });
    }
    const locked = await s.request('POST', '/api/v1/auth/login', {
      body: { email: 'giulia@airsocial.example', password: 'passeur-demo' },
    });
    expect(locked.status).toBe(429);
    const cookie = await s.login('emma@airsocial.example');
    expect((await s.request('GET', '/api/v1/me', { cookie })).body.name).toBe('Emma Wilson');
    expect((await s.request('POST', '/api/v1/auth/logout', { cookie })).status).toBe(204);
    expect((await s.request('GET', '/api/v1/me', { cookie })).status).toBe(401);
    const actions = await db().pool.query<{ action: string }>('select action from audit_events order by id');
    expect(actions.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'auth.login',
        'auth.login_failed',
        'auth.logout',
        'reply.queued',
        'reply.sent',
        'reply.undone',
      ]),
    );
    expect(await verifyChain(db().pool, s.ctx.directory().orgId)).toBeNull();
    await expect(db().pool.query('update audit_events set action = $1', ['forged'])).rejects.toThrow(/append-only/);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { openSse } from '../support/sse.ts';

describeEachDatabase('notifications: mentions, assignments, the list and the stream', (db) => {
  let s: TestServer;
  let caseId: number;
  const cookie: Record<string, string> = {};
  const id: Record<string, number> = {};

  beforeAll(async () => {
    s = await startTestServer(db().url, { PASSEUR_SLA_SWEEP_MS: '0' });
    for (const name of ['lea', 'marie', 'sophie', 'jonas']) cookie[name] = await s.login(`${name}@airsocial.example`);
    const people = await db().pool.query<{ id: number; email: string }>('select id, email from people');
    for (const p of people.rows) id[p.email.split('@')[0]!] = p.id;
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'notif-1',
        account: '@AirSocial',
        author: { handle: '@jeanne' },
        text: 'Ma valise est restée à Genève, pouvez-vous m’aider ?',
      },
    });
    caseId = r.body.case_id;
  });
  afterAll(async () => {
    await s?.close();
  });

  const notificationsOf = async (person: string) =>
    (
      await db().pool.query(
        'select kind, case_id, data, email_status from notifications where person_id = $1 order by id',
        [id[person]],
      )
    ).rows;

  it('notifies the people a note @mentions, among those who can read the case', async () => {
    const note = await s.request('POST', `/api/v1/cases/${caseId}/notes`, {
      cookie: cookie.lea,
      body: { text: 'Merci @Marie et @SOPHIE ! @jonas @lea @marc @personne — écrire à support@marie.example' },
    });
    expect(note.status).toBe(201);
    const mention = { kind: 'mention', case_id: caseId, data: expect.objectContaining({ by_name: 'Léa Martin' }) };
    expect(await notificationsOf('marie')).toEqual([expect.objectContaining(mention)]);
    expect(await notificationsOf('sophie')).toEqual([expect.objectContaining(mention)]);
    // Jonas works in the German communities, Marc is an expert without inbox, Léa wrote the note.
    expect(await notificationsOf('jonas')).toEqual([]);
    expect(await notificationsOf('marc')).toEqual([]);
    expect(await notificationsOf('lea')).toEqual([]);
    // Accent-insensitive: @Lea reaches Léa.
    await s.request('POST', `/api/v1/cases/${caseId}/notes`, { cookie: cookie.marie, body: { text: '@Lea vu.' } });
    expect(await notificationsOf('lea')).toEqual([expect.objectContaining({ kind: 'mention' })]);
  });

  it('marks email as skipped when no SMTP server is configured', async () => {
    // Marie wants mentions by email (the default); without SMTP the worker skips them.
    for (let i = 0; i < 100; i++) {
      const [n] = await notificationsOf('marie');
      if (n?.email_status === 'skipped') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await notificationsOf('marie'))[0]?.email_status).toBe('skipped');
  });

  it('lists a person’s notifications and marks them read', async () => {
    const list = await s.request('GET', '/api/v1/notifications?unread=1', { cookie: cookie.marie });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ unread_count: 1, next_before: null });
    expect(list.body.items).toEqual([
      expect.objectContaining({
        kind: 'mention',
        case: { id: caseId, subject: expect.stringContaining('valise') },
        read_at: null,
      }),
    ]);
    const nid = list.body.items[0].id;
    // Someone else's notification cannot be marked read by another person.
    expect(
      (await s.request('POST', '/api/v1/notifications/read', { cookie: cookie.lea, body: { ids: [nid] } })).body,
    ).toEqual({ updated: 0, unread_count: 1 });
    const read = await s.request('POST', '/api/v1/notifications/read', { cookie: cookie.marie, body: { ids: [nid] } });
    expect(read.body).toEqual({ updated: 1, unread_count: 0 });
    expect((await s.request('GET', '/api/v1/notifications?unread=1', { cookie: cookie.marie })).body.items).toEqual([]);
    const all = await s.request('GET', '/api/v1/notifications', { cookie: cookie.marie });
    expect(all.body.items[0].read_at).not.toBeNull();

    const sophieAll = await s.request('POST', '/api/v1/notifications/read', {
      cookie: cookie.sophie,
      body: { all: true },
    });
    expect(sophieAll.body).toEqual({ updated: 1, unread_count: 0 });
    const bad = await s.request('POST', '/api/v1/notifications/read', { cookie: cookie.sophie, body: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('ids');
    expect((await s.request('GET', '/api/v1/notifications', { token: s.token })).status).toBe(403);
  });

  it('notifies a new assignee, and sends notification events only to their recipients', async () => {
    const streams = {
      sophie: await openSse(`${s.base}/api/v1/events`, cookie.sophie!),
      lea: await openSse(`${s.base}/api/v1/events`, cookie.lea!),
      marie: await openSse(`${s.base}/api/v1/events`, cookie.marie!),
    };
    try {
      const patch = await s.request('PATCH', `/api/v1/cases/${caseId}`, {
        cookie: cookie.lea,
        body: { assignee_id: id.sophie },
      });
      expect(patch.status).toBe(200);
      expect((await notificationsOf('sophie')).at(-1)).toMatchObject({
        kind: 'assigned',
        data: { by: id.lea, by_name: 'Léa Martin' },
      });
      const event = await streams.sophie.until((e) => e.type === 'notification.created');
      expect(event).toMatchObject({ case_id: caseId, people: [id.sophie] });
      // Everyone in the community sees the case change; nobody else gets Sophie's notification.
      await streams.lea.until((e) => e.type === 'case.updated' && e.case_id === caseId);
      await streams.marie.until((e) => e.type === 'case.updated' && e.case_id === caseId);
      const assignedAt = await db().pool.query('select assigned_at from cases where id = $1', [caseId]);
      expect(assignedAt.rows[0].assigned_at).toBeInstanceOf(Date);

      // Taking a case yourself notifies nobody.
      const before = (await notificationsOf('lea')).length;
      await s.request('PATCH', `/api/v1/cases/${caseId}`, { cookie: cookie.lea, body: { assignee_id: id.lea } });
      expect(await notificationsOf('lea')).toHaveLength(before);
      await new Promise((r) => setTimeout(r, 200));
      for (const [who, stream] of Object.entries(streams)) {
        for (const e of stream.events.filter((x) => x.type === 'notification.created')) {
          expect(e.people, who).toEqual([id[who]]);
        }
      }
      expect(streams.lea.events.some((e) => e.type === 'notification.created')).toBe(false);
    } finally {
      for (const stream of Object.values(streams)) stream.close();
    }
  });

  it('lets a person choose which notifications reach them by email', async () => {
    const got = await s.request('GET', '/api/v1/notifications/preferences', { cookie: cookie.lea });
    expect(got.body.email).toEqual(['assigned', 'mention', 'sla_breach', 'consult', 'consult_overdue', 'handover']);
    const put = await s.request('PUT', '/api/v1/notifications/preferences', {
      cookie: cookie.lea,
      body: { email: ['sla_warning', 'sla_breach'] },
    });
    expect(put.body.email).toEqual(['sla_warning', 'sla_breach']);
    expect(
      (await s.request('PUT', '/api/v1/notifications/preferences', { cookie: cookie.lea, body: { email: ['spam'] } }))
        .status,
    ).toBe(400);
    await s.request('POST', `/api/v1/cases/${caseId}/notes`, { cookie: cookie.marie, body: { text: '@lea encore' } });
    // Léa no longer wants mentions by email: the row is not marked for email at all.
    expect((await notificationsOf('lea')).at(-1)).toMatchObject({ kind: 'mention', email_status: null });
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { personPrincipal } from '../../src/domain/access/service.ts';
import { sweepOffDuty } from '../../src/domain/coverage/backups.ts';
import { runOutOfHours } from '../../src/domain/coverage/out-of-hours.ts';
import { saveSettings } from '../../src/domain/coverage/settings-store.ts';
import { CoverageWorker } from '../../src/domain/coverage/worker.ts';
import { ingest } from '../../src/domain/ingest/service.ts';
import { verifySignature } from '../../src/domain/webhooks/signature.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Sunday 29 November 2026, 02:00 in Rome (UTC+1): nobody of the Italian desks works then (journey J4). */
const SUNDAY_2AM_ROME = new Date('2026-11-29T01:00:00Z');
/** Sunday 10:00 in Rome: Luca's weekend shift (08:00–18:00). */
const SUNDAY_10AM_ROME = new Date('2026-11-29T09:00:00Z');
/** Sunday 19:00 in Rome: Luca's weekend shift has ended. */
const SUNDAY_7PM_ROME = new Date('2026-11-29T18:00:00Z');
/** Monday 17:00 in Rome: Giulia (08:00–16:00) is off, Luca (16:00–22:00) is on. */
const MONDAY_5PM_ROME = new Date('2026-11-30T16:00:00Z');
/** Monday 23:30 in Rome: both are off. */
const MONDAY_LATE_ROME = new Date('2026-11-30T22:30:00Z');

const TARMAC =
  '@AirSocial_it siamo bloccati sulla pista da due ore, passeggeri senza acqua, bambini che piangono, nessuna informazione! Volo AS452 Roma-Ginevra';

describeEachDatabase('coverage: out of hours, paging and backups (J4)', (db) => {
  const hooks: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const mails: { to: string[]; raw: string }[] = [];
  let receiver: http.Server;
  let smtp: SMTPServer;
  let s: TestServer;
  let marie: string;
  let pagerSecret: string;
  let hookUrl: string;
  const id: Record<string, number> = {};
  const community: Record<string, number> = {};

  const post = (external_id: string, text: string, extra: Record<string, unknown> = {}) =>
    s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id,
        account: '@AirSocial_it',
        author: { handle: `@${external_id}` },
        text,
        ...extra,
      },
    });
  const pass = (now: Date) =>
    runOutOfHours({ pool: db().pool, directory: () => s.ctx.directory(), publicUrl: 'https://care.example' }, now);
  const caseOf = async (caseId: number) => (await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: marie })).body;

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10_000) {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pager`;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    s = await startTestServer(db().url, {
      PASSEUR_SLA_SWEEP_MS: '0',
      PASSEUR_ALLOW_PRIVATE_WEBHOOKS: '1',
      PASSEUR_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    });
    marie = await s.login('marie@airsocial.example');
    // Duty follows the demo schedules (the test server sets everyone off duty by default).
    await db().pool.query('update people set on_duty = null');
    for (const p of (await db().pool.query<{ id: number; email: string }>('select id, email from people')).rows) {
      id[p.email.split('@')[0]!] = p.id;
    }
    for (const c of s.ctx.directory().communities.values()) community[c.slug] = c.id;
  });
  afterAll(async () => {
    await s?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('Sunday 02:00: acknowledges in Italian from the Italian account, pages Luca by email and webhook, once (J4)', async () => {
    // The demo's Italian desk: acknowledgement texts and Luca on call; the leader adds a pager webhook.
    const settings = (await s.request('GET', '/api/v1/coverage/settings', { cookie: marie })).body as {
      community_id: number;
      off_duty_policy: string;
      auto_ack: { enabled: boolean; texts: Record<string, { text: string; link: string | null }> };
      paging: { enabled: boolean; on_call_ids: number[] };
    }[];
    const it = settings.find((x) => x.community_id === community['airsocial-it'])!;
    expect(it.auto_ack.enabled).toBe(true);
    expect(it.auto_ack.texts.it!.link).toBe('https://www.airsocial.example/info/it');
    expect(it.paging.on_call_ids).toEqual([id.luca]);
    const put = await s.request('PUT', `/api/v1/coverage/settings/${community['airsocial-it']}`, {
      cookie: marie,
      body: {
        off_duty_policy: it.off_duty_policy,
        auto_ack: it.auto_ack,
        paging: { enabled: true, on_call_ids: [id.luca], webhook_url: hookUrl },
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.paging.webhook.url).toBe(hookUrl);
    pagerSecret = put.body.pager_secret;
    expect(pagerSecret).toMatch(/^whsec_/);

    // An ordinary question first, so "top of SLA at risk" means something.
    await post('j4-calm', 'Buongiorno, posso portare uno zaino in cabina?');
    const first = await post('j4-1', TARMAC);
    expect(first.status).toBe(202);
    const caseId = first.body.case_id as number;
    expect(await pass(SUNDAY_2AM_ROME)).toMatchObject({ acknowledged: 2, paged: 1 });

    const c = await caseOf(caseId);
    expect(c.urgency).toBe('critical');
    const acks = c.messages.filter((m: { direction: string }) => m.direction === 'out');
    expect(acks).toHaveLength(1);
    expect(acks[0].text).toContain('Grazie per il suo messaggio');
    expect(acks[0].text).toContain('https://www.airsocial.example/info/it');
    const itAccount = s.ctx.directory().accountOf(community['airsocial-it']!, 'sandbox')!;
    expect(itAccount.handle).toBe('@AirSocial_it');
    const stored = await db().pool.query<{ account_id: number; person_id: number | null; in_reply_to: string }>(
      'select account_id, person_id, in_reply_to from messages where id = $1',
      [acks[0].id],
    );
    expect(stored.rows[0]).toEqual({ account_id: itAccount.id, person_id: null, in_reply_to: 'j4-1' });
    const kinds = c.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('auto_acknowledged');
    expect(kinds).toContain('on_call_paged');

    // It goes out through the outbox from @AirSocial_it; the first-response clock keeps running.
    await waitFor('the acknowledgement to be sent', async () => {
      const r = await db().pool.query<{ status: string }>('select status from outbox where message_id = $1', [
        acks[0].id,
      ]);
      return r.rows[0]?.status === 'sent' ? true : undefined;
    });
    const clocks = await db().pool.query<{ first_responded_at: Date | null; last_outbound_at: Date | null }>(
      'select first_responded_at, last_outbound_at from cases where id = $1',
      [caseId],
    );
    expect(clocks.rows[0]).toEqual({ first_responded_at: null, last_outbound_at: null });
    const risk = await s.request('GET', '/api/v1/cases?view=sla_risk', { cookie: marie });
    expect(risk.body.items[0].id).toBe(caseId);

    // The page: a signed webhook and an email to Luca.
    const hook = await waitFor('the pager webhook', () => (hooks.length > 0 ? hooks[0] : undefined));
    expect(hook.headers['x-passeur-event']).toBe('case.paged');
    expect(
      verifySignature(
        pagerSecret,
        {
          timestamp: hook.headers['x-passeur-timestamp'] as string,
          signature: hook.headers['x-passeur-signature'] as string,
        },
        hook.body,
      ),
    ).toBe(true);
    const payload = JSON.parse(hook.body);
    expect(payload.case).toMatchObject({ id: caseId, urgency: 'critical', community: { slug: 'airsocial-it' } });
    expect(payload.data.on_call.map((p: { email: string }) => p.email)).toEqual(['luca@airsocial.example']);
    expect(hook.body).not.toContain('acqua');
    const mail = await waitFor('the page email', () => mails.find((m) => m.to.includes('luca@airsocial.example')));
    expect(mail.raw).toContain(String(caseId));

    // The customer writes again in the same conversation, and the first message is sent again: nothing more.
    expect(
      (
        await post('j4-2', 'Ancora niente acqua, sono passate due ore e mezza', {
          in_reply_to: 'j4-1',
          author: { handle: '@j4-1' },
        })
      ).body.case_id,
    ).toBe(caseId);
    expect((await post('j4-1', TARMAC)).body.case_id).toBe(caseId);
    expect(await pass(SUNDAY_2AM_ROME)).toMatchObject({ acknowledged: 0, paged: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks).toHaveLength(1);
    expect(mails.filter((m) => m.to.includes('luca@airsocial.example'))).toHaveLength(1);
    const actions = await s.request('GET', `/api/v1/coverage/actions?community=${community['airsocial-it']}`, {
      cookie: marie,
    });
    const mine = actions.body.filter((a: { case_id: number }) => a.case_id === caseId);
    expect(mine.map((a: { kind: string }) => a.kind).sort()).toEqual(['auto_ack', 'page']);
    const audit = await db().pool.query<{ action: string }>(
      `select action from audit_events where action like 'coverage.%' and subject_id = $1 order by id`,
      [String(caseId)],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['coverage.auto_acknowledged', 'coverage.paged']);
  });

  it('acknowledges the same conversation again in the next out-of-hours period, but pages a case once', async () => {
    const caseId = (await post('period-1', 'Siamo bloccati sulla pista senza acqua da due ore')).body.case_id;
    const worker = new CoverageWorker({
      pool: db().pool,
      directory: () => s.ctx.directory(),
      publicUrl: 'https://care.example',
      log: pino({ level: 'silent' }),
      intervalMs: 0,
      now: () => clock,
    });
    let clock = SUNDAY_2AM_ROME;
    await worker.runOnce();
    // Luca's shift (Sunday 08:00–18:00) covers the desk; at 19:00 nobody does again: a new period.
    clock = SUNDAY_10AM_ROME;
    await worker.runOnce();
    clock = SUNDAY_7PM_ROME;
    await post('period-2', 'Nessuno risponde?', { in_reply_to: 'period-1', author: { handle: '@period-1' } });
    await worker.runOnce();
    const c = await caseOf(caseId);
    expect(c.messages.filter((m: { direction: string }) => m.direction === 'out')).toHaveLength(2);
    expect(c.events.filter((e: { kind: string }) => e.kind === 'on_call_paged')).toHaveLength(1);
    const periods = await db().pool.query<{ period_start: Date }>(
      `select period_start from coverage_actions where case_id = $1 and kind = 'auto_ack' order by id`,
      [caseId],
    );
    expect(periods.rows.map((r) => r.period_start.toISOString())).toEqual([
      expect.any(String),
      SUNDAY_7PM_ROME.toISOString(),
    ]);
  });

  it('refuses a pager webhook on a private address unless private targets are allowed', async () => {
    const marieP = (await personPrincipal(db().pool, id.marie!))!;
    const input = {
      off_duty_policy: 'stay' as const,
      auto_ack: { enabled: false, texts: {} },
      paging: { enabled: true, on_call_ids: [], webhook_url: 'http://127.0.0.1:9/pager' },
    };
    const deps = { pool: db().pool, keyring: s.ctx.keyring, allowPrivateWebhooks: false };
    await expect(saveSettings(deps, marieP, community['express-it']!, input)).rejects.toThrow(
      /paging\.webhook_url: 127\.0\.0\.1 is a private or local address/,
    );
    await expect(
      saveSettings(deps, marieP, community['express-it']!, {
        ...input,
        paging: { ...input.paging, webhook_url: 'http://[::1]/x' },
      }),
    ).rejects.toThrow(/private or local/);
  });

  it('sends nothing while someone of the community is on duty, and never answers an article mention', async () => {
    const day = await post('day-1', 'Siamo bloccati sulla pista da due ore senza acqua');
    expect(await pass(SUNDAY_10AM_ROME)).toMatchObject({ acknowledged: 0, paged: 0 });
    expect((await caseOf(day.body.case_id)).messages).toHaveLength(1);
    const [article] = await ingest(s.ctx.ingestDeps, [
      {
        channel: 'sandbox',
        external_id: 'press-1',
        account: '@AirSocial_it',
        author: { handle: 'giornale.example' },
        text: 'AirSocial: passeggeri bloccati sulla pista senza acqua per due ore',
        meta: { kind: 'mention' },
      },
    ]);
    await pass(SUNDAY_2AM_ROME);
    const c = await caseOf(article!.case_id);
    expect(c.messages.filter((m: { direction: string }) => m.direction === 'out')).toHaveLength(0);
  });

  it('acknowledges in hours when a routing rule asks for it, once per conversation', async () => {
    const current = await s.request('GET', '/api/v1/routing/policy', { cookie: marie });
    const saved = await s.request('PUT', '/api/v1/routing/policy', {
      cookie: marie,
      body: {
        rules: [
          {
            id: 'ack-refunds',
            name: 'Refunds: acknowledge',
            when: { keywords: ['rimborso'] },
            actions: { team: 'customer_care', auto_acknowledge: true },
          },
          ...current.body.rules,
        ],
      },
    });
    expect(saved.status).toBe(200);
    const asked = await post('rule-ack-1', 'Quando arriva il mio rimborso? Pratica RB1234');
    const other = await post('rule-ack-other', 'Posso scegliere il posto in anticipo?');
    expect(await pass(SUNDAY_10AM_ROME)).toMatchObject({ acknowledged: 1, paged: 0 });
    const outbound = async (caseId: number) =>
      (await caseOf(caseId)).messages.filter((m: { direction: string }) => m.direction === 'out');
    const [ack] = await outbound(asked.body.case_id);
    expect(ack).toMatchObject({ kind: 'auto_ack' });
    expect(ack.text).toContain('https://www.airsocial.example/info/it');
    expect(await outbound(other.body.case_id)).toHaveLength(0);
    // A follow-up in the same thread, and the next pass: nothing more.
    await post('rule-ack-2', 'Ancora niente per il rimborso', {
      in_reply_to: 'rule-ack-1',
      author: { handle: '@rule-ack-1' },
    });
    expect(await pass(SUNDAY_10AM_ROME)).toMatchObject({ acknowledged: 0 });
    expect(await outbound(asked.body.case_id)).toHaveLength(1);
    await s.request('PUT', '/api/v1/routing/policy', { cookie: marie, body: { rules: current.body.rules } });
  });

  it('moves an off-duty person’s open cases by the community policy: backup, team queue, stay', async () => {
    const orgId = s.ctx.directory().orgId;
    const r = await post('duty-1', 'Buongiorno, vorrei cambiare il posto sul volo di domani');
    const caseId = r.body.case_id as number;
    // Only this case is assigned, so the sweep's counts are about it.
    const assign = (personId: number) =>
      db().pool.query(
        `update cases set assignee_id = case when id = $1 then $2::int end,
           assigned_at = case when id = $1 then now() end, status = case when id = $1 then 'open' else status end`,
        [caseId, personId],
      );
    const assignee = async () => (await caseOf(caseId)).assignee?.id ?? null;
    const setPolicy = async (policy: string) => {
      const cur = (await s.request('GET', '/api/v1/coverage/settings', { cookie: marie })).body.find(
        (x: { community_id: number }) => x.community_id === community['airsocial-it'],
      );
      const res = await s.request('PUT', `/api/v1/coverage/settings/${community['airsocial-it']}`, {
        cookie: marie,
        body: {
          off_duty_policy: policy,
          auto_ack: cur.auto_ack,
          paging: { enabled: cur.paging.enabled, on_call_ids: cur.paging.on_call_ids, webhook_url: hookUrl },
        },
      });
      expect(res.status).toBe(200);
    };

    // backup (the demo's policy): Giulia's shift ended, Luca (her first backup) is on.
    await assign(id.giulia!);
    expect(await sweepOffDuty(db().pool, orgId, MONDAY_5PM_ROME)).toEqual({ toBackup: 1, toQueue: 0 });
    expect(await assignee()).toBe(id.luca);
    const ev = (await caseOf(caseId)).events.filter((e: { kind: string }) => e.kind === 'reassigned').at(-1);
    expect(ev.data).toMatchObject({
      from: id.giulia,
      to: id.luca,
      policy: 'backup',
      reason: 'the assignee went off duty',
    });

    // backup, but no backup on duty: back to the team queue.
    await assign(id.giulia!);
    expect(await sweepOffDuty(db().pool, orgId, MONDAY_LATE_ROME)).toEqual({ toBackup: 0, toQueue: 1 });
    expect(await assignee()).toBeNull();

    // team: straight back to the queue, even with a backup on duty.
    await setPolicy('team');
    await assign(id.giulia!);
    expect(await sweepOffDuty(db().pool, orgId, MONDAY_5PM_ROME)).toEqual({ toBackup: 0, toQueue: 1 });
    expect(await assignee()).toBeNull();

    // stay: nothing moves; and a person on duty keeps their cases whatever the policy.
    await setPolicy('stay');
    await assign(id.giulia!);
    expect(await sweepOffDuty(db().pool, orgId, MONDAY_5PM_ROME)).toEqual({ toBackup: 0, toQueue: 0 });
    expect(await assignee()).toBe(id.giulia);
    await setPolicy('backup');
    await assign(id.luca!);
    expect(await sweepOffDuty(db().pool, orgId, MONDAY_5PM_ROME)).toEqual({ toBackup: 0, toQueue: 0 });
    expect(await assignee()).toBe(id.luca);
    const moves = await db().pool.query(
      `select 1 from audit_events where action = 'coverage.off_duty_moved' and subject_id = $1`,
      [String(caseId)],
    );
    expect(moves.rows).toHaveLength(3);
  });

  it('gives a backup access to every case of the communities they back up', async () => {
    const sophie = await s.login('sophie@airsocial.example');
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'express-fr-1',
        account: '@AirSocialExpress_fr',
        author: { handle: '@client' },
        text: 'Bonjour, mon bagage est resté à Genève',
      },
    });
    const caseId = r.body.case_id as number;
    expect((await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: sophie })).status).toBe(404);

    // A manager of other communities may not set Léa's backups; validation names the field.
    const giulia = await s.login('giulia@airsocial.example');
    const denied = await s.request('PUT', `/api/v1/people/${id.lea}/backups`, {
      cookie: giulia,
      body: { backup_ids: [id.sophie] },
    });
    expect(denied.status).toBe(403);
    const expert = await s.request('PUT', `/api/v1/people/${id.lea}/backups`, {
      cookie: marie,
      body: { backup_ids: [id.marc] },
    });
    expect(expert.status).toBe(400);
    expect(expert.body.field ?? JSON.stringify(expert.body)).toContain('backup_ids');
    const self = await s.request('PUT', `/api/v1/people/${id.lea}/backups`, {
      cookie: marie,
      body: { backup_ids: [id.lea] },
    });
    expect(self.status).toBe(400);

    const saved = await s.request('PUT', `/api/v1/people/${id.lea}/backups`, {
      cookie: marie,
      body: { backup_ids: [id.sophie, id.marie] },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.backups.map((b: { backup_id: number; rank: number }) => [b.backup_id, b.rank])).toEqual([
      [id.sophie, 1],
      [id.marie, 2],
    ]);
    expect(saved.body.granted).toEqual([{ backup_id: id.sophie, community_ids: [community['express-fr']] }]);
    const c = await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: sophie });
    expect(c.status).toBe(200);
    expect(c.body.messages[0].text).toContain('bagage');
    const listed = await s.request('GET', `/api/v1/people/${id.lea}/backups`, { cookie: giulia });
    expect(listed.body.backups.map((b: { name: string }) => b.name)).toEqual(['Sophie Laurent', 'Marie Lefèvre']);
  });

  it('validates coverage settings and names the field', async () => {
    const target = `/api/v1/coverage/settings/${community['airsocial-de']}`;
    const base = {
      off_duty_policy: 'stay',
      auto_ack: { enabled: true, texts: { de: { text: 'Danke!', link: 'https://www.airsocial.example/info/de' } } },
      paging: { enabled: false, on_call_ids: [], webhook_url: null },
    };
    const bad = async (body: unknown, field: string) => {
      const res = await s.request('PUT', target, { cookie: marie, body });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    };
    await bad({ ...base, off_duty_policy: 'sometimes' }, 'off_duty_policy');
    await bad(
      { ...base, auto_ack: { enabled: true, texts: { de: { text: 'x', link: 'javascript:alert(1)' } } } },
      'link',
    );
    await bad({ ...base, auto_ack: { enabled: true, texts: {} } }, 'auto_ack.texts');
    await bad(
      { ...base, paging: { enabled: true, on_call_ids: [id.marc], webhook_url: null } },
      'paging.on_call_ids.0',
    );
    await bad(
      { ...base, paging: { enabled: true, on_call_ids: [], webhook_url: 'ftp://pager.example/x' } },
      'paging.webhook_url',
    );
    const manager = await s.login('jonas@airsocial.example');
    expect((await s.request('PUT', target, { cookie: manager, body: base })).status).toBe(403);
    const own = (await s.request('GET', '/api/v1/coverage/settings', { cookie: manager })).body;
    expect(own.map((x: { community_id: number }) => x.community_id).sort()).toEqual(
      [community['airsocial-de'], community['express-de']].sort(),
    );
    const ok = await s.request('PUT', target, { cookie: marie, body: base });
    expect(ok.status).toBe(200);
    const audit = await db().pool.query<{ data: Record<string, unknown> }>(
      `select data from audit_events where action = 'coverage.settings_updated' and subject_id = $1 order by id desc limit 1`,
      [String(community['airsocial-de'])],
    );
    expect(audit.rows[0]!.data).toMatchObject({ off_duty_policy: 'stay', languages: ['de'], paging: false });
  });
});

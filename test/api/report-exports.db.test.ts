import type { AddressInfo } from 'node:net';
import { parse as parseCsv } from 'csv-parse/sync';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DeliveryDeps, runDueReports } from '../../src/domain/reports/schedules.ts';
import { describeEachDatabase } from '../support/db.ts';
import { pdfText, readXlsx } from '../support/files.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Report exports and scheduled reports through the API: XLSX read back and compared with the CSV of the same
 * filter, formulas neutralised; schedules created, validated and access-checked; due slots emailed once with the
 * PDF attached to a real SMTP server, with an injected clock.
 */
describeEachDatabase('report exports: XLSX and scheduled emails', (db) => {
  const mails: { to: string[]; parsed: ParsedMail }[] = [];
  let smtp: SMTPServer;
  let smtpUrl: string;
  let s: TestServer;
  const cookie: Record<string, string> = {};
  const person: Record<string, number> = {};
  const community: Record<string, number> = {};

  const deps = (): DeliveryDeps => ({
    pool: db().pool,
    directory: s.ctx.directory(),
    sla: s.ctx.sla(),
    mail: { smtpUrl, from: 'Passeur <reports@airsocial.example>', publicUrl: 'https://care.example' },
  });
  const fetchBytes = async (path: string, who: string) => {
    const headers: Record<string, string> =
      who === 'token' ? { authorization: `Bearer ${s.token}` } : { cookie: cookie[who]! };
    const res = await fetch(`${s.base}${path}`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
  };
  const waitForMails = async (n: number) => {
    const end = Date.now() + 10_000;
    while (mails.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void simpleParser(Buffer.concat(chunks)).then((parsed) => {
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    s = await startTestServer(db().url, { PASSEUR_SMTP_URL: smtpUrl });
    for (const p of (await db().pool.query<{ id: number; email: string }>('select id, email from people')).rows) {
      person[p.email.split('@')[0]!] = p.id;
    }
    for (const c of s.ctx.directory().communities.values()) community[c.slug] = c.id;
    for (const who of ['marie', 'lea', 'paul', 'marc', 'anna']) cookie[who] = await s.login(`${who}@airsocial.example`);
    // A few cases in two communities, one with formula-like topics.
    for (const [i, account] of ['@AirSocial', '@AirSocial_de', '@AirSocial', '@AirSocial_it'].entries()) {
      const r = await s.request('POST', '/api/v1/messages', {
        token: s.token,
        body: {
          channel: 'sandbox',
          external_id: `x-${i}`,
          account,
          author: { handle: `@customer${i}` },
          text: `Mon vol AS${100 + i} est annulé, que faire ?`,
        },
      });
      expect(r.status).toBeLessThan(300);
    }
    await db().pool.query(
      `update cases set topics = array['=HYPERLINK("http://evil.example","x")', '@SUM(1+1)', 'baggage']
       where id = (select min(id) from cases)`,
    );
  });
  afterAll(async () => {
    await s?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('exports XLSX with the same rows as the CSV of the same filter, formulas neutralised, and a summary sheet', async () => {
    for (const kind of ['cases', 'messages'] as const) {
      for (const q of ['', `?community=${community['airsocial-fr']}`]) {
        const csv = await fetchBytes(`/api/v1/reports/export/${kind}.csv${q}`, 'marie');
        const book = await fetchBytes(`/api/v1/reports/export/${kind}.xlsx${q}`, 'marie');
        expect(book.status).toBe(200);
        expect(book.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        const sheets = readXlsx(book.body);
        expect([...sheets.keys()]).toEqual([kind === 'cases' ? 'Cases' : 'Messages', 'Summary']);
        const rows = sheets.get(kind === 'cases' ? 'Cases' : 'Messages')!;
        const expected = parseCsv(csv.body.toString('utf8'), { relax_column_count: true }) as string[][];
        // Missing trailing cells are empty cells.
        const padded = rows.map((r) => [...r, ...Array(expected[0]!.length - r.length).fill('')]);
        expect(padded).toEqual(expected);
        expect(expected.length).toBeGreaterThan(1);
      }
    }
    const cases = readXlsx((await fetchBytes('/api/v1/reports/export/cases.xlsx', 'marie')).body).get('Cases')!;
    const topics = cases[0]!.indexOf('topics');
    const tainted = cases.find((r) => r[topics]?.includes('evil'))!;
    expect(tainted[topics]).toBe(`'=HYPERLINK("http://evil.example","x")|@SUM(1+1)|baggage`);
    // The summary sheet holds the KPIs of GET /reports/summary (extensions included).
    const summary = (await s.request('GET', '/api/v1/reports/summary', { cookie: cookie.marie })).body;
    const sheet = readXlsx((await fetchBytes('/api/v1/reports/export/cases.xlsx', 'marie')).body).get('Summary')!;
    expect(sheet[0]).toEqual(['indicator', 'period', 'previous_period']);
    expect(sheet.find((r) => r[0] === 'messages_in')?.[1]).toBe(String(summary.kpis.messages_in));
    expect(sheet.find((r) => r[0] === 'cases_created')?.[1]).toBe('4');
    expect(sheet.some((r) => r[0]?.startsWith('extensions.feedback.ideas.'))).toBe(true);
    expect(sheet.some((r) => r[0] === 'extensions.quality.total.reviews')).toBe(true);
  });

  it('applies the CSV access rules to XLSX: leaders all, managers their communities, tokens; audited', async () => {
    const all = readXlsx((await fetchBytes('/api/v1/reports/export/cases.xlsx', 'token')).body).get('Cases')!;
    expect(all).toHaveLength(1 + 4);
    // Léa manages the French communities: only their cases, and no other community.
    const lea = readXlsx((await fetchBytes('/api/v1/reports/export/cases.xlsx', 'lea')).body).get('Cases')!;
    const col = lea[0]!.indexOf('community');
    expect(lea.slice(1).map((r) => r[col])).toEqual(['airsocial-fr', 'airsocial-fr']);
    expect(
      (await fetchBytes(`/api/v1/reports/export/cases.xlsx?community=${community['airsocial-de']}`, 'lea')).status,
    ).toBe(403);
    expect((await fetchBytes('/api/v1/reports/export/messages.xlsx', 'paul')).status).toBe(200);
    expect((await fetchBytes('/api/v1/reports/export/messages.xlsx', 'marc')).status).toBe(403);
    expect((await fetch(`${s.base}/api/v1/reports/export/cases.xlsx`)).status).toBe(401);
    const audited = await db().pool.query<{ n: number }>(
      `select count(*)::int as n from audit_events where action like 'report.export_%' and data->>'format' = 'xlsx'`,
    );
    expect(audited.rows[0]!.n).toBeGreaterThanOrEqual(5);
  });

  const weekly = (over: Record<string, unknown> = {}) => ({
    name: 'Weekly customer care',
    communities: [community['airsocial-fr'], community['express-fr']],
    period: 'last_week',
    frequency: 'weekly',
    weekday: 1,
    time: '08:00',
    timezone: 'Europe/Zurich',
    recipients: [{ person_id: person.anna }, { email: 'care-leads@airsocial.example' }],
    ...over,
  });

  it('validates schedules and lets leaders, and managers for their communities, manage them', async () => {
    const bad = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.marie,
      body: weekly({ recipients: [{ email: 'someone@gmail.example' }] }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('recipients.0.email');
    const noDay = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.marie,
      body: weekly({ weekday: undefined }),
    });
    expect(noDay.status).toBe(400);
    expect(JSON.stringify(noDay.body)).toContain('weekday');
    const badZone = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.marie,
      body: weekly({ timezone: 'Mars/Olympus' }),
    });
    expect(badZone.status).toBe(400);
    // Léa (manager of the French communities) schedules for them, not for the German one nor for all.
    const mine = await s.request('POST', '/api/v1/reports/schedules', { cookie: cookie.lea, body: weekly() });
    expect(mine.status).toBe(201);
    const other = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.lea,
      body: weekly({ communities: [community['airsocial-de']] }),
    });
    expect(other.status).toBe(403);
    const everything = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.lea,
      body: weekly({ communities: null }),
    });
    expect(everything.status).toBe(400);
    // Viewers, experts and tokens schedule nothing.
    for (const who of ['paul', 'marc']) {
      const r = await s.request('GET', '/api/v1/reports/schedules', { cookie: cookie[who] });
      expect(r.status).toBe(403);
    }
    expect((await s.request('GET', '/api/v1/reports/schedules', { token: s.token })).status).toBe(403);
    // Marie schedules for every community; Léa does not see it, Marie sees both.
    const all = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.marie,
      body: weekly({ name: 'All communities', communities: null, frequency: 'monthly', month_day: 1 }),
    });
    expect(all.status).toBe(201);
    expect(all.body.weekday).toBeNull();
    expect((await s.request('GET', '/api/v1/reports/schedules', { cookie: cookie.lea })).body.items).toHaveLength(1);
    expect((await s.request('GET', '/api/v1/reports/schedules', { cookie: cookie.marie })).body.items).toHaveLength(2);
    expect((await s.request('GET', `/api/v1/reports/schedules/${all.body.id}`, { cookie: cookie.lea })).status).toBe(
      404,
    );
    const changed = await s.request('PUT', `/api/v1/reports/schedules/${mine.body.id}`, {
      cookie: cookie.lea,
      body: weekly({ name: 'Weekly FR', weekday: 2 }),
    });
    expect(changed.status).toBe(200);
    expect(changed.body.name).toBe('Weekly FR');
    // The next slot is a Tuesday 08:00 in Zurich.
    const next = new Date(changed.body.next_due_at);
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Zurich',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('Tue 08:00');
    expect((await s.request('DELETE', `/api/v1/reports/schedules/${all.body.id}`, { cookie: cookie.lea })).status).toBe(
      404,
    );
    expect(
      (await s.request('DELETE', `/api/v1/reports/schedules/${all.body.id}`, { cookie: cookie.marie })).status,
    ).toBe(204);
    const audited = await db().pool.query<{ action: string }>(
      `select action from audit_events where action like 'report.schedule_%' order by id`,
    );
    expect(audited.rows.map((r) => r.action)).toEqual([
      'report.schedule_created',
      'report.schedule_created',
      'report.schedule_updated',
      'report.schedule_deleted',
    ]);
  });

  it('emails a due report once, with the PDF attached, to each recipient; not before; never twice', async () => {
    const created = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.marie,
      body: weekly({ name: 'Quality weekly' }),
    });
    const id = created.body.id as number;
    const due = new Date(created.body.next_due_at);
    mails.length = 0;
    // Not yet due: nothing.
    expect(await runDueReports(deps(), new Date(due.getTime() - 60_000))).toEqual({ sent: 0, failed: 0 });
    // Due: one email per recipient, each with the PDF.
    const r = await runDueReports(deps(), new Date(due.getTime() + 60_000));
    expect(r).toEqual({ sent: 1, failed: 0 });
    await waitForMails(2);
    expect(mails.map((m) => m.to).sort()).toEqual([['anna@airsocial.example'], ['care-leads@airsocial.example']]);
    for (const m of mails) {
      expect(m.parsed.subject).toMatch(/^Quality weekly: \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/);
      expect(m.parsed.text).toContain('Messages received');
      expect(m.parsed.text).toContain('Ideas created');
      expect(m.parsed.attachments).toHaveLength(1);
      const pdf = m.parsed.attachments[0]!;
      expect(pdf.contentType).toBe('application/pdf');
      expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(pdf.content);
      expect(text).toContain('Quality weekly');
      expect(text).toContain('QA mean score (0 to 100)');
      expect(text).toContain('Incidents raised to quality');
    }
    // The same instant again, two processes at once, and a restart that finds the slot still due: no duplicate.
    const again = await Promise.all([
      runDueReports(deps(), new Date(due.getTime() + 60_000)),
      runDueReports(deps(), new Date(due.getTime() + 120_000)),
    ]);
    expect(again.map((x) => x.sent)).toEqual([0, 0]);
    await db().pool.query('update report_schedules set next_due_at = $2 where id = $1', [id, due]);
    expect(await runDueReports(deps(), new Date(due.getTime() + 180_000))).toEqual({ sent: 0, failed: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(mails).toHaveLength(2);
    const deliveries = await db().pool.query<{ kind: string; status: string; slot: Date; recipients: string[] }>(
      'select kind, status, slot, recipients from report_deliveries where schedule_id = $1',
      [id],
    );
    expect(deliveries.rows).toHaveLength(1);
    expect(deliveries.rows[0]!.status).toBe('sent');
    expect(deliveries.rows[0]!.slot.toISOString()).toBe(due.toISOString());
    // The next week's slot is due a week later, and sent then.
    const row = (await s.request('GET', `/api/v1/reports/schedules/${id}`, { cookie: cookie.marie })).body;
    const nextDue = new Date(row.next_due_at);
    expect(nextDue.getTime() - due.getTime()).toBe(7 * 86_400_000);
    expect(row.last_sent_at).not.toBeNull();
    // (The other schedules of this file are paused so that only this one is due then.)
    await db().pool.query('update report_schedules set active = false where id <> $1', [id]);
    expect((await runDueReports(deps(), new Date(nextDue.getTime() + 1000))).sent).toBe(1);
    await waitForMails(4);
    expect(mails).toHaveLength(4);
  });

  it('sends a report now on request, audited; others may not; not once its owner lost the communities', async () => {
    const created = await s.request('POST', '/api/v1/reports/schedules', {
      cookie: cookie.lea,
      body: weekly({ name: 'Now', recipients: [{ person_id: person.lea }] }),
    });
    mails.length = 0;
    expect(
      (await s.request('POST', `/api/v1/reports/schedules/${created.body.id}/send`, { cookie: cookie.marc })).status,
    ).toBe(403);
    const sent = await s.request('POST', `/api/v1/reports/schedules/${created.body.id}/send`, { cookie: cookie.lea });
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('sent');
    expect(sent.body.recipients).toEqual(['lea@airsocial.example']);
    await waitForMails(1);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.attachments[0]!.content.subarray(0, 4).toString()).toBe('%PDF');
    const audited = await db().pool.query(`select 1 from audit_events where action = 'report.schedule_sent'`);
    expect(audited.rowCount).toBe(1);
    // Léa no longer works in Express FR: her schedule is not sent any more, and says why.
    await db().pool.query('delete from person_communities where person_id = $1 and community_id = $2', [
      person.lea,
      community['express-fr'],
    ]);
    const refused = await s.request('POST', `/api/v1/reports/schedules/${created.body.id}/send`, {
      cookie: cookie.marie,
    });
    expect(refused.body.status).toBe('failed');
    expect(refused.body.error).toContain('may no longer report');
    await new Promise((r) => setTimeout(r, 200));
    expect(mails).toHaveLength(1);
  });
});

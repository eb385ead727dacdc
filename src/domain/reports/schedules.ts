import { createTransport } from 'nodemailer';
import type pg from 'pg';
import { z } from 'zod';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import type { PersonPrincipal, Principal } from '../access/principal.ts';
import { personPrincipal } from '../access/service.ts';
import { audit } from '../audit/log.ts';
import type { Directory } from '../organization/directory.ts';
import { isTimeZone, wallToInstant } from '../sla/calendar.ts';
import type { SlaContext } from '../sla/deadlines.ts';
import { invalidField } from '../validation.ts';
import type { ReportFilter } from './filters.ts';
import { reportLines } from './pdf.ts';
import { renderSummaryPdf } from './render.ts';

/**
 * Scheduled reports (docs/metrics.md): a leader, or a manager for their communities, has the PDF of a report
 * (communities, team, last week or last month, business hours or not) emailed weekly or monthly to people of
 * the organization or to addresses of its domains. Each due slot is claimed once (a unique delivery row per
 * slot, claimed under an advisory lock) before it is sent, so neither a restart nor several processes send it
 * twice; a slot whose sending fails is recorded as failed and can be sent again with "send now".
 */
const DAY = 86_400_000;
const SCHEDULE_LOCK = 7_311_091;

export const PERIODS = ['last_week', 'last_month'] as const;
export const FREQUENCIES = ['weekly', 'monthly'] as const;

const recipientSchema = z.union([
  z.strictObject({ person_id: z.number().int().positive() }),
  z.strictObject({ email: z.string().trim().toLowerCase().email().max(254) }),
]);

export const scheduleInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  /** The communities of the report; omitted or null: every community (leaders only). */
  communities: z.array(z.number().int().positive()).min(1).max(200).nullable().optional(),
  /** A team (function) whose cases the report covers, e.g. customer care, marketing, innovation, quality. */
  team: z.number().int().positive().nullable().optional(),
  period: z.enum(PERIODS),
  business_hours: z.boolean().default(false),
  frequency: z.enum(FREQUENCIES),
  /** Weekly: the day of the week, 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7).optional(),
  /** Monthly: the day of the month (1–28). */
  month_day: z.number().int().min(1).max(28).optional(),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
  timezone: z.string().max(64).refine(isTimeZone, 'unknown time zone'),
  recipients: z.array(recipientSchema).min(1).max(50),
  active: z.boolean().default(true),
});
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;

export interface Schedule {
  id: number;
  orgId: number;
  name: string;
  ownerId: number;
  communities: number[] | null;
  teamId: number | null;
  period: (typeof PERIODS)[number];
  businessHours: boolean;
  frequency: (typeof FREQUENCIES)[number];
  weekday: number | null;
  monthDay: number | null;
  localTime: string;
  timezone: string;
  recipients: ({ person_id: number } | { email: string })[];
  active: boolean;
  nextDueAt: Date;
  lastSentAt: Date | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Time: slots and periods in the schedule's time zone.

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock fields of an instant in a zone, as a UTC ms value. */
function wall(tz: string, at: number): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

const isoWeekday = (dayMs: number) => {
  const d = new Date(dayMs).getUTCDay();
  return d === 0 ? 7 : d;
};
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

type Timing = Pick<Schedule, 'frequency' | 'weekday' | 'monthDay' | 'localTime' | 'timezone'>;

/** The first due instant strictly after `after`. */
export function nextSlot(s: Timing, after: Date): Date {
  const tz = s.timezone;
  const w = wall(tz, after.getTime());
  const offset = minutesOf(s.localTime) * 60_000;
  if (s.frequency === 'weekly') {
    const day0 = Math.floor(w / DAY) * DAY;
    for (let i = -1; i <= 14; i++) {
      const day = day0 + i * DAY;
      if (isoWeekday(day) !== s.weekday) continue;
      const t = wallToInstant(tz, day + offset);
      if (t > after.getTime()) return new Date(t);
    }
  } else {
    const d = new Date(w);
    for (let i = -1; i <= 3; i++) {
      const t = wallToInstant(tz, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + i, s.monthDay!) + offset);
      if (t > after.getTime()) return new Date(t);
    }
  }
  throw new Error('no next slot');
}

/** The period a slot reports on: the last full week (Monday to Monday) or month before the slot's local day. */
export function periodOf(s: Pick<Schedule, 'period' | 'timezone'>, slot: Date): { from: Date; to: Date } {
  const tz = s.timezone;
  const w = wall(tz, slot.getTime());
  if (s.period === 'last_week') {
    const day = Math.floor(w / DAY) * DAY;
    const monday = day - (isoWeekday(day) - 1) * DAY;
    return { from: new Date(wallToInstant(tz, monday - 7 * DAY)), to: new Date(wallToInstant(tz, monday)) };
  }
  const d = new Date(w);
  return {
    from: new Date(wallToInstant(tz, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1))),
    to: new Date(wallToInstant(tz, Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Store.

interface Row {
  id: number;
  org_id: number;
  name: string;
  owner_id: number;
  communities: number[] | null;
  team_id: number | null;
  period: Schedule['period'];
  business_hours: boolean;
  frequency: Schedule['frequency'];
  weekday: number | null;
  month_day: number | null;
  local_time: string;
  timezone: string;
  recipients: Schedule['recipients'];
  active: boolean;
  next_due_at: Date;
  last_sent_at: Date | null;
}

const fromRow = (r: Row): Schedule => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  ownerId: r.owner_id,
  communities: r.communities,
  teamId: r.team_id,
  period: r.period,
  businessHours: r.business_hours,
  frequency: r.frequency,
  weekday: r.weekday,
  monthDay: r.month_day,
  localTime: r.local_time,
  timezone: r.timezone,
  recipients: r.recipients,
  active: r.active,
  nextDueAt: r.next_due_at,
  lastSentAt: r.last_sent_at,
});

/** The JSON of a schedule for the API. */
export function presentSchedule(s: Schedule, lastDelivery?: DeliveryView | null) {
  return {
    id: s.id,
    name: s.name,
    owner: s.ownerId,
    communities: s.communities,
    team: s.teamId,
    period: s.period,
    business_hours: s.businessHours,
    frequency: s.frequency,
    weekday: s.weekday,
    month_day: s.monthDay,
    time: s.localTime,
    timezone: s.timezone,
    recipients: s.recipients,
    active: s.active,
    next_due_at: s.nextDueAt.toISOString(),
    last_sent_at: s.lastSentAt?.toISOString() ?? null,
    last_delivery: lastDelivery ?? null,
  };
}

export interface DeliveryView {
  id: number;
  kind: string;
  slot: string;
  status: string;
  recipients: string[];
  error: string | null;
  sent_at: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Access.

/** Leaders schedule reports of any communities; managers of their own communities only. */
export function canScheduleReports(p: Principal): p is PersonPrincipal {
  return p.kind === 'person' && (p.role === 'leader' || p.role === 'manager');
}

/** Whether a person may see and change a schedule: leaders all, managers those within their communities. */
function mayManage(p: PersonPrincipal, s: Pick<Schedule, 'communities'>): boolean {
  if (p.role === 'leader') return true;
  if (p.role !== 'manager' || s.communities === null) return false;
  return s.communities.every((c) => p.communityIds.has(c));
}

// ---------------------------------------------------------------------------------------------------------------
// Service.

export interface ScheduleDeps {
  pool: pg.Pool;
  directory: Directory;
}

async function orgDomains(db: Queryable, orgId: number): Promise<Set<string>> {
  const r = await db.query<{ domain: string }>(
    `select distinct lower(split_part(email, '@', 2)) as domain from people where org_id = $1 and email like '%@%'
     union select lower(unnest(oidc_allowed_domains)) from sign_in_settings where org_id = $1`,
    [orgId],
  );
  return new Set(r.rows.map((x) => x.domain).filter(Boolean));
}

async function validate(db: Queryable, d: Directory, p: PersonPrincipal, input: ScheduleInput): Promise<void> {
  if (input.frequency === 'weekly' && input.weekday === undefined) throw invalidField('weekday', 'required weekly');
  if (input.frequency === 'monthly' && input.month_day === undefined) {
    throw invalidField('month_day', 'required monthly');
  }
  const communities = input.communities ?? null;
  for (const [i, c] of (communities ?? []).entries()) {
    if (!d.communities.has(c)) throw invalidField(`communities.${i}`, 'unknown community');
  }
  if (!mayManage(p, { communities })) {
    throw communities === null
      ? invalidField('communities', 'a manager schedules reports of their own communities: list them')
      : forbidden('scheduling reports of these communities');
  }
  if (input.team != null && !d.teams.has(input.team)) throw invalidField('team', 'unknown team');
  const ids = input.recipients.flatMap((r) => ('person_id' in r ? [r.person_id] : []));
  if (ids.length > 0) {
    const found = await db.query<{ id: number }>(
      'select id from people where org_id = $1 and id = any($2::int[]) and active',
      [p.orgId, ids],
    );
    const known = new Set(found.rows.map((r) => r.id));
    const i = input.recipients.findIndex((r) => 'person_id' in r && !known.has(r.person_id));
    if (i >= 0) throw invalidField(`recipients.${i}.person_id`, 'not an active person of the organization');
  }
  if (input.recipients.some((r) => 'email' in r)) {
    const domains = await orgDomains(db, p.orgId);
    const i = input.recipients.findIndex((r) => 'email' in r && !domains.has(r.email.split('@')[1] ?? ''));
    if (i >= 0) throw invalidField(`recipients.${i}.email`, "not an address of the organization's domains");
  }
}

const columns = (input: ScheduleInput) => [
  input.name,
  input.communities ?? null,
  input.team ?? null,
  input.period,
  input.business_hours,
  input.frequency,
  input.frequency === 'weekly' ? input.weekday : null,
  input.frequency === 'monthly' ? input.month_day : null,
  input.time,
  input.timezone,
  JSON.stringify(input.recipients),
  input.active,
];

const timingOf = (input: ScheduleInput): Timing => ({
  frequency: input.frequency,
  weekday: input.weekday ?? null,
  monthDay: input.month_day ?? null,
  localTime: input.time,
  timezone: input.timezone,
});

export async function listSchedules(deps: ScheduleDeps, p: PersonPrincipal) {
  const r = await deps.pool.query<Row>('select * from report_schedules where org_id = $1 order by id', [p.orgId]);
  const visible = r.rows.map(fromRow).filter((s) => mayManage(p, s));
  const last = await deps.pool.query<DeliveryView & { schedule_id: number }>(
    `select distinct on (schedule_id) schedule_id, id, kind, slot, status, recipients, error, sent_at
     from report_deliveries where schedule_id = any($1::int[]) order by schedule_id, id desc`,
    [visible.map((s) => s.id)],
  );
  const byId = new Map(last.rows.map((d) => [d.schedule_id, d]));
  return visible.map((s) => {
    const d = byId.get(s.id);
    return presentSchedule(s, d ? deliveryView(d) : null);
  });
}

function deliveryView(d: {
  id: number;
  kind: string;
  slot: Date | string;
  status: string;
  recipients: string[];
  error: string | null;
  sent_at: Date | string | null;
}): DeliveryView {
  const iso = (x: Date | string) => (x instanceof Date ? x.toISOString() : new Date(x).toISOString());
  return {
    id: d.id,
    kind: d.kind,
    slot: iso(d.slot),
    status: d.status,
    recipients: d.recipients,
    error: d.error,
    sent_at: d.sent_at === null ? null : iso(d.sent_at),
  };
}

async function load(db: Queryable, p: PersonPrincipal, id: number, lock = false): Promise<Schedule> {
  const r = await db.query<Row>(
    `select * from report_schedules where id = $1 and org_id = $2${lock ? ' for update' : ''}`,
    [id, p.orgId],
  );
  const s = r.rows[0] ? fromRow(r.rows[0]) : undefined;
  // A schedule the person may not manage is hidden like a missing one.
  if (!s || !mayManage(p, s)) throw notFound('report schedule');
  return s;
}

export async function getSchedule(deps: ScheduleDeps, p: PersonPrincipal, id: number) {
  return presentSchedule(await load(deps.pool, p, id));
}

export async function createSchedule(deps: ScheduleDeps, p: PersonPrincipal, input: ScheduleInput, now = new Date()) {
  await validate(deps.pool, deps.directory, p, input);
  return transaction(deps.pool, async (tx) => {
    const r = await tx.query<Row>(
      `insert into report_schedules (name, communities, team_id, period, business_hours, frequency, weekday, month_day,
         local_time, timezone, recipients, active, org_id, owner_id, next_due_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning *`,
      [...columns(input), p.orgId, p.id, nextSlot(timingOf(input), now)],
    );
    const s = fromRow(r.rows[0]!);
    await audit(tx, {
      orgId: p.orgId,
      action: 'report.schedule_created',
      actorPersonId: p.id,
      subjectType: 'report_schedule',
      subjectId: s.id,
      data: presentSchedule(s),
    });
    return presentSchedule(s);
  });
}

export async function updateSchedule(
  deps: ScheduleDeps,
  p: PersonPrincipal,
  id: number,
  input: ScheduleInput,
  now = new Date(),
) {
  await validate(deps.pool, deps.directory, p, input);
  return transaction(deps.pool, async (tx) => {
    await load(tx, p, id, true);
    const r = await tx.query<Row>(
      `update report_schedules set name = $1, communities = $2, team_id = $3, period = $4, business_hours = $5,
         frequency = $6, weekday = $7, month_day = $8, local_time = $9, timezone = $10, recipients = $11, active = $12,
         next_due_at = $13, owner_id = $14, updated_at = now()
       where id = $15 returning *`,
      [...columns(input), nextSlot(timingOf(input), now), p.id, id],
    );
    const s = fromRow(r.rows[0]!);
    await audit(tx, {
      orgId: p.orgId,
      action: 'report.schedule_updated',
      actorPersonId: p.id,
      subjectType: 'report_schedule',
      subjectId: id,
      data: presentSchedule(s),
    });
    return presentSchedule(s);
  });
}

export async function deleteSchedule(deps: ScheduleDeps, p: PersonPrincipal, id: number): Promise<void> {
  await transaction(deps.pool, async (tx) => {
    const s = await load(tx, p, id, true);
    await tx.query('delete from report_schedules where id = $1', [id]);
    await audit(tx, {
      orgId: p.orgId,
      action: 'report.schedule_deleted',
      actorPersonId: p.id,
      subjectType: 'report_schedule',
      subjectId: id,
      data: { name: s.name },
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery.

export interface MailConfig {
  /** smtp:// or smtps:// URL; undefined: nothing can be sent (deliveries fail with a clear error). */
  smtpUrl: string | undefined;
  from: string;
  publicUrl: string;
}

export interface DeliveryDeps extends ScheduleDeps {
  sla: SlaContext;
  mail: MailConfig;
}

const fmtDay = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/** The filter a schedule's report runs with for a slot. */
export function scheduleFilter(s: Schedule, slot: Date, now: Date): ReportFilter {
  const { from, to } = periodOf(s, slot);
  return {
    orgId: s.orgId,
    from,
    to,
    communities: s.communities,
    team: s.teamId ?? undefined,
    businessHours: s.businessHours,
    tz: s.timezone,
    now,
  };
}

async function recipientAddresses(db: Queryable, s: Schedule): Promise<{ name?: string; address: string }[]> {
  const ids = s.recipients.flatMap((r) => ('person_id' in r ? [r.person_id] : []));
  const people = await db.query<{ id: number; name: string; email: string }>(
    'select id, name, email from people where org_id = $1 and id = any($2::int[]) and active',
    [s.orgId, ids],
  );
  const out = new Map<string, { name?: string; address: string }>();
  for (const p of people.rows) out.set(p.email.toLowerCase(), { name: p.name, address: p.email });
  for (const r of s.recipients) if ('email' in r && !out.has(r.email)) out.set(r.email, { address: r.email });
  return [...out.values()];
}

/** Renders the schedule's report for a slot and emails it, with the PDF attached, to each recipient. */
async function send(deps: DeliveryDeps, s: Schedule, slot: Date, now: Date): Promise<string[]> {
  if (!deps.mail.smtpUrl) throw new Error('email is not configured (PASSEUR_SMTP_URL)');
  // The report runs with the rights of the person who last saved the schedule, as they are now.
  const owner = await personPrincipal(deps.pool, s.ownerId);
  if (!owner || !mayManage(owner, s))
    throw new Error('the owner of the schedule may no longer report on its communities');
  const f = scheduleFilter(s, slot, now);
  const to = await recipientAddresses(deps.pool, s);
  if (to.length === 0) throw new Error('no active recipient');
  const r = await renderSummaryPdf({ db: deps.pool, sla: deps.sla, directory: deps.directory }, f, s.name);
  const last = new Date(f.to.getTime() - 1);
  const period = `${fmtDay(f.from, s.timezone)} to ${fmtDay(last, s.timezone)}`;
  const lines = reportLines(r.kpis, r.previous);
  const width = Math.max(...lines.map(([l]) => l.length));
  const text = [
    `${s.name} - ${deps.directory.orgName}`,
    `Period: ${period} (${s.timezone}), compared with the period before.`,
    `Scope: ${r.scope}. Durations: ${s.businessHours ? 'business hours' : 'wall-clock'}.`,
    '',
    ...lines.map(([label, value, before]) => `${label.padEnd(width)}  ${value.padStart(10)}  (before: ${before})`),
    '',
    'The full report is attached as a PDF. Definitions: docs/metrics.md.',
    `Reports: ${deps.mail.publicUrl.replace(/\/$/, '')}/reports`,
    '',
    'You receive this email because a report is scheduled for you in Passeur.',
  ].join('\n');
  const transport = createTransport({
    url: deps.mail.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    const sent: string[] = [];
    for (const rcpt of to) {
      await transport.sendMail({
        from: deps.mail.from,
        to: rcpt.name ? { name: rcpt.name, address: rcpt.address } : rcpt.address,
        subject: `${s.name}: ${period}`,
        text,
        attachments: [
          {
            filename: `passeur-report-${fmtDay(f.from, s.timezone)}.pdf`,
            content: Buffer.from(r.pdf),
            contentType: 'application/pdf',
          },
        ],
      });
      sent.push(rcpt.address);
    }
    return sent;
  } finally {
    transport.close();
  }
}

async function finish(db: Queryable, id: number, scheduleId: number, sent: string[], error: string | null) {
  await db.query(
    `update report_deliveries set status = $2, recipients = $3, error = $4, sent_at = case when $2 = 'sent' then now() end
     where id = $1`,
    [id, error === null ? 'sent' : 'failed', sent, error],
  );
  if (error === null) await db.query('update report_schedules set last_sent_at = now() where id = $1', [scheduleId]);
}

/** "Send now": the report of the period before now, to the recipients at once; the due slots are unchanged. */
export async function sendNow(deps: DeliveryDeps, p: PersonPrincipal, id: number, now = new Date()) {
  const s = await load(deps.pool, p, id);
  const claimed = await transaction(deps.pool, async (tx) => {
    const r = await tx.query<{ id: number }>(
      `insert into report_deliveries (org_id, schedule_id, kind, slot, requested_by) values ($1, $2, 'manual', $3, $4)
       returning id`,
      [s.orgId, s.id, now, p.id],
    );
    await audit(tx, {
      orgId: p.orgId,
      action: 'report.schedule_sent',
      actorPersonId: p.id,
      subjectType: 'report_schedule',
      subjectId: s.id,
      data: { name: s.name, recipients: s.recipients },
    });
    return r.rows[0]!.id;
  });
  let sent: string[] = [];
  let error: string | null = null;
  try {
    sent = await send(deps, s, now, now);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  await finish(deps.pool, claimed, s.id, sent, error);
  const d = await deps.pool.query('select * from report_deliveries where id = $1', [claimed]);
  return deliveryView(d.rows[0]);
}

/**
 * One pass of the schedule timer at `now`: claims every due slot (one claimer at a time under an advisory lock;
 * a slot has at most one delivery), moves each schedule to its next slot, then sends the claimed reports.
 * Slots missed while no process ran collapse into one: the latest due one is sent, once.
 */
export async function runDueReports(deps: DeliveryDeps, now = new Date()): Promise<{ sent: number; failed: number }> {
  const claimed = await transaction(deps.pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1, $2)', [SCHEDULE_LOCK, deps.directory.orgId]);
    const due = await tx.query<Row>(
      `select * from report_schedules where org_id = $1 and active and next_due_at <= $2 order by next_due_at, id
       for update skip locked`,
      [deps.directory.orgId, now],
    );
    const out: { delivery: number; schedule: Schedule; slot: Date }[] = [];
    for (const row of due.rows) {
      const s = fromRow(row);
      const ins = await tx.query<{ id: number }>(
        `insert into report_deliveries (org_id, schedule_id, kind, slot) values ($1, $2, 'scheduled', $3)
         on conflict (schedule_id, slot) where kind = 'scheduled' do nothing returning id`,
        [s.orgId, s.id, s.nextDueAt],
      );
      await tx.query('update report_schedules set next_due_at = $2 where id = $1', [s.id, nextSlot(s, now)]);
      if (ins.rows[0]) out.push({ delivery: ins.rows[0].id, schedule: s, slot: s.nextDueAt });
    }
    return out;
  });
  let sent = 0;
  let failed = 0;
  for (const c of claimed) {
    let to: string[] = [];
    let error: string | null = null;
    try {
      to = await send(deps, c.schedule, c.slot, now);
      sent++;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      failed++;
    }
    await finish(deps.pool, c.delivery, c.schedule.id, to, error);
  }
  return { sent, failed };
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';
import { localTime } from '../routing/local-time.ts';
import { computeForecast } from './forecast.ts';
import { loadCoveragePeople } from './gaps.ts';

const HOUR = 3_600_000;
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

describeEachDatabase('coverage calendar, gaps and forecast', (db) => {
  let s: TestServer;
  let marie: string;
  let lea: string;
  let sophie: string;
  let jonas: string;
  let anna: string;
  let paul: string;
  const ids = new Map<string, number>();
  const community = new Map<string, number>();
  const q = (sql: string, params: unknown[] = []) => db().pool.query(sql, params);
  const idOf = (name: string) => ids.get(name)!;
  /** Removes every schedule, override, absence and holiday: nobody is on duty. */
  const clearDuty = async () => {
    await q(`update people set schedule = '[]', on_duty = null`);
    await q('delete from absences');
    await q('delete from holidays');
  };
  const schedule = (name: string, shifts: unknown[]) =>
    q('update people set schedule = $2 where id = $1', [idOf(name), JSON.stringify(shifts)]);

  beforeAll(async () => {
    s = await startTestServer(db().url);
    const cookies = await Promise.all(
      ['marie', 'lea', 'sophie', 'jonas', 'anna', 'paul'].map((n) => s.login(`${n}@airsocial.example`)),
    );
    [marie, lea, sophie, jonas, anna, paul] = cookies as [string, string, string, string, string, string];
    for (const r of (await q('select id, email from people')).rows) ids.set(r.email.split('@')[0], r.id);
    for (const r of (await q('select id, slug from communities')).rows) community.set(r.slug, r.id);
  });
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(clearDuty);

  describe('absences', () => {
    const base = Math.floor(Date.now() / 60_000) * 60_000 + 24 * HOUR;
    const tomorrow = (h: number) => new Date(base + h * HOUR).toISOString();

    it('lets a person declare their own absence, audited, and refuses one for a colleague', async () => {
      const r = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: sophie,
        body: { starts_at: tomorrow(0), ends_at: tomorrow(8), reason: 'training', note: 'Formation crise' },
      });
      expect(r.status).toBe(201);
      const row = (await q('select person_id, reason, note, created_by from absences where id = $1', [r.body.id]))
        .rows[0];
      expect(row).toEqual({
        person_id: idOf('sophie'),
        reason: 'training',
        note: 'Formation crise',
        created_by: idOf('sophie'),
      });
      const audit = await q(`select subject_id, data from audit_events where action = 'absence.created'`);
      expect(audit.rows.at(-1)).toMatchObject({ subject_id: String(idOf('sophie')), data: { absence_id: r.body.id } });
      const other = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: sophie,
        body: { person_id: idOf('lea'), starts_at: tomorrow(0), ends_at: tomorrow(8) },
      });
      expect(other.status).toBe(403);
    });

    it('lets a manager plan the absences of their communities only', async () => {
      const byLea = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: lea,
        body: { person_id: idOf('sophie'), starts_at: tomorrow(0), ends_at: tomorrow(4), reason: 'sick' },
      });
      expect(byLea.status).toBe(201);
      // Jonas manages the German desks; Sophie works on the French one.
      const byJonas = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: jonas,
        body: { person_id: idOf('sophie'), starts_at: tomorrow(10), ends_at: tomorrow(12) },
      });
      expect(byJonas.status).toBe(403);
      expect((await s.request('DELETE', `/api/v1/coverage/absences/${byLea.body.id}`, { cookie: jonas })).status).toBe(
        404,
      );
      // Anna works on the French desk too: she sees that Sophie is away, not why.
      const seen = await s.request('GET', '/api/v1/coverage/absences', { cookie: anna });
      expect(seen.body.find((a: { id: number }) => a.id === byLea.body.id)).toMatchObject({
        person_id: idOf('sophie'),
        reason: null,
        note: null,
        editable: false,
      });
      expect((await s.request('DELETE', `/api/v1/coverage/absences/${byLea.body.id}`, { cookie: anna })).status).toBe(
        403,
      );
      const mine = await s.request('GET', '/api/v1/coverage/absences', { cookie: sophie });
      expect(mine.body.find((a: { id: number }) => a.id === byLea.body.id)).toMatchObject({ reason: 'sick' });
      const jonasSees = await s.request('GET', '/api/v1/coverage/absences', { cookie: jonas });
      expect(jonasSees.body.some((a: { id: number }) => a.id === byLea.body.id)).toBe(false);
    });

    it('validates periods and reasons, naming the field, and refuses overlaps', async () => {
      const backwards = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: sophie,
        body: { starts_at: tomorrow(8), ends_at: tomorrow(0) },
      });
      expect(backwards.status).toBe(400);
      expect(JSON.stringify(backwards.body)).toContain('ends_at');
      const reason = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: sophie,
        body: { starts_at: tomorrow(0), ends_at: tomorrow(8), reason: 'vacation' },
      });
      expect(reason.status).toBe(400);
      expect(JSON.stringify(reason.body)).toContain('reason');
      const first = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: sophie,
        body: { starts_at: tomorrow(0), ends_at: tomorrow(8) },
      });
      expect(first.status).toBe(201);
      const overlap = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: lea,
        body: { person_id: idOf('sophie'), starts_at: tomorrow(6), ends_at: tomorrow(10) },
      });
      expect(overlap.status).toBe(409);
      // Changing and removing, audited.
      const moved = await s.request('PATCH', `/api/v1/coverage/absences/${first.body.id}`, {
        cookie: lea,
        body: { ends_at: tomorrow(12), reason: 'holiday' },
      });
      expect(moved.status).toBe(200);
      const stored = await q('select ends_at, reason from absences where id = $1', [first.body.id]);
      expect(stored.rows[0].ends_at.toISOString()).toBe(tomorrow(12));
      expect(stored.rows[0].reason).toBe('holiday');
      const inverted = await s.request('PATCH', `/api/v1/coverage/absences/${first.body.id}`, {
        cookie: sophie,
        body: { starts_at: tomorrow(13) },
      });
      expect(inverted.status).toBe(400);
      expect((await s.request('DELETE', `/api/v1/coverage/absences/${first.body.id}`, { cookie: sophie })).status).toBe(
        204,
      );
      const actions = await q(
        `select action from audit_events where action like 'absence.%' and data->>'absence_id' = $1 order by id`,
        [String(first.body.id)],
      );
      expect(actions.rows.map((r) => r.action)).toEqual(['absence.created', 'absence.updated', 'absence.deleted']);
    });

    it('takes an absent person off duty for assignment, the duty page and "on duty now"', async () => {
      await schedule('lea', [{ days: ALL_WEEK, from: '00:00', to: '24:00' }]);
      const post = (id: string) =>
        s.request('POST', '/api/v1/messages', {
          token: s.token,
          body: {
            channel: 'sandbox',
            external_id: id,
            account: '@AirSocial',
            author: { handle: `@${id}` },
            text: 'Bonjour, mon vol AS1234 a 3 h de retard, que faire ?',
          },
        });
      const assignee = async (caseId: number) =>
        (await q('select assignee_id from cases where id = $1', [caseId])).rows[0].assignee_id;
      expect(await assignee((await post('cov-1')).body.case_id)).toBe(idOf('lea'));

      const away = await s.request('POST', '/api/v1/coverage/absences', {
        cookie: lea,
        body: {
          starts_at: new Date(Date.now() - HOUR).toISOString(),
          ends_at: new Date(Date.now() + 5 * HOUR).toISOString(),
          reason: 'sick',
        },
      });
      expect(away.status).toBe(201);
      // Even set on duty by hand, an absent person is off duty.
      await q('update people set on_duty = true where id = $1', [idOf('lea')]);
      expect(await assignee((await post('cov-2')).body.case_id)).toBeNull();
      const duty = await s.request('GET', '/api/v1/people/duty', { cookie: marie });
      expect(duty.body.find((p: { id: number }) => p.id === idOf('lea'))).toMatchObject({
        on_duty: false,
        absent: true,
      });
      const now = await s.request('GET', '/api/v1/coverage/now', { cookie: lea });
      const fr = now.body.communities.find((c: { slug: string }) => c.slug === 'airsocial-fr');
      expect(fr.on_duty).toEqual([]);
      expect(now.body.absent_ids).toContain(idOf('lea'));

      await s.request('DELETE', `/api/v1/coverage/absences/${away.body.id}`, { cookie: lea });
      expect(await assignee((await post('cov-3')).body.case_id)).toBe(idOf('lea'));
    });
  });

  describe('holidays', () => {
    it('lets leaders add holidays that cancel the shifts of that day in the community, audited', async () => {
      await schedule('lea', [{ days: ALL_WEEK, from: '00:00', to: '24:00' }]);
      const onDuty = async () =>
        (await s.request('GET', '/api/v1/people/duty', { cookie: marie })).body.find(
          (p: { id: number }) => p.id === idOf('lea'),
        ).on_duty;
      expect(await onDuty()).toBe(true);
      const today = localTime(new Date(), 'Europe/Zurich').date;
      const body = { date: today, name: 'Jeûne fédéral', community_id: community.get('airsocial-fr') };
      expect((await s.request('POST', '/api/v1/coverage/holidays', { cookie: lea, body })).status).toBe(403);
      const made = await s.request('POST', '/api/v1/coverage/holidays', { cookie: marie, body });
      expect(made.status).toBe(201);
      expect(await onDuty()).toBe(false);
      expect((await s.request('POST', '/api/v1/coverage/holidays', { cookie: marie, body })).status).toBe(409);
      // A holiday of another community leaves Léa's shifts alone.
      const moved = await s.request('PATCH', `/api/v1/coverage/holidays/${made.body.id}`, {
        cookie: marie,
        body: { community_id: community.get('airsocial-de') },
      });
      expect(moved.status).toBe(200);
      expect(await onDuty()).toBe(true);
      // Organization-wide but not cancelling shifts: a day of known volume, not of rest.
      await s.request('PATCH', `/api/v1/coverage/holidays/${made.body.id}`, {
        cookie: marie,
        body: { community_id: null, cancels_shifts: false },
      });
      expect(await onDuty()).toBe(true);
      const listed = await s.request('GET', '/api/v1/coverage/holidays', { cookie: paul });
      expect(listed.body).toEqual([
        { id: made.body.id, date: today, name: 'Jeûne fédéral', community_id: null, cancels_shifts: false },
      ]);
      const badCommunity = await s.request('POST', '/api/v1/coverage/holidays', {
        cookie: marie,
        body: { date: today, name: 'x', community_id: 999_999 },
      });
      expect(badCommunity.status).toBe(400);
      expect(JSON.stringify(badCommunity.body)).toContain('community_id');
      const badDate = await s.request('POST', '/api/v1/coverage/holidays', {
        cookie: marie,
        body: { date: '2026-02-30', name: 'x' },
      });
      expect(badDate.status).toBe(400);
      expect((await s.request('DELETE', `/api/v1/coverage/holidays/${made.body.id}`, { cookie: marie })).status).toBe(
        204,
      );
      const actions = await q(
        `select action from audit_events where subject_type = 'holiday' and subject_id = $1 order by id`,
        [String(made.body.id)],
      );
      expect(actions.rows.map((r) => r.action)).toEqual([
        'holiday.created',
        'holiday.updated',
        'holiday.updated',
        'holiday.deleted',
      ]);
    });
  });

  describe('now and gaps', () => {
    /** The local Zürich hour `n` hours from now, and the UTC start of that hour. */
    const ahead = (n: number) => {
      const start = new Date(Math.floor(Date.now() / HOUR) * HOUR + n * HOUR);
      return { start, hour: Math.floor(localTime(start, 'Europe/Zurich').minutes / 60) };
    };

    it('says who is on per community and language, and who comes next where nobody is', async () => {
      await q('update people set on_duty = true where id = $1', [idOf('lea')]);
      const tom = ahead(3);
      await schedule('tom', [{ days: ALL_WEEK, from: hh(tom.hour), to: hh(tom.hour + 1) }]);
      const r = await s.request('GET', '/api/v1/coverage/now', { cookie: marie });
      expect(r.status).toBe(200);
      const c = (slug: string) => r.body.communities.find((x: { slug: string }) => x.slug === slug);
      expect(c('airsocial-fr').on_duty.map((p: { name: string }) => p.name)).toEqual(['Léa Martin']);
      expect(c('airsocial-fr').next).toBeNull();
      expect(c('airsocial-de').on_duty).toEqual([]);
      expect(c('airsocial-de').next).toMatchObject({ person: { name: 'Tom Becker' }, at: tom.start.toISOString() });
      const lang = (l: string) => r.body.languages.find((x: { language: string }) => x.language === l);
      expect(lang('fr').on_duty.map((p: { name: string }) => p.name)).toEqual(['Léa Martin']);
      expect(lang('fr').community_ids).toEqual(
        expect.arrayContaining([community.get('airsocial-fr'), community.get('express-fr')]),
      );
      expect(lang('de').next.person.name).toBe('Tom Becker');
      // Jonas sees his communities only.
      const mine = await s.request('GET', '/api/v1/coverage/now', { cookie: jonas });
      expect(mine.body.communities.map((x: { slug: string }) => x.slug).sort()).toEqual(['airsocial-de', 'express-de']);
      expect((await s.request('GET', '/api/v1/coverage/now', { token: s.token })).status).toBe(403);
    });

    it('flags the hours with nobody on duty over the next days, honouring absences', async () => {
      const t = await q('select name from people where id = $1', [idOf('tom')]);
      expect(t.rows[0].name).toBe('Tom Becker');
      // Tom works 08:00–16:00 Zürich time every day but is away from hour 30 to hour 34.
      await schedule('tom', [{ days: ALL_WEEK, from: '08:00', to: '16:00' }]);
      const away = [ahead(30).start, ahead(34).start];
      await q(`insert into absences (org_id, person_id, starts_at, ends_at, reason) values ($1, $2, $3, $4, 'sick')`, [
        s.ctx.directory().orgId,
        idOf('tom'),
        ...away,
      ]);
      const r = await s.request('GET', `/api/v1/coverage/gaps?days=2&community_id=${community.get('airsocial-de')}`, {
        cookie: jonas,
      });
      expect(r.status).toBe(200);
      const [de] = r.body.communities;
      expect(de.slug).toBe('airsocial-de');
      expect(de.hours).toHaveLength(48);
      const absent = away.map((d) => d.getTime()) as [number, number];
      for (let n = 1; n < 48; n++) {
        // From the hour the server answered for (the clock may have passed an hour since).
        const start = new Date(Date.parse(r.body.from) + n * HOUR);
        const hour = Math.floor(localTime(start, 'Europe/Zurich').minutes / 60);
        const isAway = start.getTime() >= absent[0] && start.getTime() < absent[1];
        const scheduled = hour >= 8 && hour < 16 && !isAway;
        expect(de.hours[n], `hour ${start.toISOString()}`).toMatchObject({
          at: start.toISOString(),
          on_duty: scheduled ? 1 : 0,
          gap: !scheduled,
        });
      }
      expect(de.gap_hours).toBe(de.hours.filter((h: { gap: boolean }) => h.gap).length);
      expect(de.gaps.reduce((n: number, g: { hours: number }) => n + g.hours, 0)).toBe(de.gap_hours);
      expect((await s.request('GET', '/api/v1/coverage/gaps?days=29', { cookie: marie })).status).toBe(400);
      expect((await s.request('GET', '/api/v1/coverage/gaps', { cookie: paul })).status).toBe(403);
      expect((await s.request('GET', '/api/v1/coverage/gaps', { cookie: sophie })).status).toBe(403);
      const week = await s.request('GET', '/api/v1/coverage/gaps', { cookie: marie });
      expect(week.body.communities[0].hours).toHaveLength(7 * 24);
    });
  });

  describe('forecast', () => {
    // Tuesday 8 December 2026, 10:30 in Zürich (CET, UTC+1). Four weeks of history: 10 November – 7 December.
    const NOW = new Date('2026-12-08T09:30:00Z');
    let n = 0;
    const inbound = async (iso: string, count: number) => {
      for (let i = 0; i < count; i++) {
        const r = await s.request('POST', '/api/v1/messages', {
          token: s.token,
          body: {
            channel: 'sandbox',
            external_id: `fc-${n++}`,
            account: '@AirSocial_it',
            author: { handle: `@fc${n}` },
            text: 'Buongiorno, il mio volo è in ritardo, cosa devo fare?',
            created_at: iso,
          },
        });
        expect(r.status).toBe(202);
      }
    };
    const it_ = () => ({
      id: community.get('airsocial-it')!,
      slug: 'airsocial-it',
      name: 'AirSocial · IT',
      language: 'it',
      timezone: 'Europe/Zurich',
    });

    beforeAll(async () => {
      // Tuesdays at 11:00 local (10:00Z): 4, 8 (a holiday), none, 12 messages.
      await inbound('2026-11-10T10:05:00Z', 4);
      await inbound('2026-11-17T10:20:00Z', 8);
      await inbound('2026-12-01T10:40:00Z', 12);
      // Outside the window (five weeks back) and at another hour: not counted for Tuesday 11:00.
      await inbound('2026-11-03T10:10:00Z', 50);
      await inbound('2026-12-01T11:10:00Z', 2);
    });

    it('forecasts each hour from the same hour of week, holidays apart, and proposes backups', async () => {
      await schedule('giulia', [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }]);
      await schedule('luca', [{ days: [1, 2, 3, 4, 5], from: '16:00', to: '22:00' }]);
      const orgId = s.ctx.directory().orgId;
      await q(
        `insert into holidays (org_id, date, name, community_id, cancels_shifts) values
        ($1, '2026-11-17', 'Past local holiday', $2, false), ($1, '2026-12-15', 'Coming holiday', null, true)`,
        [orgId, community.get('airsocial-it')],
      );
      const f = await computeForecast(db().pool, {
        orgId,
        communities: [it_()],
        people: await loadCoveragePeople(db().pool, orgId),
        now: NOW,
        days: 14,
        weeks: 4,
        perPersonHour: { value: 2, source: 'request' },
      });
      const [c] = f.communities;
      const at = (iso: string) => c!.hours.find((h) => h.at === new Date(iso).toISOString())!;
      expect(c!.hours).toHaveLength(14 * 24);
      // 24 messages over four weeks: too few for a trend.
      expect(c!.trend).toBe(1);
      // Tuesday 11:00: the ordinary Tuesdays 10 Nov, 24 Nov, 1 Dec → (4 + 0 + 12) / 3 = 5.33.
      expect(at('2026-12-08T10:00:00Z')).toMatchObject({
        day: 2,
        hour: 11,
        holiday: false,
        expected: 5.3,
        on_duty: 1,
        capacity: 2,
        needed: 3,
        understaffed: true,
      });
      // Tuesday 12:00: (0 + 0 + 2) / 3 = 0.67 → one person needed, Giulia is there.
      expect(at('2026-12-08T11:00:00Z')).toMatchObject({ expected: 0.7, on_duty: 1, needed: 1, understaffed: false });
      // 15 December is a holiday: the past holiday's 11:00 (17 Nov: 8 messages); its shifts are cancelled.
      expect(at('2026-12-15T10:00:00Z')).toMatchObject({
        holiday: true,
        expected: 8,
        on_duty: 0,
        needed: 4,
        understaffed: true,
      });
      // Wednesday 11:00: nothing in history.
      expect(at('2026-12-09T10:00:00Z')).toMatchObject({ expected: 0, needed: 0, understaffed: false });

      // Through the API: the same figures, with Luca (backup, Italian, not on duty then) proposed.
      const r = await s.request('GET', '/api/v1/coverage/forecast?days=7&per_person_hour=2', { cookie: marie });
      expect(r.status).toBe(200);
      expect(r.body.per_person_hour).toEqual({ value: 2, source: 'request' });
      expect(r.body.communities.length).toBeGreaterThan(1);
      const api = r.body.communities.find((x: { slug: string }) => x.slug === 'airsocial-it');
      expect(api.hours).toHaveLength(7 * 24);
      for (const h of api.understaffed) {
        expect(h.understaffed).toBe(true);
        for (const p of h.proposals) expect(['Luca Bianchi', 'Giulia Rossi']).toContain(p.name);
      }
      expect((await s.request('GET', '/api/v1/coverage/forecast', { cookie: lea })).status).toBe(200);
      expect((await s.request('GET', '/api/v1/coverage/forecast', { cookie: sophie })).status).toBe(403);
      expect((await s.request('GET', '/api/v1/coverage/forecast?weeks=9', { cookie: marie })).status).toBe(400);
    });

    it('proposes backups who work in the community and speak its language, not absent, not on duty', async () => {
      await schedule('giulia', [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }]);
      await schedule('luca', [{ days: [1, 2, 3, 4, 5], from: '16:00', to: '22:00' }]);
      const orgId = s.ctx.directory().orgId;
      const { proposeBackups } = await import('./proposals.ts');
      const { DutyPlanner } = await import('./gaps.ts');
      const { loadCalendar } = await import('./calendar.ts');
      const people = await loadCoveragePeople(db().pool, orgId);
      const hour = new Date('2026-12-08T10:00:00Z');
      const plan = async () =>
        proposeBackups(
          new DutyPlanner(people, await loadCalendar(db().pool, orgId, NOW, new Date('2026-12-09T00:00:00Z')), NOW),
          people,
          new Map(),
          it_(),
          hour,
          2,
        );
      // Giulia is on duty at 11:00; Luca (backup, speaks Italian) is not: he is proposed.
      expect((await plan()).map((p) => p.name)).toEqual(['Luca Bianchi']);
      await q(
        `insert into absences (org_id, person_id, starts_at, ends_at, reason) values ($1, $2, $3, $4, 'holiday')`,
        [orgId, idOf('luca'), '2026-12-07T00:00:00Z', '2026-12-12T00:00:00Z'],
      );
      expect(await plan()).toEqual([]);
      // With a backup relation (person_backups), named backups come first.
      await q('delete from absences');
      await q(
        `insert into person_backups (org_id, person_id, backup_id, rank)
         values ($1, $2, $3, (select coalesce(max(rank), 0) + 1 from person_backups where person_id = $2))
         on conflict do nothing`,
        [orgId, idOf('giulia'), idOf('luca')],
      );
      const { loadBackupRelations } = await import('./proposals.ts');
      const backups = await loadBackupRelations(db().pool, orgId);
      expect(backups.source).toBe('person_backups');
      const withRelation = proposeBackups(
        new DutyPlanner(people, { absences: [], holidays: [] }, NOW),
        people,
        backups.relations,
        it_(),
        hour,
        1,
      );
      expect(withRelation).toEqual([
        { id: idOf('luca'), name: 'Luca Bianchi', role: 'backup', backs_up: ['Giulia Rossi'] },
      ]);
    });

    it('derives the messages a person handles per hour from the replies sent while on duty', async () => {
      await schedule('giulia', [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }]);
      const orgId = s.ctx.directory().orgId;
      const people = await loadCoveragePeople(db().pool, orgId);
      const input = { orgId, communities: [it_()], people, now: NOW, days: 1, weeks: 4 };
      // No reply in history: the documented default.
      expect((await computeForecast(db().pool, input)).rate).toMatchObject({ value: 12, source: 'default' });
      const kase = await q(`select c.id, c.account_id from cases c where c.community_id = $1 order by c.id limit 1`, [
        community.get('airsocial-it'),
      ]);
      // Ten hours Giulia was on duty (Mon 30 Nov – Fri 4 Dec, 10:00 and 11:00 local): 3 replies in eight, 6 in two.
      const hours = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'].flatMap((d) => [
        `${d}T09:00:00Z`,
        `${d}T10:00:00Z`,
      ]);
      for (const [i, h] of hours.entries()) {
        const count = i < 2 ? 6 : 3;
        for (let k = 0; k < count; k++) {
          await q(
            `insert into messages (org_id, channel, case_id, account_id, direction, kind, person_id, text, created_at)
             values ($1, 'sandbox', $2, $3, 'out', 'reply', $4, 'Grazie', $5::timestamptz + make_interval(mins => $6))`,
            [orgId, kase.rows[0].id, kase.rows[0].account_id, idOf('giulia'), h, k * 5],
          );
        }
      }
      // The 90th percentile of [3 × 8, 6 × 2] replies per person on duty is 6.
      expect((await computeForecast(db().pool, input)).rate).toEqual({ value: 6, source: 'history', samples: 10 });
    });
  });
});

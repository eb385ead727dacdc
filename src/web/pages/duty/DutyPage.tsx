import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type DutyPerson, isAbort, type Shift } from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { MenuButton } from '../../components/MenuButton.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useDebounced, useRealtime } from '../../lib/realtime.tsx';
import { canWorkCases, useSession } from '../../session.tsx';
import { CoveragePanel } from './CoveragePanel.tsx';
import { CoverageSettings } from './CoverageSettings.tsx';
import { dayNames, describeSchedule, validShift } from './schedule.ts';

/** Who is on duty now, per community, with their load; one's own duty switch; leaders edit schedules. */
export function DutyPage() {
  const { t } = useI18n();
  const { isLeader } = useSession();
  const [tab, setTab] = useState<'duty' | 'coverage'>('duty');
  return (
    <Page section="duty" title={t('duty.title')}>
      <fieldset className="segmented duty-tabs" data-testid="duty-tabs">
        <legend className="visually-hidden">{t('duty.title')}</legend>
        {(['duty', 'coverage'] as const).map((v) => (
          <label key={v} className={tab === v ? 'is-on' : ''}>
            <input type="radio" name="duty-tab" value={v} checked={tab === v} onChange={() => setTab(v)} />
            {t(`coverage.tab.${v}`)}
          </label>
        ))}
      </fieldset>
      {tab === 'coverage' ? (
        <CoveragePanel />
      ) : (
        <>
          <DutyBoard />
          {isLeader && <CoverageSettings />}
        </>
      )}
    </Page>
  );
}

type DutyChoice = 'schedule' | 'on' | 'off';
const choiceOf = (p: DutyPerson): DutyChoice => (p.override === null ? 'schedule' : p.override ? 'on' : 'off');
const overrideOf = (c: DutyChoice): boolean | null => (c === 'schedule' ? null : c === 'on');

function DutyBoard() {
  const { t, tn, fmt, locale } = useI18n();
  const { me, isLeader } = useSession();
  const notify = useToast();
  const [people, setPeople] = useState<DutyPerson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<DutyPerson | null>(null);
  const [releasing, setReleasing] = useState<{ p: DutyPerson; to: 'team_queue' | 'reassign' } | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setPeople(await api.duty(signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    // Shifts start and end while the page is open.
    const timer = setInterval(() => void load(), 60_000);
    return () => {
      ac.abort();
      clearInterval(timer);
    };
  }, [load]);
  const refresh = useDebounced(() => void load(), 500);
  useRealtime(refresh);

  const setDuty = async (p: DutyPerson, choice: DutyChoice) => {
    try {
      await api.updatePerson(p.id, { on_duty: overrideOf(choice) });
      notify(
        p.id === me.id
          ? t(`duty.self.${choice}`)
          : t('duty.setFor', { name: p.name, state: t(`duty.choice.${choice}`).toLowerCase() }),
      );
      await load();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  const self = people?.find((p) => p.id === me.id);
  const communities = useMemo(
    () =>
      me.communities.map((c) => ({
        ...c,
        // Only people who take cases are on duty (not read-only roles).
        people: (people ?? []).filter((p) => p.community_ids.includes(c.id) && canWorkCases(p.role)),
      })),
    [me.communities, people],
  );

  if (!people) {
    return error ? (
      <p className="form-error" role="alert">
        {error}
      </p>
    ) : (
      <p className="placeholder">{t('common.loading')}</p>
    );
  }

  return (
    <>
      {self && (
        <section className="card duty-self" aria-labelledby="duty-self-title" data-testid="duty-self">
          <h2 id="duty-self-title" className="card-title">
            {self.on_duty ? t('duty.youOn') : t('duty.youOff')}
          </h2>
          <p className="small muted">
            {describeSchedule(t, fmt.list, self.schedule, self.timezone, locale)} ·{' '}
            {tn('duty.openCases', self.open_cases)}
          </p>
          <DutySwitch person={self} onChange={(c) => void setDuty(self, c)} self />
          {self.open_cases > 0 && <ReleaseMenu person={self} onChoose={(to) => setReleasing({ p: self, to })} self />}
        </section>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {communities.map((c) => {
        const on = c.people.filter((p) => p.on_duty);
        return (
          <section key={c.id} className="card" aria-labelledby={`duty-c-${c.id}`} data-community={c.slug}>
            <h2 id={`duty-c-${c.id}`} className="card-title">
              {c.name}{' '}
              <span className={`pill ${on.length > 0 ? 'pill-resolved' : 'pill-waiting_internal'}`}>
                {on.length > 0 ? tn('duty.onCount', on.length) : t('duty.nobody')}
              </span>
            </h2>
            <table className="data-table duty-table">
              <thead>
                <tr>
                  <th scope="col">{t('duty.person')}</th>
                  <th scope="col">{t('duty.now')}</th>
                  <th scope="col">{t('duty.load')}</th>
                  <th scope="col">{t('duty.schedule')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('duty.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.people.map((p) => (
                  <tr key={p.id} data-person-id={p.id} className={p.on_duty ? 'is-on' : 'is-off'}>
                    <th scope="row">
                      <span className="duty-name">{p.name}</span>
                      <span className="duty-role muted small">
                        {labelFor(t, 'role', p.role)} · {p.languages.map((l) => l.toUpperCase()).join(' ')}
                      </span>
                    </th>
                    <td>
                      <span className={`duty-state ${p.on_duty ? 'on' : 'off'}`} data-on-duty={String(p.on_duty)}>
                        {p.on_duty ? t('duty.on') : t('duty.off')}
                      </span>
                      {p.override !== null && <span className="muted small"> · {t('duty.manual')}</span>}
                    </td>
                    <td>
                      <LoadBar n={p.open_cases} max={Math.max(5, ...c.people.map((x) => x.open_cases))} />
                    </td>
                    <td className="small">{describeSchedule(t, fmt.list, p.schedule, p.timezone, locale)}</td>
                    <td>
                      <div className="row-actions-inner">
                        {(isLeader || p.id === me.id) && (
                          <DutySwitch person={p} onChange={(choice) => void setDuty(p, choice)} />
                        )}
                        {isLeader && (
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => setEditing(p)}
                            aria-label={t('duty.editScheduleOf', { name: p.name })}
                            data-action="edit-schedule"
                          >
                            {t('duty.editSchedule')}
                          </button>
                        )}
                        {(isLeader || p.id === me.id) && p.open_cases > 0 && (
                          <ReleaseMenu person={p} onChoose={(to) => setReleasing({ p, to })} />
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      <ScheduleDialog
        person={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void load();
        }}
      />
      <ReleaseDialog
        job={releasing}
        onClose={() => setReleasing(null)}
        onDone={() => {
          setReleasing(null);
          void load();
        }}
      />
    </>
  );
}

function LoadBar(props: { n: number; max: number }) {
  const { tn } = useI18n();
  const pct = Math.round((Math.min(props.n, props.max) / Math.max(1, props.max)) * 100);
  return (
    <span className="load" data-open-cases={props.n}>
      <span className="load-bar" aria-hidden="true">
        <span className="load-fill" style={{ width: `${pct}%` }} />
      </span>
      <span className="load-text">{tn('duty.openCases', props.n)}</span>
    </span>
  );
}

function DutySwitch(props: { person: DutyPerson; onChange(c: DutyChoice): void; self?: boolean }) {
  const { t } = useI18n();
  const p = props.person;
  return (
    <label className={props.self ? 'field-inline' : 'visually-labelled'}>
      <span className={props.self ? '' : 'visually-hidden'}>
        {props.self ? t('duty.myDuty') : t('duty.dutyOf', { name: p.name })}
      </span>
      <select
        value={choiceOf(p)}
        onChange={(e) => props.onChange(e.target.value as DutyChoice)}
        data-control="duty"
        aria-label={props.self ? t('duty.myDuty') : t('duty.dutyOf', { name: p.name })}
      >
        <option value="schedule">{t('duty.choice.schedule')}</option>
        <option value="on">{t('duty.choice.on')}</option>
        <option value="off">{t('duty.choice.off')}</option>
      </select>
    </label>
  );
}

function ReleaseMenu(props: { person: DutyPerson; onChoose(to: 'team_queue' | 'reassign'): void; self?: boolean }) {
  const { t } = useI18n();
  return (
    <MenuButton
      className="btn btn-small"
      label={props.self ? t('duty.releaseMine') : t('duty.releaseOf', { name: props.person.name })}
      actions
      items={[
        { value: 'reassign', label: t('duty.releaseReassign'), checked: false },
        { value: 'team_queue', label: t('duty.releaseQueue'), checked: false },
      ]}
      onSelect={(v) => props.onChoose(v as 'team_queue' | 'reassign')}
      testId="release"
    >
      {props.self ? t('duty.releaseMine') : t('duty.release')} ▾
    </MenuButton>
  );
}

function ReleaseDialog(props: {
  job: { p: DutyPerson; to: 'team_queue' | 'reassign' } | null;
  onClose(): void;
  onDone(): void;
}) {
  const { t, tn } = useI18n();
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const job = props.job;
  useEffect(() => {
    if (job) setError(null);
  }, [job]);
  const run = async () => {
    if (!job) return;
    setBusy(true);
    try {
      const r = await api.releaseCases(job.p.id, job.to);
      const reassigned = r.moved.filter((m) => m.assignee_id !== null).length;
      notify(
        t('duty.released', {
          n: r.moved.length,
          reassigned,
          queued: r.moved.length - reassigned,
        }),
      );
      props.onDone();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={job !== null}
      onClose={props.onClose}
      title={job ? t('duty.releaseTitle', { name: job.p.name }) : ''}
      testId="release-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run()}>
            {t('duty.releaseConfirm')}
          </button>
        </>
      }
    >
      {job && (
        <p>
          {tn('duty.openCases', job.p.open_cases)}{' '}
          {job.to === 'reassign' ? t('duty.releaseReassignExplain') : t('duty.releaseQueueExplain')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** Weekly shifts, in the person's time zone: days, from, to (a shift that ends before it starts runs overnight). */
function ScheduleDialog(props: { person: DutyPerson | null; onClose(): void; onSaved(): void }) {
  const { t, locale } = useI18n();
  const notify = useToast();
  const [shifts, setShifts] = useState<Shift[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const p = props.person;
  useEffect(() => {
    if (p) {
      setShifts(p.schedule.map((s) => ({ ...s, days: [...s.days] })));
      setError(null);
    }
  }, [p]);
  const days = useMemo(() => dayNames(locale), [locale]);
  const change = (i: number, patch: Partial<Shift>) =>
    setShifts((list) => list.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const save = async () => {
    if (!p) return;
    const bad = shifts.findIndex((s) => !validShift(s));
    if (bad >= 0) {
      setError(t('duty.shiftInvalid', { n: bad + 1 }));
      return;
    }
    setBusy(true);
    try {
      await api.updatePerson(p.id, {
        schedule: shifts.map((s) => ({ ...s, days: [...s.days].sort((a, b) => a - b) })),
      });
      notify(t('duty.scheduleSaved', { name: p.name }));
      props.onSaved();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={p !== null}
      onClose={props.onClose}
      title={p ? t('duty.scheduleTitle', { name: p.name }) : ''}
      wide
      testId="schedule-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      {p && <p className="muted small">{t('duty.timezone', { tz: p.timezone })}</p>}
      {shifts.length === 0 && <p className="muted">{t('duty.noShifts')}</p>}
      <ol className="shifts">
        {shifts.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: shifts have no id; their order is their identity here.
          <li key={i} className="shift" data-shift={i}>
            <fieldset>
              <legend>{t('duty.shift', { n: i + 1 })}</legend>
              <div className="day-boxes">
                {days.map((d, di) => {
                  const day = di + 1;
                  return (
                    <label key={day} className="day-box" title={d.long}>
                      <input
                        type="checkbox"
                        checked={s.days.includes(day)}
                        onChange={(e) =>
                          change(i, {
                            days: e.target.checked ? [...s.days, day] : s.days.filter((x) => x !== day),
                          })
                        }
                        aria-label={d.long}
                      />
                      <span className="day-box-label" aria-hidden="true">
                        {d.short}
                      </span>
                    </label>
                  );
                })}
              </div>
              <label className="field-inline">
                <span>{t('duty.from')}</span>
                <input type="time" value={s.from} onChange={(e) => change(i, { from: e.target.value })} required />
              </label>
              <label className="field-inline">
                <span>{t('duty.to')}</span>
                <input type="time" value={s.to} onChange={(e) => change(i, { to: e.target.value })} required />
              </label>
              <button
                type="button"
                className="btn btn-small btn-quiet"
                onClick={() => setShifts((list) => list.filter((_, j) => j !== i))}
                aria-label={t('duty.removeShift', { n: i + 1 })}
              >
                {t('common.delete')}
              </button>
            </fieldset>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => setShifts((list) => [...list, { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }])}
        data-action="add-shift"
      >
        {t('duty.addShift')}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

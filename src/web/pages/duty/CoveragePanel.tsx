import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, type DutyPerson, isAbort } from '../../api.ts';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import {
  ABSENCE_REASONS,
  type Absence,
  type AbsenceReason,
  type CoverageForecast,
  type CoverageGaps,
  type CoverageNow,
  coverageApi,
  type Holiday,
  type NextOnDuty,
} from './coverage-api.ts';

const DAYS = 7;

/**
 * 24/7 coverage: who is on now per community and language, absences, the week's gaps (community × hour) and the
 * understaffed hours with the backups to call. Planning (gaps, forecast) is for leaders and managers.
 */
export function CoveragePanel() {
  const { t } = useI18n();
  const { me } = useSession();
  const plans = me.role === 'leader' || me.role === 'manager';
  const [now, setNow] = useState<CoverageNow | null>(null);
  const [gaps, setGaps] = useState<CoverageGaps | null>(null);
  const [forecast, setForecast] = useState<CoverageForecast | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [n, g, f] = await Promise.all([
          coverageApi.now(signal),
          plans ? coverageApi.gaps(DAYS, signal) : Promise.resolve(null),
          plans ? coverageApi.forecast(DAYS, signal) : Promise.resolve(null),
        ]);
        setNow(n);
        setGaps(g);
        setForecast(f);
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t, plans],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    const timer = setInterval(() => void load(), 5 * 60_000);
    return () => {
      ac.abort();
      clearInterval(timer);
    };
  }, [load]);

  return (
    <div className="coverage" data-testid="coverage">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {now ? <OnDutyNow now={now} /> : !error && <p className="placeholder">{t('common.loading')}</p>}
      <Absences onChanged={() => void load()} />
      <Holidays onChanged={() => void load()} />
      {gaps && <GapHeatmap gaps={gaps} />}
      {forecast && <Understaffed forecast={forecast} />}
    </div>
  );
}

function NextLine(props: { next: NextOnDuty | null }) {
  const { t, fmt } = useI18n();
  if (!props.next) return <span className="muted">{t('coverage.nobodySoon')}</span>;
  return (
    <span className="muted">
      {t('coverage.next', { name: props.next.person.name, time: fmt.dateTime(props.next.at) })}
    </span>
  );
}

function OnDutyNow(props: { now: CoverageNow }) {
  const { t, fmt } = useI18n();
  const names = (people: { name: string }[]) => fmt.list(people.map((p) => p.name));
  return (
    <section className="card" aria-labelledby="coverage-now-title" data-testid="coverage-now">
      <h2 id="coverage-now-title" className="card-title">
        {t('coverage.nowTitle')}
      </h2>
      <table className="data-table">
        <caption className="visually-hidden">{t('coverage.byCommunity')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('coverage.community')}</th>
            <th scope="col">{t('coverage.onDuty')}</th>
          </tr>
        </thead>
        <tbody>
          {props.now.communities.map((c) => (
            <tr key={c.id} data-community={c.slug} className={c.on_duty.length > 0 ? 'is-on' : 'is-off'}>
              <th scope="row">{c.name}</th>
              <td>{c.on_duty.length > 0 ? names(c.on_duty) : <NextLine next={c.next} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data-table">
        <caption className="visually-hidden">{t('coverage.byLanguage')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('coverage.language')}</th>
            <th scope="col">{t('coverage.onDuty')}</th>
          </tr>
        </thead>
        <tbody>
          {props.now.languages.map((l) => (
            <tr key={l.language} data-language={l.language}>
              <th scope="row">{fmt.language(l.language)}</th>
              <td>{l.on_duty.length > 0 ? names(l.on_duty) : <NextLine next={l.next} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** `datetime-local` value (the browser's zone) → ISO 8601. */
const toIso = (local: string) => new Date(local).toISOString();

function Absences(props: { onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const notify = useToast();
  const [list, setList] = useState<Absence[] | null>(null);
  const [people, setPeople] = useState<DutyPerson[]>([]);
  const [personId, setPersonId] = useState<number>(me.id);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState<AbsenceReason>('holiday');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setList(await coverageApi.absences(signal));
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    // Leaders plan anyone's absences, managers those of their communities' people.
    if (me.role === 'leader' || me.role === 'manager') {
      api.duty(ac.signal).then(setPeople, () => undefined);
    }
    return () => ac.abort();
  }, [load, me.role]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!from || !to || new Date(to) <= new Date(from)) {
      setError(t('coverage.absencePeriodInvalid'));
      return;
    }
    setBusy(true);
    try {
      await coverageApi.addAbsence({
        ...(personId !== me.id ? { person_id: personId } : {}),
        starts_at: toIso(from),
        ends_at: toIso(to),
        reason,
        note,
      });
      notify(t('coverage.absenceAdded'));
      setFrom('');
      setTo('');
      setNote('');
      await load();
      props.onChanged();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (a: Absence) => {
    try {
      await coverageApi.removeAbsence(a.id);
      notify(t('coverage.absenceRemoved', { name: a.person_name }));
      await load();
      props.onChanged();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  const others = people.filter((p) => p.id !== me.id);
  return (
    <section className="card" aria-labelledby="coverage-absences-title" data-testid="coverage-absences">
      <h2 id="coverage-absences-title" className="card-title">
        {t('coverage.absencesTitle')}
      </h2>
      {list && list.length === 0 && <p className="muted small">{t('coverage.noAbsence')}</p>}
      {list && list.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('duty.person')}</th>
              <th scope="col">{t('coverage.from')}</th>
              <th scope="col">{t('coverage.to')}</th>
              <th scope="col">{t('coverage.reason')}</th>
              <th scope="col">{t('duty.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-absence-id={a.id}>
                <th scope="row">{a.person_name}</th>
                <td>{fmt.dateTime(a.starts_at)}</td>
                <td>{fmt.dateTime(a.ends_at)}</td>
                <td>
                  {a.reason ? t(`coverage.reason.${a.reason}`) : t('coverage.reasonHidden')}
                  {a.note ? <span className="small muted"> — {a.note}</span> : null}
                </td>
                <td>
                  {a.editable && (
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      onClick={() => void remove(a)}
                      aria-label={t('coverage.removeAbsence', { name: a.person_name })}
                    >
                      {t('common.delete')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="coverage-absence-form" onSubmit={(e) => void submit(e)} data-testid="absence-form">
        {others.length > 0 && (
          <label className="field-inline">
            <span>{t('duty.person')}</span>
            <select value={personId} onChange={(e) => setPersonId(Number(e.target.value))}>
              <option value={me.id}>{t('coverage.myself')}</option>
              {others.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field-inline">
          <span>{t('coverage.from')}</span>
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label className="field-inline">
          <span>{t('coverage.to')}</span>
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <label className="field-inline">
          <span>{t('coverage.reason')}</span>
          <select value={reason} onChange={(e) => setReason(e.target.value as AbsenceReason)}>
            {ABSENCE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`coverage.reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>{t('coverage.note')}</span>
          <input type="text" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy}>
          {t('coverage.addAbsence')}
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Public holidays: everyone sees those of their communities; leaders add and remove them. */
function Holidays(props: { onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { me, isLeader } = useSession();
  const notify = useToast();
  const [list, setList] = useState<Holiday[] | null>(null);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [communityId, setCommunityId] = useState<number | null>(null);
  const [cancels, setCancels] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setList(await coverageApi.holidays(signal));
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const communityName = (id: number | null) =>
    id === null ? t('coverage.wholeOrganization') : (me.communities.find((c) => c.id === id)?.name ?? String(id));
  const today = new Date().toISOString().slice(0, 10);
  const upcoming = (list ?? []).filter((h) => h.date >= today);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await coverageApi.addHoliday({ date, name, community_id: communityId, cancels_shifts: cancels });
      notify(t('coverage.holidayAdded', { name }));
      setDate('');
      setName('');
      await load();
      props.onChanged();
    } catch (err) {
      setError(errorMessage(t, err));
    }
  };
  const remove = async (h: Holiday) => {
    try {
      await coverageApi.removeHoliday(h.id);
      await load();
      props.onChanged();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  return (
    <section className="card" aria-labelledby="coverage-holidays-title" data-testid="coverage-holidays">
      <h2 id="coverage-holidays-title" className="card-title">
        {t('coverage.holidaysTitle')}
      </h2>
      {list && upcoming.length === 0 && <p className="muted small">{t('coverage.noHoliday')}</p>}
      {upcoming.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('coverage.date')}</th>
              <th scope="col">{t('coverage.holidayName')}</th>
              <th scope="col">{t('coverage.community')}</th>
              <th scope="col">{t('coverage.shifts')}</th>
              {isLeader && <th scope="col">{t('duty.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {upcoming.map((h) => (
              <tr key={h.id} data-holiday-id={h.id}>
                <td>{fmt.date(`${h.date}T12:00:00Z`)}</td>
                <th scope="row">{h.name}</th>
                <td>{communityName(h.community_id)}</td>
                <td>{h.cancels_shifts ? t('coverage.shiftsCancelled') : t('coverage.shiftsWorked')}</td>
                {isLeader && (
                  <td>
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      onClick={() => void remove(h)}
                      aria-label={t('coverage.removeHoliday', { name: h.name })}
                    >
                      {t('common.delete')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isLeader && (
        <form className="coverage-absence-form" onSubmit={(e) => void submit(e)} data-testid="holiday-form">
          <label className="field-inline">
            <span>{t('coverage.date')}</span>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
          </label>
          <label className="field-inline">
            <span>{t('coverage.holidayName')}</span>
            <input type="text" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} required />
          </label>
          <label className="field-inline">
            <span>{t('coverage.community')}</span>
            <select
              value={communityId ?? ''}
              onChange={(e) => setCommunityId(e.target.value ? Number(e.target.value) : null)}
            >
              <option value="">{t('coverage.wholeOrganization')}</option>
              {me.communities.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field-inline">
            <input type="checkbox" checked={cancels} onChange={(e) => setCancels(e.target.checked)} />
            <span>{t('coverage.cancelsShifts')}</span>
          </label>
          <button type="submit" className="btn btn-small btn-primary">
            {t('coverage.addHoliday')}
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Community × hour over the next days: green shades by people on duty, red where nobody is. */
function GapHeatmap(props: { gaps: CoverageGaps }) {
  const { t, tn, fmt } = useI18n();
  const first = props.gaps.communities[0]?.hours ?? [];
  const dayStarts = first.filter((_, i) => i % 24 === 0);
  return (
    <section className="card" aria-labelledby="coverage-gaps-title" data-testid="coverage-gaps">
      <h2 id="coverage-gaps-title" className="card-title">
        {t('coverage.gapsTitle', { days: props.gaps.days })}
      </h2>
      <p className="small muted">{t('coverage.gapsHelp')}</p>
      <div className="heatmap-scroll">
        <table className="data-table heatmap">
          <thead>
            <tr>
              <th scope="col">{t('coverage.community')}</th>
              <th scope="col">
                <span className="heatmap-cells">
                  {dayStarts.map((h) => (
                    <span key={h.at} className="heatmap-day" title={fmt.dateTime(h.at)}>
                      {fmt.short(h.at, Date.now())}
                    </span>
                  ))}
                </span>
              </th>
              <th scope="col">{t('coverage.gapHours')}</th>
            </tr>
          </thead>
          <tbody>
            {props.gaps.communities.map((c) => (
              <tr key={c.id} data-community={c.slug}>
                <th scope="row">{c.name}</th>
                <td>
                  <span className="heatmap-cells">
                    {c.hours.map((h) => (
                      <span
                        key={h.at}
                        className={`heatmap-cell level-${h.gap ? 'gap' : Math.min(h.on_duty, 3)}`}
                        data-gap={String(h.gap)}
                        title={`${fmt.dateTime(h.at)} — ${h.gap ? t('duty.nobody') : tn('duty.onCount', h.on_duty)}`}
                      />
                    ))}
                  </span>
                </td>
                <td>{c.gap_hours > 0 ? tn('coverage.gapCount', c.gap_hours) : t('coverage.noGap')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Understaffed(props: { forecast: CoverageForecast }) {
  const { t, fmt } = useI18n();
  const rows = props.forecast.communities.flatMap((c) => c.understaffed.map((h) => ({ c, h })));
  return (
    <section className="card" aria-labelledby="coverage-forecast-title" data-testid="coverage-understaffed">
      <h2 id="coverage-forecast-title" className="card-title">
        {t('coverage.understaffedTitle')}
      </h2>
      <p className="small muted">
        {t('coverage.capacityLine', {
          n: fmt.number(props.forecast.per_person_hour.value),
          source: t(`coverage.rateSource.${props.forecast.per_person_hour.source}`),
        })}
        {props.forecast.backups_from === 'roles' ? ` ${t('coverage.backupsByRole')}` : ''}
      </p>
      {rows.length === 0 ? (
        <p className="muted">{t('coverage.noUnderstaffed')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('coverage.community')}</th>
              <th scope="col">{t('coverage.hour')}</th>
              <th scope="col">{t('coverage.expected')}</th>
              <th scope="col">{t('coverage.onDutyNeeded')}</th>
              <th scope="col">{t('coverage.proposals')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, 200).map(({ c, h }) => (
              <tr key={`${c.id}-${h.at}`} data-community={c.slug}>
                <th scope="row">{c.name}</th>
                <td>
                  {fmt.dateTime(h.at)}
                  {h.holiday ? <span className="pill"> {t('coverage.holiday')}</span> : null}
                </td>
                <td>{fmt.number(h.expected)}</td>
                <td>
                  {h.on_duty} / {h.needed}
                </td>
                <td>
                  {h.proposals.length === 0
                    ? t('coverage.noProposal')
                    : fmt.list(
                        h.proposals.map((p) =>
                          p.backs_up.length > 0
                            ? t('coverage.backupOf', { name: p.name, of: fmt.list(p.backs_up) })
                            : `${p.name} (${labelFor(t, 'role', p.role)})`,
                        ),
                      )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

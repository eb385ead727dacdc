import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { request } from '../../api.ts';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { useReference, useSession } from '../../session.tsx';

/** A scheduled report as the API returns it (GET /api/v1/reports/schedules). */
interface Schedule {
  id: number;
  name: string;
  communities: number[] | null;
  team: number | null;
  period: 'last_week' | 'last_month';
  business_hours: boolean;
  frequency: 'weekly' | 'monthly';
  weekday: number | null;
  month_day: number | null;
  time: string;
  timezone: string;
  recipients: ({ person_id: number } | { email: string })[];
  active: boolean;
  next_due_at: string;
  last_delivery: { status: Status; sent_at: string | null; error: string | null } | null;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type Weekday = (typeof WEEKDAYS)[number];
type Status = 'sending' | 'sent' | 'failed';

/** Body of POST/PUT from a schedule (to change one field of an existing one). */
function bodyOf(s: Schedule) {
  return {
    name: s.name,
    communities: s.communities,
    team: s.team,
    period: s.period,
    business_hours: s.business_hours,
    frequency: s.frequency,
    ...(s.frequency === 'weekly' ? { weekday: s.weekday ?? 1 } : { month_day: s.month_day ?? 1 }),
    time: s.time,
    timezone: s.timezone,
    recipients: s.recipients,
    active: s.active,
  };
}

/** Scheduled reports: leaders (all communities) and managers (theirs) have a report emailed with its PDF. */
export function SchedulesPanel() {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const { people, teams } = useReference();
  const [items, setItems] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const allowed = me.role === 'leader' || me.role === 'manager';

  const load = useCallback(() => {
    request<{ items: Schedule[] }>('GET', '/api/v1/reports/schedules').then(
      (r) => setItems(r.items),
      (err: unknown) => setError(errorMessage(t, err)),
    );
  }, [t]);
  useEffect(() => {
    if (allowed) load();
  }, [allowed, load]);
  if (!allowed) return null;

  const act = async (what: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await what();
      if (done) setNotice(done);
      load();
    } catch (err) {
      setError(errorMessage(t, err));
    }
  };
  const weekday = (n: number) => t(`reports.schedules.weekday.${(n >= 1 && n <= 7 ? n : 1) as Weekday}`);
  const when = (s: Schedule) =>
    s.frequency === 'weekly'
      ? t('reports.schedules.everyWeek', { day: weekday(s.weekday ?? 1), time: s.time, tz: s.timezone })
      : t('reports.schedules.everyMonth', { day: String(s.month_day ?? 1), time: s.time, tz: s.timezone });
  const recipientName = (r: Schedule['recipients'][number]) =>
    'email' in r ? r.email : (people?.find((p) => p.id === r.person_id)?.name ?? `#${r.person_id}`);

  return (
    <section className="card report-schedules" aria-labelledby="report-schedules" data-testid="report-schedules">
      <h2 className="card-title" id="report-schedules">
        {t('reports.schedules.title')}
      </h2>
      <p className="hint">{t('reports.schedules.hint')}</p>
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {items && items.length === 0 && <p className="placeholder">{t('reports.schedules.none')}</p>}
      {items && items.length > 0 && (
        <ul className="schedule-list">
          {items.map((s) => (
            <li key={s.id} data-schedule={s.name}>
              <strong>{s.name}</strong> — {t(`reports.schedules.period.${s.period}`)}, {when(s)}
              {!s.active && <> ({t('reports.schedules.paused')})</>}
              <br />
              <small>
                {t('reports.schedules.to', { list: s.recipients.map(recipientName).join(', ') })}
                {' · '}
                {t('reports.schedules.next', { when: fmt.dateTime(s.next_due_at) })}
                {s.last_delivery &&
                  ` · ${t(`reports.schedules.status.${s.last_delivery.status}`)}${
                    s.last_delivery.error ? ` (${s.last_delivery.error})` : ''
                  }`}
              </small>
              <div className="card-actions">
                <button
                  data-action="send-now"
                  type="button"
                  className="btn"
                  onClick={() =>
                    act(() => request('POST', `/api/v1/reports/schedules/${s.id}/send`), t('reports.schedules.sentNow'))
                  }
                >
                  {t('reports.schedules.sendNow')}
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    act(() =>
                      request('PUT', `/api/v1/reports/schedules/${s.id}`, {
                        body: { ...bodyOf(s), active: !s.active },
                      }),
                    )
                  }
                >
                  {s.active ? t('reports.schedules.pause') : t('reports.schedules.resume')}
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() => act(() => request('DELETE', `/api/v1/reports/schedules/${s.id}`))}
                >
                  {t('reports.schedules.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ScheduleForm
        teams={teams ?? []}
        people={people ?? []}
        onCreate={(body) =>
          act(() => request('POST', '/api/v1/reports/schedules', { body }), t('reports.schedules.created'))
        }
      />
    </section>
  );
}

function ScheduleForm(props: {
  teams: { id: number; name: string }[];
  people: { id: number; name: string }[];
  onCreate(body: unknown): Promise<void>;
}) {
  const { t } = useI18n();
  const { me } = useSession();
  const [name, setName] = useState('');
  const [communities, setCommunities] = useState<number[]>([]);
  const [team, setTeam] = useState('');
  const [period, setPeriod] = useState<'last_week' | 'last_month'>('last_week');
  const [businessHours, setBusinessHours] = useState(false);
  const [frequency, setFrequency] = useState<'weekly' | 'monthly'>('weekly');
  const [day, setDay] = useState(1);
  const [time, setTime] = useState('08:00');
  const [timezone, setTimezone] = useState(me.timezone || 'UTC');
  const [recipients, setRecipients] = useState<number[]>([]);
  const [emails, setEmails] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = [
      ...recipients.map((id) => ({ person_id: id })),
      ...emails
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((email) => ({ email })),
    ];
    void props.onCreate({
      name,
      communities: communities.length > 0 ? communities : null,
      team: team ? Number(team) : null,
      period,
      business_hours: businessHours,
      frequency,
      ...(frequency === 'weekly' ? { weekday: day } : { month_day: day }),
      time,
      timezone,
      recipients: list,
    });
  };

  return (
    <details className="schedule-new">
      <summary>{t('reports.schedules.new')}</summary>
      <form className="schedule-form" onSubmit={submit} aria-label={t('reports.schedules.new')}>
        <label>
          <span>{t('reports.schedules.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} name="name" />
        </label>
        <fieldset>
          <legend>{t('reports.community')}</legend>
          <p className="hint">
            {me.role === 'leader' ? t('reports.schedules.allIfNone') : t('reports.schedules.pickCommunities')}
          </p>
          {me.communities.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={communities.includes(c.id)}
                onChange={(e) =>
                  setCommunities(e.target.checked ? [...communities, c.id] : communities.filter((x) => x !== c.id))
                }
              />
              {c.name}
            </label>
          ))}
        </fieldset>
        <label>
          <span>{t('reports.team')}</span>
          <select value={team} onChange={(e) => setTeam(e.target.value)} name="team">
            <option value="">{t('reports.allTeams')}</option>
            {props.teams.map((x) => (
              <option key={x.id} value={String(x.id)}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('reports.schedules.periodLabel')}</span>
          <select value={period} onChange={(e) => setPeriod(e.target.value as typeof period)} name="period">
            <option value="last_week">{t('reports.schedules.period.last_week')}</option>
            <option value="last_month">{t('reports.schedules.period.last_month')}</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={businessHours} onChange={(e) => setBusinessHours(e.target.checked)} />
          {t('reports.businessHours')}
        </label>
        <label>
          <span>{t('reports.schedules.frequency')}</span>
          <select
            value={frequency}
            onChange={(e) => {
              setFrequency(e.target.value as typeof frequency);
              setDay(1);
            }}
            name="frequency"
          >
            <option value="weekly">{t('reports.schedules.weekly')}</option>
            <option value="monthly">{t('reports.schedules.monthly')}</option>
          </select>
        </label>
        {frequency === 'weekly' ? (
          <label>
            <span>{t('reports.schedules.weekdayLabel')}</span>
            <select value={day} onChange={(e) => setDay(Number(e.target.value))} name="weekday">
              {WEEKDAYS.map((d) => (
                <option key={d} value={d}>
                  {t(`reports.schedules.weekday.${d}`)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            <span>{t('reports.schedules.monthDay')}</span>
            <input
              type="number"
              min={1}
              max={28}
              value={day}
              onChange={(e) => setDay(Number(e.target.value))}
              name="month_day"
            />
          </label>
        )}
        <label>
          <span>{t('reports.schedules.time')}</span>
          <input type="time" value={time} onChange={(e) => setTime(e.target.value)} required name="time" />
        </label>
        <label>
          <span>{t('reports.schedules.timezone')}</span>
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} required name="timezone" />
        </label>
        <label>
          <span>{t('reports.schedules.people')}</span>
          <select
            multiple
            value={recipients.map(String)}
            onChange={(e) => setRecipients([...e.target.selectedOptions].map((o) => Number(o.value)))}
            name="people"
          >
            {props.people.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('reports.schedules.emails')}</span>
          <input
            value={emails}
            onChange={(e) => setEmails(e.target.value)}
            placeholder="care-leads@example.com"
            name="emails"
          />
        </label>
        <div className="card-actions">
          <button type="submit" className="btn primary">
            {t('reports.schedules.create')}
          </button>
        </div>
      </form>
    </details>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { isAbort, request } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { navigate } from '../../lib/router.ts';
import { canWorkCases, useReference, useSession } from '../../session.tsx';
import { type ReplayStock, type TraineeOverview, type TrainingSession, trainingApi } from './training-api.ts';
import './training.css';

const LEADS = new Set(['leader', 'manager']);

/**
 * Training: start a session of replays (for oneself, or for someone one trains), the sessions, and for training
 * leads who has practised what, with a shortcut to make a trainee someone's backup.
 */
export function TrainingPage() {
  const { t } = useI18n();
  const { me } = useSession();
  return (
    <Page section="training" title={t('training.pageTitle')}>
      <p className="muted">{t('training.explain')}</p>
      <StartSession />
      <SessionList />
      {LEADS.has(me.role) && <Overview />}
    </Page>
  );
}

function StartSession() {
  const { t } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const { people } = useReference();
  const [stock, setStock] = useState<ReplayStock[] | null>(null);
  const [community, setCommunity] = useState<number | null>(null);
  const [person, setPerson] = useState<number>(me.id);
  const [count, setCount] = useState(5);
  const [topic, setTopic] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ac = new AbortController();
    trainingApi.replays(ac.signal).then(
      (s) => {
        setStock(s);
        setCommunity((c) => c ?? s.find((x) => x.available > 0)?.community.id ?? s[0]?.community.id ?? null);
      },
      (err: unknown) => {
        if (!isAbort(err)) toast(errorMessage(t, err), 'error');
      },
    );
    return () => ac.abort();
  }, [t, toast]);

  const current = stock?.find((s) => s.community.id === community);
  const trainees = LEADS.has(me.role) ? (people ?? []).filter((p) => canWorkCases(p.role)) : [];
  const start = async () => {
    if (community === null) return;
    setBusy(true);
    try {
      const s = await trainingApi.start({
        community_id: community,
        count,
        ...(person !== me.id ? { person_id: person } : {}),
        ...(topic ? { topic } : {}),
      });
      toast(t('training.started', { n: s.items }));
      navigate(`/training/sessions/${s.id}`);
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  if (stock === null) return <p className="muted">{t('common.loading')}</p>;
  if (stock.length === 0) return <p className="notice">{t('training.noCommunity')}</p>;
  return (
    <section className="panel training-start" aria-labelledby="training-start">
      <h2 id="training-start">{t('training.startTitle')}</h2>
      <div className="training-form">
        <label className="field">
          <span>{t('training.community')}</span>
          <select
            value={community ?? ''}
            onChange={(e) => {
              setCommunity(Number(e.target.value));
              setTopic('');
            }}
            data-control="training-community"
          >
            {stock.map((s) => (
              <option key={s.community.id} value={s.community.id}>
                {t('training.communityOption', { name: s.community.name, n: s.available })}
              </option>
            ))}
          </select>
        </label>
        {trainees.length > 0 && (
          <label className="field">
            <span>{t('training.trainee')}</span>
            <select value={person} onChange={(e) => setPerson(Number(e.target.value))} data-control="training-person">
              <option value={me.id}>{t('training.myself')}</option>
              {trainees
                .filter((p) => p.id !== me.id)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>{t('training.count')}</span>
          <input
            type="number"
            min={1}
            max={20}
            value={count}
            onChange={(e) => setCount(Math.max(1, Math.min(20, Number(e.target.value) || 1)))}
            data-control="training-count"
          />
        </label>
        <label className="field">
          <span>{t('training.topic')}</span>
          <select value={topic} onChange={(e) => setTopic(e.target.value)} data-control="training-topic">
            <option value="">{t('training.anyTopic')}</option>
            {(current?.topics ?? []).map((x) => (
              <option key={x.topic} value={x.topic}>
                {`${labelFor(t, 'topic', x.topic)} (${x.count})`}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || !current || current.available === 0}
          onClick={() => void start()}
          data-action="training-start"
        >
          {t('training.start')}
        </button>
      </div>
      {current && current.available === 0 && <p className="notice small">{t('training.noReplays')}</p>}
    </section>
  );
}

function SessionList() {
  const { t, fmt } = useI18n();
  const [list, setList] = useState<TrainingSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    trainingApi.sessions(ac.signal).then(setList, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [t]);
  return (
    <section className="panel" aria-labelledby="training-sessions">
      <h2 id="training-sessions">{t('training.sessions')}</h2>
      {error && <p className="form-error">{error}</p>}
      {list !== null && list.length === 0 && <p className="muted">{t('training.noSessions')}</p>}
      {list !== null && list.length > 0 && (
        <table className="table" data-testid="training-sessions">
          <thead>
            <tr>
              <th>{t('training.trainee')}</th>
              <th>{t('training.community')}</th>
              <th>{t('training.progress')}</th>
              <th>{t('training.startedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/training/sessions/${s.id}`}>{s.person.name}</Link>
                </td>
                <td>
                  {s.community?.name ?? '—'}
                  {s.topic ? ` · ${labelFor(t, 'topic', s.topic)}` : ''}
                </td>
                <td>{t('training.answeredOf', { n: s.answered, total: s.items })}</td>
                <td>{fmt.dateTime(s.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Overview() {
  const { t, fmt } = useI18n();
  const [rows, setRows] = useState<TraineeOverview[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    (signal?: AbortSignal) =>
      trainingApi.overview(signal).then(setRows, (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }),
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);
  const { communities } = useReference();
  const communityName = (id: number) => communities?.find((c) => c.id === id)?.name ?? `#${id}`;
  return (
    <section className="panel" aria-labelledby="training-overview">
      <h2 id="training-overview">{t('training.overview')}</h2>
      <p className="muted small">{t('training.overviewExplain')}</p>
      {error && <p className="form-error">{error}</p>}
      {rows !== null && rows.length === 0 && <p className="muted">{t('training.nobodyPractised')}</p>}
      {rows !== null && rows.length > 0 && (
        <table className="table training-overview" data-testid="training-overview">
          <thead>
            <tr>
              <th>{t('training.trainee')}</th>
              <th>{t('training.practised')}</th>
              <th>{t('training.answers')}</th>
              <th>{t('training.approvalShare')}</th>
              <th>{t('training.warnings')}</th>
              <th>{t('training.medianTime')}</th>
              <th>{t('training.scores')}</th>
              <th>{t('training.backup')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.person_id} data-person={r.person_id}>
                <td>
                  <strong>{r.name}</strong>
                  <div className="muted small">{labelFor(t, 'role', r.role)}</div>
                </td>
                <td>
                  <ul className="plain small">
                    {r.practised.map((p) => (
                      <li key={`${p.community_id}-${p.intent ?? ''}`}>
                        {`${communityName(p.community_id)} · ${p.intent ? labelFor(t, 'intent', p.intent) : '—'} × ${p.answered}`}
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-cell="answered">
                  {t('training.answeredOf', { n: r.answered, total: r.items })}
                  <div className="muted small">{t('training.sessionCount', { n: r.sessions })}</div>
                </td>
                <td data-cell="approval">{r.answered > 0 ? fmt.percent(r.approval_share) : '—'}</td>
                <td data-cell="warnings">{fmt.number(r.guideline_warnings)}</td>
                <td data-cell="median">
                  {r.median_seconds_to_answer === null ? '—' : fmt.duration(r.median_seconds_to_answer * 1000)}
                </td>
                <td data-cell="scores">
                  {r.leader_score_avg === null
                    ? '—'
                    : t('training.scoreAvg', { avg: r.leader_score_avg.toFixed(1), n: r.leader_scores })}
                  {r.self_assessment_avg !== null && (
                    <div className="muted small">
                      {t('training.selfAvg', { avg: r.self_assessment_avg.toFixed(1) })}
                    </div>
                  )}
                  {r.qa_mean_score !== null && (
                    <div className="muted small" data-testid="training-qa">
                      {t('training.qaScore', { score: fmt.number(r.qa_mean_score), n: r.qa_reviews })}
                    </div>
                  )}
                </td>
                <td>
                  <MakeBackup row={r} onDone={() => void load()} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Adds the trainee as the last backup of a person of the communities they practised (the coverage route). */
function MakeBackup(props: { row: TraineeOverview; onDone(): void }) {
  const { t } = useI18n();
  const toast = useToast();
  const { people } = useReference();
  const [target, setTarget] = useState('');
  const practisedIn = new Set(props.row.practised.map((p) => p.community_id));
  const already = new Set(props.row.backs_up.map((b) => b.person_id));
  const candidates = (people ?? []).filter(
    (p) =>
      p.id !== props.row.person_id &&
      canWorkCases(p.role) &&
      !already.has(p.id) &&
      p.community_ids.some((c) => practisedIn.has(c)),
  );
  const add = async () => {
    const personId = Number(target);
    if (!personId) return;
    try {
      const current = await request<{ backups: { backup_id: number }[] }>('GET', `/api/v1/people/${personId}/backups`);
      await request('PUT', `/api/v1/people/${personId}/backups`, {
        body: { backup_ids: [...current.backups.map((b) => b.backup_id), props.row.person_id] },
      });
      toast(t('training.backupAdded'));
      setTarget('');
      props.onDone();
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    }
  };
  return (
    <div className="training-backup">
      {props.row.backs_up.length > 0 && (
        <p className="small" data-testid="backs-up">
          {t('training.backsUp', { names: props.row.backs_up.map((b) => b.name).join(', ') })}
        </p>
      )}
      {candidates.length > 0 && (
        <span className="inline-field">
          <select
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            aria-label={t('training.backupOf')}
            data-control="backup-of"
          >
            <option value="">{t('training.backupOf')}</option>
            {candidates.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-small"
            disabled={!target}
            onClick={() => void add()}
            data-action="make-backup"
          >
            {t('training.makeBackup')}
          </button>
        </span>
      )}
    </div>
  );
}

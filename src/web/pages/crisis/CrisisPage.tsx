import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { navigate } from '../../lib/router.ts';
import { useSession } from '../../session.tsx';
import { VolumeChart } from './Charts.tsx';
import {
  CRISIS_EVENTS_URL,
  type CrisisAlert,
  type CrisisSummary,
  crisisApi,
  type PlaybookRow,
  type SampleMessage,
} from './crisis-api.ts';

/** Reloads on every crisis event (new alert, declared, stood down), pushed by the server. */
export function useCrisisEvents(onEvent: () => void): void {
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource(CRISIS_EVENTS_URL);
    es.onmessage = () => onEvent();
    return () => es.close();
  }, [onEvent]);
}

/** Crisis mode: the detector's alerts with their evidence, declaring a crisis, the crises so far. */
export function CrisisPage() {
  const { t } = useI18n();
  return (
    <Page section="crisis" title={t('crisis.title')}>
      <CrisisBoard />
    </Page>
  );
}

function CrisisBoard() {
  const { t, fmt } = useI18n();
  const { isLeader } = useSession();
  const notify = useToast();
  const [alerts, setAlerts] = useState<CrisisAlert[] | null>(null);
  const [crises, setCrises] = useState<CrisisSummary[]>([]);
  const [playbooks, setPlaybooks] = useState<PlaybookRow[]>([]);
  const [playbookId, setPlaybookId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [a, c, p] = await Promise.all([
          crisisApi.alerts(signal),
          crisisApi.crises(signal),
          crisisApi.playbooks(signal),
        ]);
        setAlerts(a);
        setCrises(c);
        setPlaybooks(p);
        setPlaybookId((id) => id ?? p[0]?.id ?? null);
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
    return () => ac.abort();
  }, [load]);
  const reload = useCallback(() => void load(), [load]);
  useCrisisEvents(reload);

  const active = crises.find((c) => c.status === 'active');
  const declare = async (alertId?: number) => {
    if (playbookId === null) return;
    setBusy(true);
    try {
      const c = await crisisApi.declare({ playbook_id: playbookId, ...(alertId ? { alert_id: alertId } : {}) });
      notify(t('crisis.declared'));
      navigate(`/crisis/${c.id}`);
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const dismiss = async (id: number) => {
    try {
      await crisisApi.dismiss(id);
      await load();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };
  const demo = async () => {
    try {
      const r = await crisisApi.demo({ community: 'airsocial-it', speed: 1 });
      notify(t('crisis.demoStarted', { n: fmt.number(r.backfill + r.surge) }));
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  if (error) return <p role="alert">{error}</p>;
  if (!alerts) return <p className="placeholder">{t('common.loading')}</p>;
  return (
    <>
      {active && (
        <p className="notice notice-warn" role="status">
          {t('crisis.activeNotice', { title: active.title })}{' '}
          <Link href={`/crisis/${active.id}`} className="btn btn-small btn-primary">
            {t('crisis.openRoom')}
          </Link>
        </p>
      )}
      {isLeader && (
        <section className="card" aria-labelledby="crisis-declare">
          <h2 className="card-title" id="crisis-declare">
            {t('crisis.playbook')}
          </h2>
          <div className="card-actions">
            <label>
              {t('crisis.playbook')}{' '}
              <select
                value={playbookId ?? ''}
                onChange={(e) => setPlaybookId(Number(e.target.value))}
                aria-label={t('crisis.playbook')}
              >
                {playbooks.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="btn"
              disabled={busy || !!active || playbookId === null}
              onClick={() => void declare()}
            >
              {t('crisis.declareByHand')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => void demo()}>
              {t('crisis.demo')}
            </button>
          </div>
          {playbooks.find((p) => p.id === playbookId)?.definition.description && (
            <p className="muted">{playbooks.find((p) => p.id === playbookId)?.definition.description}</p>
          )}
        </section>
      )}
      <section aria-labelledby="crisis-alerts" className="card">
        <h2 className="card-title" id="crisis-alerts">
          {t('crisis.alerts')}
        </h2>
        {alerts.length === 0 ? (
          <p className="muted">{t('crisis.noAlerts')}</p>
        ) : (
          <ul className="crisis-alerts" style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 10 }}>
            {alerts.map((a) => (
              <AlertCard
                key={a.id}
                alert={a}
                canDeclare={isLeader && !active && playbookId !== null}
                busy={busy}
                onDeclare={() => void declare(a.id)}
                onDismiss={() => void dismiss(a.id)}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="crisis-list" className="card">
        <h2 className="card-title" id="crisis-list">
          {t('crisis.crises')}
        </h2>
        {crises.length === 0 ? (
          <p className="muted">{t('crisis.noCrises')}</p>
        ) : (
          <ul>
            {crises.map((c) => (
              <li key={c.id}>
                <Link href={`/crisis/${c.id}`}>{c.title}</Link> — {t(`crisis.status.${c.status}`)} ·{' '}
                {fmt.dateTime(c.declared_at)}
                {c.stood_down_at ? ` → ${fmt.dateTime(c.stood_down_at)}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function AlertCard(props: {
  alert: CrisisAlert;
  canDeclare: boolean;
  busy: boolean;
  onDeclare(): void;
  onDismiss(): void;
}) {
  const { t, fmt } = useI18n();
  const a = props.alert;
  const [messages, setMessages] = useState<SampleMessage[] | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open || messages) return;
    const ac = new AbortController();
    crisisApi.alertMessages(a.id, ac.signal).then(setMessages, () => setMessages([]));
    return () => ac.abort();
  }, [open, messages, a.id]);
  const e = a.evidence;
  return (
    <li className="card" data-alert={a.id} data-status={a.status}>
      <div className="card-title">
        <strong>{a.community ?? '—'}</strong>
        <span className="badge">{t(`crisis.kind.${a.kind}`)}</span>
        <span className="badge">{t(`crisis.alertStatus.${a.status}`)}</span>
        <span className="muted">{fmt.dateTime(a.detected_at)}</span>
      </div>
      <div style={{ display: 'flex', gap: 16, alignItems: 'center', flexWrap: 'wrap' }}>
        <VolumeChart series={e.series} label={t('crisis.seriesLabel')} />
        <div>
          {e.observed !== undefined && e.expected !== undefined && (
            <p>
              {t('crisis.observed', {
                observed: fmt.number(e.observed),
                expected: fmt.number(e.expected),
                minutes: fmt.number(e.window_minutes ?? 1),
              })}
            </p>
          )}
          <p>
            <span className="muted">{t('crisis.topTerms')}: </span>
            {e.top_terms.map((x) => (
              <span key={x.term} className="badge" style={{ marginRight: 4 }}>
                {x.term} ({fmt.number(x.count)})
              </span>
            ))}
          </p>
        </div>
      </div>
      <div className="card-actions">
        <button type="button" className="btn btn-small btn-quiet" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t('crisis.sampleMessages', { n: fmt.number(e.sample_message_ids.length) })}
        </button>
        {a.status === 'open' && props.canDeclare && (
          <button type="button" className="btn btn-small btn-danger" disabled={props.busy} onClick={props.onDeclare}>
            {t('crisis.declare')}
          </button>
        )}
        {a.status === 'open' && props.canDeclare && (
          <button type="button" className="btn btn-small btn-quiet" onClick={props.onDismiss}>
            {t('crisis.dismiss')}
          </button>
        )}
        {a.crisis_id !== null && <Link href={`/crisis/${a.crisis_id}`}>{t('crisis.openRoom')}</Link>}
      </div>
      {open && (
        <ul className="crisis-samples">
          {(messages ?? []).map((m) => (
            <li key={m.id}>
              <Link href={`/cases/${m.case_id}`}>{m.author_handle}</Link>: {m.text}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import { isAbort } from '../../api.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useDebounced, useRealtime } from '../../lib/realtime.tsx';
import { useSession } from '../../session.tsx';
import { CrisisAdvocatesPanel } from '../advocates/CrisisAdvocatesPanel.tsx';
import { VolumeChart } from './Charts.tsx';
import { useCrisisEvents } from './CrisisPage.tsx';
import { type CrisisReport, type CrisisRoom, crisisApi } from './crisis-api.ts';

/**
 * The crisis room: live volume and sentiment, the queue by urgency with a bulk reply, the holding statements,
 * who is on, the timeline and every change the playbook made; standing down and the report.
 */
export function CrisisRoomPage(props: { id: number }) {
  const { t } = useI18n();
  return (
    <Page section="crisis" title={t('crisis.roomTitle')}>
      <Room id={props.id} />
    </Page>
  );
}

function Room({ id }: { id: number }) {
  const { t, fmt } = useI18n();
  const { isLeader } = useSession();
  const notify = useToast();
  const [room, setRoom] = useState<CrisisRoom | null>(null);
  const [report, setReport] = useState<CrisisReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [text, setText] = useState('');
  const [resolve, setResolve] = useState(true);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const r = await crisisApi.room(id, signal);
        setRoom(r);
        setReport(await crisisApi.report(id, signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [id, t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    const timer = setInterval(() => void load(), 30_000);
    return () => {
      ac.abort();
      clearInterval(timer);
    };
  }, [load]);
  const refresh = useDebounced(() => void load(), 1000);
  useRealtime(refresh);
  useCrisisEvents(refresh);

  const mark = useMemo(() => {
    if (!room) return undefined;
    const at = Date.parse(room.crisis.declared_at);
    return room.series.findIndex((p) => Date.parse(p.at ?? '') + 5 * 60_000 > at);
  }, [room]);

  if (error) return <p role="alert">{error}</p>;
  if (!room) return <p className="placeholder">{t('common.loading')}</p>;
  const c = room.crisis;
  const activeCrisis = c.status === 'active';
  const recent = room.series.slice(-12);
  const recentN = recent.reduce((s, p) => s + p.n, 0);
  const recentNeg = recent.reduce((s, p) => s + p.negative, 0);

  const standDown = async () => {
    setBusy(true);
    try {
      await crisisApi.standDown(id);
      notify(t('crisis.stoodDown'));
      await load();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const bulk = async () => {
    setBusy(true);
    try {
      const r = await crisisApi.bulkReply(id, { case_ids: [...selected], text, resolve });
      notify(t('crisis.bulkSent', { n: fmt.number(r.sent), total: fmt.number(selected.size) }));
      setSelected(new Set());
      await load();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const toggle = (caseId: number, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(caseId);
    else next.delete(caseId);
    setSelected(next);
  };

  return (
    <>
      <header className="card">
        <div className="card-title">
          <h2 style={{ margin: 0 }}>{c.title}</h2>
          <span className="badge" data-crisis-status={c.status}>
            {t(`crisis.status.${c.status}`)}
          </span>
        </div>
        <p className="muted">
          {t('crisis.declaredAt', { at: fmt.dateTime(c.declared_at) })}
          {c.stood_down_at ? ` · ${t('crisis.stoodDownAt', { at: fmt.dateTime(c.stood_down_at) })}` : ''}
        </p>
        <div className="card-actions">
          {isLeader && activeCrisis && (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void standDown()}>
              {t('crisis.standDown')}
            </button>
          )}
          <a className="btn btn-small" href={`/api/v1/crisis/crises/${id}/report.csv`} download>
            {t('crisis.reportCsv')}
          </a>
          <a className="btn btn-small" href={`/api/v1/crisis/crises/${id}/report.pdf`} download>
            {t('crisis.reportPdf')}
          </a>
          <Link href="/crisis">{t('crisis.back')}</Link>
        </div>
      </header>

      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', gap: 14 }}>
        <section className="card" aria-labelledby="room-volume">
          <h3 className="card-title" id="room-volume">
            {t('crisis.volume')}
          </h3>
          <VolumeChart series={room.series} label={t('crisis.volumeLabel')} width={420} height={90} mark={mark} fluid />
          <p>
            {t('crisis.lastHour', {
              n: fmt.number(recentN),
              negative: recentN > 0 ? fmt.percent(recentNeg / recentN) : '—',
            })}
          </p>
        </section>
        <section className="card" aria-labelledby="room-deflection">
          <h3 className="card-title" id="room-deflection">
            {t('crisis.deflection')}
          </h3>
          <p style={{ fontSize: 28, margin: 0 }} data-deflected={room.deflected}>
            {fmt.number(room.deflected)}
          </p>
          <p className="muted">{t('crisis.deflectionHelp', { topics: c.playbook.call_center_topics.join(', ') })}</p>
        </section>
        <section className="card" aria-labelledby="room-who">
          <h3 className="card-title" id="room-who">
            {t('crisis.whoIsOn')}
          </h3>
          <ul>
            {room.task_force.map((p) => (
              <li key={p.id}>
                {p.name} — {labelFor(t, 'role', p.role)} · {p.on_duty ? t('crisis.onDuty') : t('crisis.offDuty')}
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section className="card" aria-labelledby="room-statements">
        <h3 className="card-title" id="room-statements">
          {t('crisis.holdingStatements')}
        </h3>
        <ul style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 8 }}>
          {room.holding_statements.map((h) => (
            <li key={`${h.language}-${h.title}`}>
              <strong>
                {fmt.language(h.language)} · {h.title}
              </strong>
              <p style={{ margin: '4px 0' }}>{h.body}</p>
              <div className="card-actions">
                <CopyButton text={h.body} label={t('crisis.copyStatement', { title: h.title })} />
                {activeCrisis && (
                  <button type="button" className="btn btn-small" onClick={() => setText(h.body)}>
                    {t('crisis.useStatement')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
        {room.sources.length > 0 && (
          <p>
            <span className="muted">{t('crisis.sources')}: </span>
            {room.sources.map((s) => (
              <a key={s.url} href={s.url} target="_blank" rel="noreferrer noopener" style={{ marginRight: 10 }}>
                {s.title}
              </a>
            ))}
          </p>
        )}
      </section>

      {activeCrisis && (
        <CrisisAdvocatesPanel crisisId={c.id} communityIds={c.community_ids} taskForce={c.playbook.task_force} />
      )}

      <section className="card" aria-labelledby="room-queue">
        <h3 className="card-title" id="room-queue">
          {t('crisis.queue', { n: fmt.number(room.queue.length) })}
        </h3>
        {activeCrisis && (
          <div className="card" style={{ background: 'transparent' }}>
            <label htmlFor="bulk-text">{t('crisis.bulkText')}</label>
            <textarea id="bulk-text" rows={3} value={text} readOnly placeholder={t('crisis.bulkPick')} />
            <div className="card-actions">
              <label>
                <input type="checkbox" checked={resolve} onChange={(e) => setResolve(e.target.checked)} />{' '}
                {t('crisis.bulkResolve')}
              </label>
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy || selected.size === 0 || !text.trim()}
                onClick={() => void bulk()}
              >
                {t('crisis.bulkSend', { n: fmt.number(selected.size) })}
              </button>
              <button
                type="button"
                className="btn btn-small btn-quiet"
                onClick={() => setSelected(new Set(room.queue.map((q) => q.id)))}
              >
                {t('crisis.selectAll')}
              </button>
            </div>
          </div>
        )}
        {room.queue.length === 0 ? (
          <p className="muted">{t('crisis.queueEmpty')}</p>
        ) : (
          <table className="crisis-queue" style={{ width: '100%', borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t('crisis.select')}</span>
                </th>
                <th scope="col">{t('crisis.col.urgency')}</th>
                <th scope="col">{t('crisis.col.case')}</th>
                <th scope="col">{t('crisis.col.message')}</th>
                <th scope="col">{t('crisis.col.assignee')}</th>
              </tr>
            </thead>
            <tbody>
              {room.queue.map((q) => (
                <tr key={q.id} data-case={q.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('crisis.selectCase', { id: q.id })}
                      checked={selected.has(q.id)}
                      disabled={!activeCrisis}
                      onChange={(e) => toggle(q.id, e.target.checked)}
                    />
                  </td>
                  <td>
                    <span className={`badge badge-urgency-${q.urgency}`}>{labelFor(t, 'urgency', q.urgency)}</span>
                  </td>
                  <td>
                    <Link href={`/cases/${q.id}`}>#{q.id}</Link>
                  </td>
                  <td>{(q.last_text ?? q.subject).slice(0, 160)}</td>
                  <td>{q.assignee ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: 14 }}>
        <section className="card" aria-labelledby="room-timeline">
          <h3 className="card-title" id="room-timeline">
            {t('crisis.timeline')}
          </h3>
          <ol className="crisis-timeline">
            {room.timeline.map((e) => (
              <li key={e.id} data-kind={e.kind}>
                {fmt.time(e.at)} — {labelFor(t, 'crisis.event', e.kind)}
                {e.person ? ` (${e.person})` : ''}
              </li>
            ))}
          </ol>
        </section>
        <section className="card" aria-labelledby="room-changes">
          <h3 className="card-title" id="room-changes">
            {t('crisis.changes')}
          </h3>
          <ul className="crisis-changes">
            {room.changes.map((ch) => (
              <li key={ch.id} data-reverted={ch.reverted_at ? 'yes' : 'no'}>
                {labelFor(t, 'crisis.change', ch.kind)}: {describe(ch.applied)} —{' '}
                {ch.reverted_at
                  ? ch.revert_note === 'recorded only'
                    ? t('crisis.ended')
                    : t('crisis.reverted')
                  : t('crisis.inForce')}
              </li>
            ))}
          </ul>
        </section>
      </div>

      {report && (
        <section className="card" aria-labelledby="room-report">
          <h3 className="card-title" id="room-report">
            {t('crisis.report')}
          </h3>
          <table className="crisis-report">
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col">{t('crisis.report.messages')}</th>
                <th scope="col">{t('crisis.report.negative')}</th>
                <th scope="col">{t('crisis.report.cases')}</th>
                <th scope="col">{t('crisis.report.median')}</th>
              </tr>
            </thead>
            <tbody>
              {(['before', 'during', 'after'] as const).map((w) => {
                const s = report.windows[w];
                return (
                  <tr key={w} data-window={w}>
                    <th scope="row">{t(`crisis.report.${w}`)}</th>
                    <td>{fmt.number(s.messages)}</td>
                    <td>{s.negative_share === null ? '—' : fmt.percent(s.negative_share)}</td>
                    <td>
                      {fmt.number(s.answered)}/{fmt.number(s.cases)}
                    </td>
                    <td>{s.median_first_response_s === null ? '—' : fmt.duration(s.median_first_response_s * 1000)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p>
            <span className="muted">{t('crisis.deflection')}: </span>
            {fmt.number(report.deflected)}
          </p>
          <p>
            <span className="muted">{t('crisis.topIssues')}: </span>
            {report.top_issues.map((x) => `${labelFor(t, 'topic', x.topic)} (${fmt.number(x.n)})`).join(', ') || '—'}
          </p>
        </section>
      )}
    </>
  );
}

function describe(applied: unknown): string {
  if (applied && typeof applied === 'object') {
    const a = applied as Record<string, unknown>;
    if (typeof a.name === 'string') return a.name;
    if (typeof a.title === 'string') return a.title;
    if (Array.isArray(a.rule_ids)) return a.rule_ids.join(', ');
    if (Array.isArray(applied)) return applied.join(', ');
    return Object.keys(a).join(', ');
  }
  return String(applied ?? '');
}

import { useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useSession } from '../../session.tsx';
import { type Advocate, type AskResult, advocatesApi } from './advocates-api.ts';
import './advocates.css';

const RESULT = {
  prepared: 'advocates.ask.prepared',
  queued: 'advocates.outcome.queued',
  awaiting_approval: 'advocates.outcome.awaiting_approval',
  task: 'advocates.outcome.task',
  failed: 'advocates.ask.failed',
} as const satisfies Record<AskResult['outcome'], MessageKey>;

/**
 * In the room of an active crisis: leaders and the task force pick top advocates of a crisis community and ask
 * them to share the official sources. "Prepare" shows the message and, per advocate, where it goes and what
 * governance says; "Send" hands each message to governance and the outbox (or records a task).
 */
export function CrisisAdvocatesPanel(props: { crisisId: number; communityIds: number[]; taskForce: string[] }) {
  const { t } = useI18n();
  const { me, isLeader } = useSession();
  const notify = useToast();
  const mine = me.communities.filter((c) => props.communityIds.includes(c.id));
  const [community, setCommunity] = useState<number | undefined>(mine[0]?.id);
  const [advocates, setAdvocates] = useState<Advocate[] | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [prepared, setPrepared] = useState<{ text: string; results: AskResult[] } | null>(null);
  const [text, setText] = useState('');
  const [acknowledge, setAcknowledge] = useState(false);
  const [sent, setSent] = useState<AskResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const allowed = isLeader || props.taskForce.some((e) => e.toLowerCase() === me.email.toLowerCase());

  useEffect(() => {
    if (community === undefined || !allowed) return;
    const ac = new AbortController();
    setAdvocates(null);
    setPrepared(null);
    setSent(null);
    advocatesApi.ranking({ community_id: community, limit: 10 }, ac.signal).then(
      (r) => {
        const list = r.communities[0]?.advocates ?? [];
        setAdvocates(list);
        setSelected(new Set(list.slice(0, 5).map((a) => a.contact_id)));
      },
      (err: unknown) => {
        if (!isAbort(err)) notify(errorMessage(t, err), 'error');
      },
    );
    return () => ac.abort();
  }, [community, allowed, notify, t]);

  if (!allowed || mine.length === 0) return null;
  const name = (id: number) => advocates?.find((a) => a.contact_id === id)?.name ?? `#${id}`;
  const warnings = prepared?.results.some((r) => (r.check?.warnings.length ?? 0) > 0) ?? false;

  const ask = async (dryRun: boolean) => {
    if (community === undefined) return;
    setBusy(true);
    try {
      const r = await advocatesApi.ask({
        crisis_id: props.crisisId,
        community_id: community,
        contact_ids: [...selected],
        ...(prepared && text.trim() !== prepared.text ? { text: text.trim() } : {}),
        dry_run: dryRun,
        ...(acknowledge ? { acknowledge_warnings: true } : {}),
      });
      if (dryRun) {
        setPrepared({ text: r.text, results: r.results });
        setText(r.text);
      } else {
        setSent(r.results);
        setPrepared(null);
        notify(t('advocates.ask.sent'));
      }
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="room-advocates" data-testid="crisis-advocates">
      <h3 className="card-title" id="room-advocates">
        {t('advocates.ask.title')}
      </h3>
      <p className="muted small">{t('advocates.ask.intro')}</p>
      {mine.length > 1 && (
        <label className="field">
          <span>{t('advocates.community')}</span>
          <select value={community} onChange={(e) => setCommunity(Number(e.target.value))}>
            {mine.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {advocates === null ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : advocates.length === 0 ? (
        <p className="muted">{t('advocates.none')}</p>
      ) : (
        <ul className="advocate-ask-list">
          {advocates.map((a) => (
            <li key={a.contact_id}>
              <label>
                <input
                  type="checkbox"
                  checked={selected.has(a.contact_id)}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if (e.target.checked) next.add(a.contact_id);
                    else next.delete(a.contact_id);
                    setSelected(next);
                    setPrepared(null);
                  }}
                />{' '}
                {a.rank}. {a.name} <span className="muted small">· {t('advocates.scoreOf', { n: a.score })}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="card-actions">
        <button
          type="button"
          className="btn"
          disabled={busy || selected.size === 0}
          onClick={() => void ask(true)}
          data-action="prepare-ask"
        >
          {t('advocates.ask.prepare')}
        </button>
      </div>
      {prepared && (
        <div data-testid="ask-prepared">
          <label className="field">
            <span>{t('advocates.ask.message')}</span>
            <textarea rows={4} value={text} maxLength={5000} onChange={(e) => setText(e.target.value)} />
          </label>
          <ul className="advocate-ask-list">
            {prepared.results.map((r) => (
              <li key={r.contact_id}>
                <strong>{name(r.contact_id)}</strong> — {t(RESULT[r.outcome])}
                {r.case_id !== null && (
                  <>
                    {' '}
                    · <Link href={`/cases/${r.case_id}`}>#{r.case_id}</Link> · {r.account}
                  </>
                )}
                {r.error && <span className="muted"> · {r.error}</span>}
                {r.check?.warnings.map((w) => (
                  <div key={w} className="muted small">
                    ⚠ {w}
                  </div>
                ))}
                {r.check && r.check.approval_required > 0 && (
                  <div className="muted small">{t('advocates.ask.needsApproval')}</div>
                )}
              </li>
            ))}
          </ul>
          {warnings && (
            <label className="inline-check small">
              <input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} />
              {t('advocates.ask.acknowledge')}
            </label>
          )}
          <div className="card-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || (warnings && !acknowledge)}
              onClick={() => void ask(false)}
              data-action="send-ask"
            >
              {t('advocates.ask.send', { n: prepared.results.length })}
            </button>
          </div>
        </div>
      )}
      {sent && (
        <ul className="advocate-ask-list" data-testid="ask-sent">
          {sent.map((r) => (
            <li key={r.contact_id}>
              <strong>{name(r.contact_id)}</strong> — {t(RESULT[r.outcome])}
              {r.error && <span className="muted"> · {r.error}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

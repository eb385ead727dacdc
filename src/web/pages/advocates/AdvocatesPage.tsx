import { useCallback, useEffect, useState } from 'react';
import { ApiError, isAbort } from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useSession } from '../../session.tsx';
import { type Advocate, advocatesApi, type CommunityRanking, type Ranking } from './advocates-api.ts';
import './advocates.css';

const PERIODS = [30, 90, 180, 365] as const;

const DONE = {
  highlighted: 'advocates.done.highlighted',
  unhighlighted: 'advocates.done.unhighlighted',
  excluded: 'advocates.done.excluded',
  included: 'advocates.done.included',
} as const satisfies Record<string, MessageKey>;

export const OUTCOME = {
  recorded: 'advocates.outcome.recorded',
  queued: 'advocates.outcome.queued',
  awaiting_approval: 'advocates.outcome.awaiting_approval',
  task: 'advocates.outcome.task',
} as const satisfies Record<string, MessageKey>;

/**
 * Advocates: per community, the customers who praise the brand or help other customers, ranked by a documented
 * score over a period; people who work the community thank and highlight them, leaders leave some out.
 */
export function AdvocatesPage() {
  const { t } = useI18n();
  return (
    <Page section="advocates" title={t('advocates.pageTitle')}>
      <AdvocatesBody />
    </Page>
  );
}

function AdvocatesBody() {
  const { t } = useI18n();
  const [community, setCommunity] = useState('');
  const [days, setDays] = useState(90);
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [choices, setChoices] = useState<{ id: number; name: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const ac = new AbortController();
    void reloads;
    advocatesApi.ranking({ community_id: community ? Number(community) : undefined, days }, ac.signal).then(
      (r) => {
        setRanking(r);
        setError(null);
        if (!community) setChoices(r.communities.map((c) => ({ id: c.id, name: c.name })));
      },
      (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      },
    );
    return () => ac.abort();
  }, [community, days, reloads, t]);

  return (
    <>
      <p className="muted">{t('advocates.intro')}</p>
      <div className="filters advocates-filters">
        <label>
          <span>{t('advocates.community')}</span>
          <select value={community} onChange={(e) => setCommunity(e.target.value)} name="advocates-community">
            <option value="">{t('advocates.allCommunities')}</option>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('advocates.period')}</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} name="advocates-days">
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                {t('advocates.days', { n: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {ranking && (
        <p className="muted small" data-testid="advocates-formula">
          {t('advocates.formula', { min: ranking.min_messages })}
        </p>
      )}
      {error ? (
        <p className="notice" role="alert">
          {error}
        </p>
      ) : ranking === null ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : ranking.communities.length === 0 ? (
        <p className="muted">{t('advocates.noCommunity')}</p>
      ) : (
        ranking.communities.map((c) => (
          <CommunityTable key={c.id} community={c} onChanged={() => setReloads((n) => n + 1)} />
        ))
      )}
    </>
  );
}

function CommunityTable(props: { community: CommunityRanking; onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { canWork, isLeader } = useSession();
  const notify = useToast();
  const { community: c, onChanged } = props;
  const [thanking, setThanking] = useState<Advocate | null>(null);
  const [busy, setBusy] = useState(false);

  const act = useCallback(
    async (contactId: number, kind: 'highlighted' | 'unhighlighted' | 'excluded' | 'included', note?: string) => {
      setBusy(true);
      try {
        await advocatesApi.act({ community_id: c.id, contact_id: contactId, kind, ...(note ? { note } : {}) });
        notify(t(DONE[kind]));
        onChanged();
      } catch (err) {
        notify(errorMessage(t, err), 'error');
      } finally {
        setBusy(false);
      }
    },
    [c.id, notify, onChanged, t],
  );

  const exclude = (a: Advocate) => {
    const reason = window.prompt(t('advocates.excludeReason', { name: a.name }));
    if (reason !== null) void act(a.contact_id, 'excluded', reason.trim());
  };

  return (
    <section className="card advocates-card" aria-labelledby={`adv-${c.id}`} data-community={c.id}>
      <h2 className="card-title" id={`adv-${c.id}`}>
        {c.name}
      </h2>
      {c.advocates.length === 0 ? (
        <p className="muted">{t('advocates.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table advocates-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('advocates.col.customer')}</th>
                <th scope="col" className="num">
                  {t('advocates.col.positive')}
                </th>
                <th scope="col" className="num">
                  {t('advocates.col.helping')}
                </th>
                <th scope="col" className="num">
                  {t('advocates.col.negative')}
                </th>
                <th scope="col" className="num">
                  {t('advocates.col.days')}
                </th>
                <th scope="col" className="num">
                  {t('advocates.col.score')}
                </th>
                <th scope="col">{t('advocates.col.lastMessage')}</th>
                <th scope="col">{t('advocates.col.thanked')}</th>
                {canWork && <th scope="col">{t('advocates.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {c.advocates.map((a) => (
                <tr key={a.contact_id} data-contact={a.contact_id}>
                  <td>{a.rank}</td>
                  <th scope="row">
                    <span className="advocate-name">{a.name}</span>
                    {a.highlighted && (
                      <span
                        className="badge badge-advocate"
                        title={t('advocates.highlightedBy', { name: a.highlighted.by ?? '—' })}
                      >
                        {t('advocates.highlighted')}
                      </span>
                    )}
                    <div className="muted small">{a.handles.map((h) => h.handle).join(' · ')}</div>
                  </th>
                  <td className="num">{fmt.number(a.signals.positive)}</td>
                  <td className="num">{fmt.number(a.signals.helping)}</td>
                  <td className="num">{fmt.number(a.signals.negative)}</td>
                  <td className="num">{fmt.number(a.signals.active_days)}</td>
                  <td className="num">
                    <strong data-testid="advocate-score">{fmt.number(a.score)}</strong>
                  </td>
                  <td>{fmt.dateTime(a.last_message_at)}</td>
                  <td data-testid="advocate-thanked">
                    {a.last_thanked
                      ? t('advocates.thankedBy', {
                          when: fmt.dateTime(a.last_thanked.at),
                          name: a.last_thanked.by ?? '—',
                        })
                      : '—'}
                  </td>
                  {canWork && (
                    <td>
                      <div className="advocate-actions">
                        <button type="button" className="btn btn-small" disabled={busy} onClick={() => setThanking(a)}>
                          {t('advocates.thank')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-small btn-quiet"
                          disabled={busy}
                          onClick={() => void act(a.contact_id, a.highlighted ? 'unhighlighted' : 'highlighted')}
                        >
                          {a.highlighted ? t('advocates.unhighlight') : t('advocates.highlight')}
                        </button>
                        {isLeader && (
                          <button
                            type="button"
                            className="btn btn-small btn-quiet"
                            disabled={busy}
                            onClick={() => exclude(a)}
                          >
                            {t('advocates.exclude')}
                          </button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {c.excluded.length > 0 && (
        <details className="advocates-excluded">
          <summary>{t('advocates.excludedTitle', { n: c.excluded.length })}</summary>
          <ul>
            {c.excluded.map((x) => (
              <li key={x.contact_id}>
                {x.name} — {t('advocates.excludedBy', { name: x.by ?? '—', when: fmt.dateTime(x.excluded_at) })}
                {x.reason ? ` · ${x.reason}` : ''}{' '}
                {isLeader && (
                  <button
                    type="button"
                    className="btn btn-small btn-quiet"
                    disabled={busy}
                    onClick={() => void act(x.contact_id, 'included')}
                  >
                    {t('advocates.include')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
      <ThankDialog
        communityId={c.id}
        advocate={thanking}
        onClose={() => setThanking(null)}
        onDone={() => {
          setThanking(null);
          onChanged();
        }}
      />
    </section>
  );
}

/**
 * Thank an advocate: a note kept with the action, and optionally a reply in their latest case (governance). The
 * dialog stays mounted and opens with an advocate (a dialog mounted open would be closed by React's effect replay).
 */
function ThankDialog(props: { communityId: number; advocate: Advocate | null; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const notify = useToast();
  const [note, setNote] = useState('');
  const [reply, setReply] = useState('');
  const [warning, setWarning] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { advocate } = props;
  useEffect(() => {
    void advocate;
    setNote('');
    setReply('');
    setWarning(null);
  }, [advocate]);
  const send = async () => {
    if (!advocate) return;
    setBusy(true);
    try {
      const r = await advocatesApi.act({
        community_id: props.communityId,
        contact_id: advocate.contact_id,
        kind: 'thanked',
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(reply.trim() ? { reply_text: reply.trim() } : {}),
        ...(warning ? { acknowledge_warnings: true } : {}),
      });
      notify(t(OUTCOME[r.action.outcome]));
      props.onDone();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'guideline_warning') setWarning(err.message);
      else notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={advocate !== null}
      onClose={props.onClose}
      title={t('advocates.thankTitle', { name: advocate?.name ?? '' })}
      testId="thank-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send()}>
            {warning ? t('advocates.sendAnyway') : t('advocates.recordThanks')}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{t('advocates.note')}</span>
        <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} name="thank-note" />
      </label>
      <label className="field">
        <span>{t('advocates.replyText')}</span>
        <textarea
          rows={4}
          value={reply}
          maxLength={5000}
          onChange={(e) => {
            setReply(e.target.value);
            setWarning(null);
          }}
          name="thank-reply"
        />
      </label>
      <p className="muted small">{t('advocates.replyHelp')}</p>
      {warning && (
        <p className="notice" role="alert">
          {warning}
        </p>
      )}
    </Dialog>
  );
}

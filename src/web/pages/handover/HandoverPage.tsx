import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import { navigate } from '../../lib/router.ts';
import { useSession } from '../../session.tsx';
import { HANDOVER_CHANGED } from './HandoverBadge.tsx';
import { type Brief, type BriefSummary, handoverApi, type ItemEdit } from './handover-api.ts';
import './handover.css';

/** Roles that work cases, and so may generate a brief (the server decides; this only hides the button). */
const WRITERS = new Set(['leader', 'manager', 'backup', 'approver']);

/**
 * Handover briefs: the list per community (those waiting for my acknowledgement marked), and one brief with its
 * sections (cases by SLA risk, consults, promises, incidents, counts), the outgoing shift's note and item edits
 * while it is a draft, publication, and the next shift's acknowledgement.
 */
export function HandoverPage(props: { id?: number | undefined }) {
  const { t } = useI18n();
  return (
    <Page section="handover" title={t('handover.pageTitle')}>
      {props.id === undefined ? <BriefList /> : <BriefView key={props.id} id={props.id} />}
    </Page>
  );
}

function BriefList() {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const [community, setCommunity] = useState<number | undefined>(undefined);
  const [data, setData] = useState<{ items: BriefSummary[]; awaiting: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = community ?? me.communities[0]?.id;

  useEffect(() => {
    const ac = new AbortController();
    handoverApi.list({ community_id: community }, ac.signal).then(setData, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [community, t]);

  const generate = async () => {
    if (target === undefined) return;
    setBusy(true);
    try {
      const b = await handoverApi.generate(target);
      toast(t('handover.generated'));
      navigate(`/handover/${b.id}`);
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="handover-tools">
        <label className="field-inline">
          <span>{t('handover.community')}</span>
          <select
            value={community ?? ''}
            onChange={(e) => setCommunity(e.target.value ? Number(e.target.value) : undefined)}
            data-control="handover-community"
          >
            <option value="">{t('handover.allCommunities')}</option>
            {me.communities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {WRITERS.has(me.role) && target !== undefined && (
          <button type="button" className="btn btn-primary" onClick={() => void generate()} disabled={busy}>
            {community === undefined
              ? t('handover.generateFor', { community: me.communities[0]?.name ?? '' })
              : t('handover.generate')}
          </button>
        )}
      </div>
      {error ? (
        <p className="notice" role="alert">
          {error}
        </p>
      ) : !data ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : data.items.length === 0 ? (
        <p className="muted">{t('handover.none')}</p>
      ) : (
        <table className="data-table handover-list">
          <thead>
            <tr>
              <th scope="col">{t('handover.community')}</th>
              <th scope="col">{t('handover.periodCol')}</th>
              <th scope="col">{t('handover.statusCol')}</th>
              <th scope="col">{t('handover.count.open')}</th>
              <th scope="col">{t('handover.count.breached')}</th>
              <th scope="col">{t('handover.count.at_risk')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((b) => (
              <tr key={b.id} data-brief-id={b.id} className={b.awaiting_me ? 'handover-awaiting' : undefined}>
                <td>{b.community.name}</td>
                <td>
                  <Link href={`/handover/${b.id}`}>
                    {t('handover.period', { from: fmt.dateTime(b.period_from), to: fmt.dateTime(b.period_to) })}
                  </Link>
                </td>
                <td>
                  <span className={`handover-status handover-status-${b.status}`}>
                    {t(`handover.status.${b.status}` as MessageKey)}
                  </span>
                  {b.awaiting_me && <span className="handover-mark"> · {t('handover.awaitingMe')}</span>}
                </td>
                <td>{fmt.number(b.counts.open)}</td>
                <td>{fmt.number(b.counts.breached)}</td>
                <td>{fmt.number(b.counts.at_risk)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type Edits = Record<string, { hidden: boolean; comment: string }>;

function editsOf(b: Brief): Edits {
  const out: Edits = {};
  for (const item of [...b.sections.cases, ...b.sections.consults, ...b.sections.promises, ...b.sections.incidents])
    out[item.key] = { hidden: item.hidden, comment: item.comment ?? '' };
  return out;
}

function BriefView(props: { id: number }) {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const [brief, setBrief] = useState<Brief | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [edits, setEdits] = useState<Edits>({});
  const [busy, setBusy] = useState(false);

  const adopt = useCallback((b: Brief) => {
    setBrief(b);
    setNote(b.note);
    setEdits(editsOf(b));
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    handoverApi.get(props.id, ac.signal).then(adopt, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [props.id, adopt, t]);

  const act = async (what: () => Promise<Brief>, done: MessageKey) => {
    setBusy(true);
    try {
      adopt(await what());
      window.dispatchEvent(new Event(HANDOVER_CHANGED));
      toast(t(done));
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <p className="notice" role="alert">
        {error}
      </p>
    );
  if (!brief) return <p className="placeholder">{t('common.loading')}</p>;

  const items = (): Record<string, ItemEdit> => {
    const out: Record<string, ItemEdit> = {};
    for (const [key, e] of Object.entries(edits)) {
      const comment = e.comment.trim();
      out[key] =
        e.hidden || comment ? { ...(e.hidden ? { hidden: true } : {}), ...(comment ? { comment } : {}) } : null;
    }
    return out;
  };
  const save = () => handoverApi.edit(brief.id, { note, items: items() });
  const editable = brief.can.edit;
  const names = (list: { name: string }[]) => (list.length ? fmt.list(list.map((p) => p.name)) : t('handover.nobody'));

  /** Hide and comment controls of one item, while the draft is editable; else its comment, if any. */
  const itemTools = (itemKey: string) => {
    const e = edits[itemKey] ?? { hidden: false, comment: '' };
    if (!editable) return e.comment ? <p className="handover-comment">{e.comment}</p> : null;
    return (
      <div className="handover-item-tools">
        <label className="inline-check">
          <input
            type="checkbox"
            checked={e.hidden}
            onChange={(ev) => setEdits({ ...edits, [itemKey]: { ...e, hidden: ev.target.checked } })}
          />
          {t('handover.hide')}
        </label>
        <input
          type="text"
          className="handover-comment-input"
          aria-label={t('handover.comment')}
          placeholder={t('handover.comment')}
          value={e.comment}
          maxLength={2000}
          onChange={(ev) => setEdits({ ...edits, [itemKey]: { ...e, comment: ev.target.value } })}
        />
      </div>
    );
  };
  const cls = (key: string) => `handover-item${edits[key]?.hidden ? ' handover-hidden' : ''}`;
  const risk = (m: number | null) => fmt.duration(Math.abs(m ?? 0) * 60_000);

  return (
    <article className="handover-brief" data-testid="handover-brief" data-status={brief.status}>
      <p>
        <Link href="/handover">{t('handover.back')}</Link>
      </p>
      <header className="handover-head">
        <h2>
          {brief.community.name} ·{' '}
          {t('handover.period', { from: fmt.dateTime(brief.period_from), to: fmt.dateTime(brief.period_to) })}
        </h2>
        <p>
          <span className={`handover-status handover-status-${brief.status}`} data-testid="handover-status">
            {t(`handover.status.${brief.status}` as MessageKey)}
          </span>{' '}
          <span className="muted small">
            {t(`handover.trigger.${brief.trigger}` as MessageKey)} ·{' '}
            {t('handover.generatedAt', { time: fmt.dateTime(brief.generated_at) })}
          </span>
        </p>
        <p className="small">
          {t('handover.outgoing', { names: names(brief.outgoing) })} ·{' '}
          {t('handover.incoming', { names: names(brief.incoming) })}
        </p>
        {brief.published_at && (
          <p className="small muted">
            {brief.published_by
              ? t('handover.publishedBy', { name: brief.published_by.name, time: fmt.dateTime(brief.published_at) })
              : t('handover.publishedAuto', { time: fmt.dateTime(brief.published_at) })}
          </p>
        )}
      </header>

      <section className="handover-section" aria-labelledby="handover-note-title">
        <h3 id="handover-note-title">{t('handover.note')}</h3>
        {editable ? (
          <>
            <textarea
              className="handover-note-input"
              aria-label={t('handover.note')}
              value={note}
              maxLength={20_000}
              rows={4}
              onChange={(e) => setNote(e.target.value)}
            />
            <p className="muted small">{t('handover.noteHint')}</p>
          </>
        ) : brief.note ? (
          <p className="handover-note" data-testid="handover-note">
            {brief.note}
          </p>
        ) : (
          <p className="muted">{t('handover.noNote')}</p>
        )}
      </section>

      <section className="handover-section" aria-labelledby="handover-cases-title" data-section="cases">
        <h3 id="handover-cases-title">{t('handover.cases')}</h3>
        {brief.sections.cases.length === 0 ? (
          <p className="muted">{t('handover.empty')}</p>
        ) : (
          <ul className="handover-items">
            {brief.sections.cases.map((c) => (
              <li key={c.key} className={cls(c.key)} data-item={c.key}>
                <span className={`handover-risk handover-risk-${c.risk}`}>
                  {c.risk === 'none'
                    ? t('handover.risk.none')
                    : t(`handover.risk.${c.risk}` as MessageKey, { d: risk(c.minutes_left) })}
                </span>{' '}
                <Link href={`/cases/${c.case_id}`}>{t('handover.caseLink', { id: c.case_id })}</Link>{' '}
                <span className="handover-subject">{c.subject}</span>{' '}
                <span className="muted small">{c.assignee ? c.assignee.name : t('handover.unassigned')}</span>
                {itemTools(c.key)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="handover-section" aria-labelledby="handover-consults-title" data-section="consults">
        <h3 id="handover-consults-title">{t('handover.consults')}</h3>
        {brief.sections.consults.length === 0 ? (
          <p className="muted">{t('handover.empty')}</p>
        ) : (
          <ul className="handover-items">
            {brief.sections.consults.map((k) => (
              <li key={k.key} className={cls(k.key)} data-item={k.key}>
                {k.overdue && <span className="handover-risk handover-risk-breached">{t('handover.overdue')}</span>}{' '}
                <Link href={`/cases/${k.case_id}`}>{t('handover.caseLink', { id: k.case_id })}</Link>{' '}
                {t('handover.consultLine', { id: k.consult_id, expert: k.expert, time: fmt.dateTime(k.due_at) })}
                <q className="handover-quote">{k.question}</q>
                {itemTools(k.key)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="handover-section" aria-labelledby="handover-promises-title" data-section="promises">
        <h3 id="handover-promises-title">{t('handover.promises')}</h3>
        {brief.sections.promises.length === 0 ? (
          <p className="muted">{t('handover.empty')}</p>
        ) : (
          <ul className="handover-items">
            {brief.sections.promises.map((p) => (
              <li key={p.key} className={cls(p.key)} data-item={p.key}>
                {p.overdue && <span className="handover-risk handover-risk-breached">{t('handover.overdue')}</span>}{' '}
                <span className="chip">{t(`handover.kind.${p.kind}` as MessageKey)}</span>{' '}
                <Link href={`/cases/${p.case_id}`}>{t('handover.caseLink', { id: p.case_id })}</Link>{' '}
                <span className="muted small">
                  {p.author ? `${p.author}, ` : ''}
                  {fmt.dateTime(p.sent_at)}
                </span>
                <q className="handover-quote">{p.sentence}</q>
                {p.deadline && (
                  <span className="small">
                    {p.due_at
                      ? t('handover.deadlineDue', { words: p.deadline, time: fmt.dateTime(p.due_at) })
                      : t('handover.deadline', { words: p.deadline })}
                  </span>
                )}
                {itemTools(p.key)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="handover-section" aria-labelledby="handover-incidents-title" data-section="incidents">
        <h3 id="handover-incidents-title">{t('handover.incidents')}</h3>
        {brief.sections.incidents.length === 0 ? (
          <p className="muted">{t('handover.empty')}</p>
        ) : (
          <ul className="handover-items">
            {brief.sections.incidents.map((i) => (
              <li key={i.key} className={cls(i.key)} data-item={i.key}>
                {i.kind === 'crisis'
                  ? t(i.status === 'active' ? 'handover.crisis' : 'handover.crisisEnded', {
                      title: i.title,
                      time: fmt.dateTime(i.since),
                    })
                  : i.kind === 'incident'
                    ? t('handover.incident', {
                        title: i.title,
                        status: t(`handover.incidentStatus.${i.status}` as MessageKey),
                        n: i.cases ?? 0,
                      })
                    : t('handover.alert', { kind: i.title, time: fmt.dateTime(i.since) })}
                {itemTools(i.key)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="handover-section" aria-labelledby="handover-counts-title">
        <h3 id="handover-counts-title">{t('handover.counts')}</h3>
        <dl className="facts">
          {(
            [
              'received',
              'answered',
              'new_cases',
              'resolved',
              'open',
              'breached',
              'at_risk',
              'consults_waiting',
            ] as const
          ).map((k) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{t(`handover.count.${k}` as MessageKey)}</dt>
              <dd data-count={k}>{fmt.number(brief.counts[k])}</dd>
            </div>
          ))}
        </dl>
      </section>

      <footer className="handover-actions">
        {editable && (
          <>
            <button type="button" className="btn" disabled={busy} onClick={() => void act(save, 'handover.saved')}>
              {t('handover.save')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await save();
                  return handoverApi.publish(brief.id);
                }, 'handover.publishedToast')
              }
            >
              {t('handover.publish')}
            </button>
          </>
        )}
        {brief.can.generate && brief.status === 'draft' && (
          <button
            type="button"
            className="btn btn-quiet"
            disabled={busy}
            onClick={() => void act(() => handoverApi.generate(brief.community.id), 'handover.generated')}
          >
            {t('handover.refresh')}
          </button>
        )}
        {brief.can.acknowledge && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => void act(() => handoverApi.acknowledge(brief.id), 'handover.acknowledgedToast')}
          >
            {t('handover.acknowledge')}
          </button>
        )}
        {brief.status !== 'draft' && (
          <p className="small" data-testid="handover-acks">
            {brief.acknowledgements.length > 0
              ? t('handover.acknowledgedBy', {
                  names: fmt.list(brief.acknowledgements.map((a) => `${a.person.name} (${fmt.dateTime(a.at)})`)),
                })
              : t('handover.notAcknowledged')}
          </p>
        )}
      </footer>
    </article>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { itemHref, statusKey } from '../case/FeedbackPanel.tsx';
import {
  type CaseRef,
  type FeedbackItem,
  type FeedbackKind,
  feedbackApi,
  IDEA_STATUSES,
  INCIDENT_STATUSES,
  type SimilarCase,
} from './feedback-api.ts';

const statusesOf = (k: FeedbackKind): readonly string[] => (k === 'idea' ? IDEA_STATUSES : INCIDENT_STATUSES);

/**
 * The backlog of ideas (innovation) and incidents (quality): counts over the whole organization, a status with a
 * note for customers that flows back to every linked case, and for an incident the similar cases to attach.
 */
export function BacklogPage(props: { kind: FeedbackKind; id: number | undefined }) {
  const { t } = useI18n();
  return (
    <Page section="backlog" title={t('backlog.pageTitle')}>
      <BacklogBody kind={props.kind} id={props.id} />
    </Page>
  );
}

/** The tabs and the list or item, in the app's frame or in the frame of people without an inbox. */
export function BacklogBody(props: { kind: FeedbackKind; id: number | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <nav className="segmented backlog-tabs" aria-label={t('backlog.pageTitle')}>
        <Link href="/backlog/ideas" className={props.kind === 'idea' ? 'is-on' : ''} data-tab="ideas">
          {t('backlog.ideas')}
        </Link>
        <Link href="/backlog/incidents" className={props.kind === 'incident' ? 'is-on' : ''} data-tab="incidents">
          {t('backlog.incidents')}
        </Link>
      </nav>
      {props.id === undefined ? (
        <BacklogList key={props.kind} kind={props.kind} />
      ) : (
        <ItemView key={`${props.kind}-${props.id}`} kind={props.kind} id={props.id} />
      )}
    </>
  );
}

function BacklogList(props: { kind: FeedbackKind }) {
  const { t, fmt } = useI18n();
  const { kind } = props;
  const [status, setStatus] = useState('');
  const [items, setItems] = useState<FeedbackItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    setItems(null);
    feedbackApi.list(kind, status || undefined, ac.signal).then(
      (r) => setItems(r.items),
      (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      },
    );
    return () => ac.abort();
  }, [kind, status, t]);
  return (
    <section>
      <label className="backlog-filter">
        <span>{t('label.status')}</span>{' '}
        <select value={status} onChange={(e) => setStatus(e.target.value)} name="backlog-status">
          <option value="">{t('backlog.allStatuses')}</option>
          {statusesOf(kind).map((s) => (
            <option key={s} value={s}>
              {t(statusKey(kind, s))}
            </option>
          ))}
        </select>
      </label>
      {error ? (
        <p className="notice" role="alert">
          {error}
        </p>
      ) : items === null ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t(kind === 'idea' ? 'backlog.noIdeas' : 'backlog.noIncidents')}</p>
      ) : (
        <table className="data-table backlog-table">
          <thead>
            <tr>
              <th scope="col">{t('backlog.titleCol')}</th>
              <th scope="col">{t(kind === 'idea' ? 'backlog.votesCol' : 'backlog.casesCol')}</th>
              <th scope="col">{t('label.status')}</th>
              <th scope="col">{t('backlog.noteCol')}</th>
              <th scope="col">{t('backlog.createdCol')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-item-id={i.id}>
                <th scope="row">
                  <Link href={itemHref(i)}>{i.title}</Link>
                  {i.topic && <span className="muted small"> · {labelFor(t, 'topic', i.topic)}</span>}
                </th>
                <td data-testid="backlog-count">{kind === 'idea' ? (i.votes ?? 0) : i.cases}</td>
                <td>
                  <span className={`pill pill-fb-${i.status}`}>{t(statusKey(kind, i.status))}</span>
                </td>
                <td>{i.status_note}</td>
                <td>{fmt.dateTime(i.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Detail = FeedbackItem & { linked_cases: CaseRef[]; hidden_cases: number };

function ItemView(props: { kind: FeedbackKind; id: number }) {
  const { t, tn, fmt } = useI18n();
  const { me, isLeader, canWork } = useSession();
  const { kind, id } = props;
  const [item, setItem] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    (signal?: AbortSignal) =>
      feedbackApi.detail(kind, id, signal).then(setItem, (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }),
    [kind, id, t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);
  if (error)
    return (
      <p className="notice" role="alert">
        {error}
      </p>
    );
  if (!item) return <p className="placeholder">{t('common.loading')}</p>;
  const canDecide = isLeader || (item.owner_team_id !== null && me.teams.some((x) => x.id === item.owner_team_id));
  return (
    <article className="backlog-item" data-item-id={item.id}>
      <p>
        <Link href={kind === 'idea' ? '/backlog/ideas' : '/backlog/incidents'}>{t('backlog.back')}</Link>
      </p>
      <h2>{item.title}</h2>
      {item.description && <p className="backlog-description">{item.description}</p>}
      <p className="small">
        <span className={`pill pill-fb-${item.status}`} data-testid="item-status" data-status={item.status}>
          {t(statusKey(kind, item.status))}
        </span>{' '}
        <strong data-testid="item-count">
          {kind === 'idea' ? tn('feedback.votes', item.votes ?? 0) : tn('feedback.cases', item.cases)}
        </strong>
        {kind === 'idea' && <span className="muted"> · {tn('feedback.cases', item.cases)}</span>}
        {item.topic && <span className="muted"> · {labelFor(t, 'topic', item.topic)}</span>}
      </p>
      {item.status_note && <p className="feedback-note">{item.status_note}</p>}
      {canDecide && <StatusEditor item={item} onSaved={() => void load()} />}
      <h3>{t('backlog.linkedCases')}</h3>
      {item.linked_cases.length === 0 ? (
        <p className="muted small">{t('backlog.noLinkedCases')}</p>
      ) : (
        <ul className="backlog-cases">
          {item.linked_cases.map((c) => (
            <li key={c.id} data-case-id={c.id}>
              <Link href={`/cases/${c.id}`}>#{c.id}</Link> {c.subject}{' '}
              <span className="muted small">
                {labelFor(t, 'status', c.status)} · {fmt.dateTime(c.created_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {item.hidden_cases > 0 && (
        <p className="muted small" data-testid="hidden-cases" data-count={item.hidden_cases}>
          {t('backlog.hiddenCases', { n: item.hidden_cases })}
        </p>
      )}
      {canWork && <SimilarCases kind={kind} id={item.id} onLinked={() => void load()} />}
    </article>
  );
}

function StatusEditor(props: { item: Detail; onSaved(): void }) {
  const { t } = useI18n();
  const notify = useToast();
  const { item } = props;
  const [status, setStatus] = useState(item.status);
  const [note, setNote] = useState(item.status_note);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="mini-form status-editor"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const r = await feedbackApi.setStatus(item.kind, item.id, { status, note: note.trim() });
          notify(t('backlog.statusSaved', { n: r.cases_told }));
          props.onSaved();
        } catch (err) {
          setError(errorMessage(t, err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        <span>{t('label.status')}</span>
        <select name="item-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {statusesOf(item.kind).map((s) => (
            <option key={s} value={s}>
              {t(statusKey(item.kind, s))}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('backlog.note')}</span>
        <input
          type="text"
          name="item-note"
          value={note}
          maxLength={500}
          placeholder={t(item.kind === 'idea' ? 'backlog.notePlaceholderIdea' : 'backlog.notePlaceholderIncident')}
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <span className="mini-form-buttons">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-action="save-status">
          {t('backlog.saveStatus')}
        </button>
      </span>
    </form>
  );
}

/** "Passeur suggests merging the similar ones": recent cases that look like the item, to attach in one go. */
function SimilarCases(props: { kind: FeedbackKind; id: number; onLinked(): void }) {
  const { t } = useI18n();
  const notify = useToast();
  const [items, setItems] = useState<SimilarCase[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const load = useCallback(
    (signal?: AbortSignal) =>
      feedbackApi.similarCases(props.kind, props.id, signal).then(
        (r) => {
          setItems(r.items);
          setChosen(new Set(r.items.map((c) => c.id)));
        },
        (err: unknown) => {
          if (!isAbort(err)) setItems([]);
        },
      ),
    [props.kind, props.id],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);
  if (items === null || items.length === 0) return null;
  return (
    <section className="backlog-similar" data-testid="similar-cases">
      <h3>{t('backlog.similarCases', { n: items.length })}</h3>
      <ul>
        {items.map((c) => (
          <li key={c.id}>
            <label>
              <input
                type="checkbox"
                checked={chosen.has(c.id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(c.id);
                  else next.delete(c.id);
                  setChosen(next);
                }}
              />{' '}
              #{c.id} {c.subject}{' '}
              <span className="muted small">{t('backlog.sharedTerms', { terms: c.shared.join(', ') })}</span>
            </label>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="btn btn-small btn-primary"
        disabled={busy || chosen.size === 0}
        data-action="link-similar"
        onClick={async () => {
          setBusy(true);
          try {
            const r = await feedbackApi.linkCases(props.kind, props.id, [...chosen]);
            notify(t('backlog.casesLinked', { n: r.results.filter((x) => x.outcome === 'linked').length }));
            props.onLinked();
            await load();
          } catch (err) {
            notify(errorMessage(t, err), 'error');
          } finally {
            setBusy(false);
          }
        }}
      >
        {t('backlog.linkSelected', { n: chosen.size })}
      </button>
    </section>
  );
}

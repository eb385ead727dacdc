import { useCallback, useEffect, useState } from 'react';
import { type CaseDetail, isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { type FeedbackItem, type FeedbackKind, feedbackApi, type SimilarItem } from '../backlog/feedback-api.ts';

export function statusKey(kind: FeedbackKind, status: string): MessageKey {
  return `feedback.${kind}.status.${status}` as MessageKey;
}

export function itemHref(i: { kind: FeedbackKind; id: number }): string {
  return `/backlog/${i.kind === 'idea' ? 'ideas' : 'incidents'}/${i.id}`;
}

/**
 * The ideas and incidents this case is linked to, with their status and the note to tell the customer; people who
 * work the case forward it as an idea or report it as an incident, onto a similar existing one or a new one.
 */
export function FeedbackPanel(props: { c: CaseDetail; version: string; onChanged(): void }) {
  const { t, tn } = useI18n();
  const { canWork } = useSession();
  const [items, setItems] = useState<FeedbackItem[] | null>(null);
  const [forwarding, setForwarding] = useState<FeedbackKind | null>(null);
  const caseId = props.c.id;

  const load = useCallback(
    (signal?: AbortSignal) =>
      feedbackApi.caseFeedback(caseId, signal).then(
        (r) => setItems([...r.incidents, ...r.ideas]),
        (err: unknown) => {
          if (!isAbort(err)) setItems([]);
        },
      ),
    [caseId],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the case changes (a status flowed back).
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load, props.version]);

  return (
    <section className="panel" aria-labelledby="feedback-title" data-testid="feedback-panel">
      <h2 id="feedback-title" className="panel-title">
        {t('feedback.title')}
      </h2>
      {items === null ? (
        <p className="muted small">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted small">{t('feedback.none')}</p>
      ) : (
        <ul className="feedback-list">
          {items.map((i) => (
            <li key={`${i.kind}-${i.id}`} className="feedback-item" data-feedback={`${i.kind}-${i.id}`}>
              <span className="feedback-head">
                <span className={`pill pill-feedback-${i.kind}`}>{t(`feedback.kind.${i.kind}`)}</span>{' '}
                <Link href={itemHref(i)}>{i.title}</Link>
              </span>
              <span className="feedback-status">
                <span className={`pill pill-fb-${i.status}`} data-testid="feedback-status">
                  {t(statusKey(i.kind, i.status))}
                </span>
                {i.kind === 'idea' ? (
                  <span className="muted small"> {tn('feedback.votes', i.votes ?? 0)}</span>
                ) : (
                  <span className="muted small"> {tn('feedback.cases', i.cases)}</span>
                )}
              </span>
              {i.status_note && (
                <p className="small feedback-note" data-testid="feedback-note">
                  {i.status_note}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {canWork &&
        !props.c.merged_into &&
        (forwarding ? (
          <ForwardForm
            c={props.c}
            kind={forwarding}
            onDone={() => {
              setForwarding(null);
              void load();
              props.onChanged();
            }}
            onCancel={() => setForwarding(null)}
          />
        ) : (
          <span className="mini-form-buttons">
            <button
              type="button"
              className="btn btn-small"
              data-action="forward-idea"
              onClick={() => setForwarding('idea')}
            >
              {t('feedback.forwardIdea')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              data-action="report-incident"
              onClick={() => setForwarding('incident')}
            >
              {t('feedback.reportIncident')}
            </button>
          </span>
        ))}
    </section>
  );
}

function ForwardForm(props: { c: CaseDetail; kind: FeedbackKind; onDone(): void; onCancel(): void }) {
  const { t, tn } = useI18n();
  const notify = useToast();
  const { kind } = props;
  const [similar, setSimilar] = useState<SimilarItem[] | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ac = new AbortController();
    feedbackApi.similar(props.c.id, kind, ac.signal).then(
      (r) => setSimilar(r.items),
      (err: unknown) => {
        if (!isAbort(err)) setSimilar([]);
      },
    );
    return () => ac.abort();
  }, [props.c.id, kind]);

  const submit = async (body: { id: number } | { title: string; description?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await feedbackApi.forward(props.c.id, kind, body);
      notify(t(kind === 'idea' ? 'feedback.forwarded' : 'feedback.reported', { title: r.title }));
      props.onDone();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mini-form" data-testid="forward-form">
      <p className="small">
        <strong>{t(kind === 'idea' ? 'feedback.similarIdeas' : 'feedback.similarIncidents')}</strong>
      </p>
      {similar === null ? (
        <p className="muted small">{t('common.loading')}</p>
      ) : similar.length === 0 ? (
        <p className="muted small">{t('feedback.noSimilar')}</p>
      ) : (
        <ul className="feedback-similar">
          {similar.map((s) => (
            <li key={s.id} className="feedback-item" data-similar-id={s.id}>
              <span>
                {s.title}{' '}
                <span className="muted small">
                  {kind === 'idea' ? tn('feedback.votes', s.votes ?? 0) : tn('feedback.cases', s.cases)}
                  {' · '}
                  {t(statusKey(kind, s.status))}
                </span>
              </span>
              {s.linked ? (
                <span className="muted small">{t('feedback.alreadyLinked')}</span>
              ) : (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy}
                  data-action="add-to-similar"
                  onClick={() => void submit({ id: s.id })}
                >
                  {t(kind === 'idea' ? 'feedback.addVote' : 'feedback.addToIncident')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (title.trim().length < 3) {
            setError(t('feedback.titleRequired'));
            return;
          }
          void submit({ title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
        }}
      >
        <label>
          <span>{t(kind === 'idea' ? 'feedback.newIdeaTitle' : 'feedback.newIncidentTitle')}</span>
          <input
            type="text"
            name="feedback-title"
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <label>
          <span>{t('feedback.description')}</span>
          <textarea value={description} maxLength={4000} rows={3} onChange={(e) => setDescription(e.target.value)} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <span className="mini-form-buttons">
          <button type="button" className="btn btn-small" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-action="create-feedback">
            {t(kind === 'idea' ? 'feedback.createIdea' : 'feedback.createIncident')}
          </button>
        </span>
      </form>
    </div>
  );
}

import { useCallback, useEffect, useId, useState } from 'react';
import { api, type CaseDetail, isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { useNow } from '../../lib/now.ts';
import { useSession } from '../../session.tsx';
import type { Consult, Expertise } from '../consults/model.ts';

/** Due times offered when asking, in minutes. */
const DUE_CHOICES = [30, 60, 120, 240, 1440] as const;

/**
 * The case's consults ("déranger quelqu'un"): who was asked what, by when, and their answers (which also land in
 * the thread as private notes); people who work the case ask a new one from the expertise directory.
 */
export function ConsultsPanel(props: { c: CaseDetail; version: string; onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { canWork } = useSession();
  const now = useNow(60_000);
  const [items, setItems] = useState<Consult[] | null>(null);
  const [asking, setAsking] = useState(false);
  const caseId = props.c.id;

  const load = useCallback(
    (signal?: AbortSignal) =>
      api.caseConsults(caseId, signal).then(
        (r) => setItems(r.items),
        (err: unknown) => {
          if (!isAbort(err)) setItems([]);
        },
      ),
    [caseId],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the case changes (answer, status).
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load, props.version]);

  return (
    <section className="panel" aria-labelledby="consults-title" data-testid="consults-panel">
      <h2 id="consults-title" className="panel-title">
        {t('consults.title')}
      </h2>
      {items === null ? (
        <p className="muted small">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted small">{t('consults.none')}</p>
      ) : (
        <ul className="consult-list">
          {items.map((k) => (
            <li key={k.id} data-consult-id={k.id} className="consult-item">
              <span className="consult-head">
                <span className={`pill pill-consult-${k.overdue ? 'overdue' : k.status}`}>
                  {k.overdue ? t('consults.overdue') : t(`consults.status.${k.status}`)}
                </span>{' '}
                <strong>{k.expert.person?.name ?? k.expert.team?.name ?? ''}</strong>
              </span>
              <span className="consult-question">{k.question}</span>
              {k.status === 'open' ? (
                <span className="muted small">
                  {t('consults.due', { time: fmt.dateTime(k.due_at), rel: fmt.relative(k.due_at, now) })}
                </span>
              ) : k.status === 'answered' ? (
                <span className="muted small">
                  {t('consults.answeredBy', { name: k.answered_by?.name ?? '', time: fmt.dateTime(k.answered_at) })}
                </span>
              ) : null}
              {canWork && k.status === 'open' && (
                <button
                  type="button"
                  className="btn btn-small btn-quiet"
                  onClick={() => void api.cancelConsult(k.id).then(() => props.onChanged())}
                >
                  {t('consults.cancel')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canWork &&
        !props.c.merged_into &&
        (asking ? (
          <AskForm
            caseId={caseId}
            onDone={() => {
              setAsking(false);
              void load();
              props.onChanged();
            }}
            onCancel={() => setAsking(false)}
          />
        ) : (
          <button type="button" className="btn btn-small" onClick={() => setAsking(true)}>
            {t('consults.ask')}
          </button>
        ))}
      <p className="small">
        <Link href="/consults">{t('consults.mine')}</Link>
      </p>
    </section>
  );
}

function expertLabel(e: Expertise): string {
  const who = e.person?.name ?? e.team?.name ?? '';
  const langs = e.languages.length > 0 ? ` (${e.languages.join(', ')})` : '';
  return `${e.title} — ${who}${langs}`;
}

function AskForm(props: { caseId: number; onDone(): void; onCancel(): void }) {
  const { t } = useI18n();
  const notify = useToast();
  const ids = useId();
  const [directory, setDirectory] = useState<Expertise[] | null>(null);
  const [expertiseId, setExpertiseId] = useState('');
  const [question, setQuestion] = useState('');
  const [excerpt, setExcerpt] = useState('');
  const [due, setDue] = useState(120);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ac = new AbortController();
    api.expertise(ac.signal).then(
      (r) => setDirectory(r.items),
      (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      },
    );
    return () => ac.abort();
  }, [t]);

  const chosen = directory?.find((e) => String(e.id) === expertiseId);
  const submit = async () => {
    if (!expertiseId || !question.trim()) {
      setError(t('consults.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.askConsult(props.caseId, {
        expertise_id: Number(expertiseId),
        question: question.trim(),
        ...(excerpt.trim() ? { excerpt: excerpt.trim() } : {}),
        due_in_minutes: due,
      });
      notify(t('consults.asked'));
      props.onDone();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="mini-form"
      aria-label={t('consults.ask')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`${ids}-expert`}>
        <span>{t('consults.expert')}</span>
      </label>
      <select id={`${ids}-expert`} value={expertiseId} onChange={(e) => setExpertiseId(e.target.value)}>
        <option value="">{directory === null ? t('common.loading') : t('consults.chooseExpert')}</option>
        {(directory ?? []).map((e) => (
          <option key={e.id} value={e.id}>
            {expertLabel(e)}
          </option>
        ))}
      </select>
      {chosen && (
        <p className="muted small" data-testid="expertise-details">
          {[chosen.topics.join(', '), chosen.availability].filter(Boolean).join(' · ')}
        </p>
      )}
      <label>
        <span>{t('consults.question')}</span>
        <textarea value={question} rows={3} maxLength={5000} onChange={(e) => setQuestion(e.target.value)} />
      </label>
      <label>
        <span>{t('consults.excerpt')}</span>
        <textarea value={excerpt} rows={3} maxLength={5000} onChange={(e) => setExcerpt(e.target.value)} />
      </label>
      <p className="muted small">{t('consults.excerptHint')}</p>
      <label>
        <span>{t('consults.dueIn')}</span>
        <select value={due} onChange={(e) => setDue(Number(e.target.value))}>
          {DUE_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m < 60 ? t('consults.minutes', { n: m }) : t('consults.hours', { n: m / 60 })}
            </option>
          ))}
        </select>
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
        <button type="submit" className="btn btn-small btn-primary" disabled={busy}>
          {t('consults.send')}
        </button>
      </span>
    </form>
  );
}

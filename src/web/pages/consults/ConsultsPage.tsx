import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, isAbort, type Me } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { LANGUAGE_NAMES, LANGUAGES, type Language, labelFor } from '../../i18n/index.ts';
import { useNow } from '../../lib/now.ts';
import { useSession } from '../../session.tsx';
import { ExpertiseEditor } from './ExpertiseEditor.tsx';
import type { Consult, ExpertConsult } from './model.ts';

/**
 * Consults for the people asked: the list of questions to answer and, for one consult, the minimal view (the
 * question, the excerpt the asker shared, the case's language and topics; never the case) with the answer form.
 * People with an inbox see it in the app's frame, with the consults they asked; experts in a frame of its own.
 */
export function ConsultsPage(props: { id?: number | undefined; framed: boolean; me?: Me; signOut?(): void }) {
  const { t } = useI18n();
  const body = props.id === undefined ? <ConsultList withAsked={props.framed} /> : <ConsultView id={props.id} />;
  if (props.framed)
    return (
      <Page section="consults" title={t('consults.pageTitle')}>
        {body}
        {props.id === undefined && <LeaderDirectory />}
      </Page>
    );
  return (
    <ExpertFrame me={props.me} signOut={props.signOut}>
      {body}
    </ExpertFrame>
  );
}

/** Leaders edit the expertise directory under their consults. */
function LeaderDirectory() {
  const { isLeader } = useSession();
  return isLeader ? <ExpertiseEditor /> : null;
}

/**
 * The frame of a person without an inbox (experts): the name, the language, sign out, and their two pages (the
 * consults they are asked, the ideas and incidents backlog).
 */
export function ExpertFrame(props: {
  me?: Me | undefined;
  signOut?: (() => void) | undefined;
  title?: string;
  children: ReactNode;
}) {
  const { t, lang, setLang } = useI18n();
  const title = props.title ?? t('consults.pageTitle');
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [t, title]);
  return (
    <div className="app expert-app">
      <header className="topbar">
        <div className="topbar-brand">
          <span className="logo" aria-hidden="true">
            P
          </span>
          <span className="brand-name">{t('app.name')}</span>
          {props.me && <span className="org-name">{props.me.organization.name}</span>}
        </div>
        <div className="topbar-tools">
          <nav className="expert-nav" aria-label={t('app.name')}>
            <Link href="/consults">{t('shell.consults')}</Link> <Link href="/backlog">{t('shell.backlog')}</Link>
          </nav>
          <label className="lang-switch">
            <span className="visually-hidden">{t('shell.language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Language)} aria-label={t('shell.language')}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
          {props.me && (
            <span className="me" title={props.me.email}>
              {t('shell.signedInAs', { name: props.me.name, role: labelFor(t, 'role', props.me.role) })}
            </span>
          )}
          {props.signOut && (
            <button type="button" className="btn btn-small" onClick={props.signOut}>
              {t('shell.logout')}
            </button>
          )}
        </div>
      </header>
      <main id="main" className="main expert-main" tabIndex={-1}>
        <div className="page">
          <header className="page-head">
            <h1>{title}</h1>
          </header>
          {props.children}
        </div>
      </main>
    </div>
  );
}

function Due(props: { k: ExpertConsult }) {
  const { t, fmt } = useI18n();
  const now = useNow(60_000);
  const { k } = props;
  if (k.status === 'answered')
    return (
      <span className="muted small">
        {t('consults.answeredBy', { name: k.answered_by?.name ?? '', time: fmt.dateTime(k.answered_at) })}
      </span>
    );
  if (k.status === 'cancelled') return <span className="muted small">{t('consults.status.cancelled')}</span>;
  return (
    <span className={k.overdue ? 'small consult-overdue' : 'muted small'}>
      {k.overdue ? `${t('consults.overdue')} · ` : ''}
      {t('consults.due', { time: fmt.dateTime(k.due_at), rel: fmt.relative(k.due_at, now) })}
    </span>
  );
}

function ConsultList(props: { withAsked: boolean }) {
  const { t } = useI18n();
  const [data, setData] = useState<{ to_answer: ExpertConsult[]; asked: Consult[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    api.myConsults(ac.signal).then(setData, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [t]);
  if (error)
    return (
      <p className="notice" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="placeholder">{t('common.loading')}</p>;
  return (
    <>
      <section aria-labelledby="to-answer-title" className="consult-section">
        <h2 id="to-answer-title">{t('consults.toAnswer')}</h2>
        {data.to_answer.length === 0 ? (
          <p className="muted">{t('consults.nothingToAnswer')}</p>
        ) : (
          <ul className="consult-cards">
            {data.to_answer.map((k) => (
              <li key={k.id} className="consult-card" data-consult-id={k.id}>
                <Link href={`/consults/${k.id}`} className="consult-card-link">
                  {k.question}
                </Link>
                <span className="muted small">
                  {t('consults.askedBy', { name: k.asked_by.name })}
                  {k.expert.team ? ` · ${k.expert.team.name}` : ''}
                </span>
                <Due k={k} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {props.withAsked && (
        <section aria-labelledby="asked-title" className="consult-section">
          <h2 id="asked-title">{t('consults.askedByMe')}</h2>
          {data.asked.length === 0 ? (
            <p className="muted">{t('consults.none')}</p>
          ) : (
            <ul className="consult-cards">
              {data.asked.map((k) => (
                <li key={k.id} className="consult-card" data-consult-id={k.id}>
                  <Link href={`/cases/${k.case_id}`} className="consult-card-link">
                    {k.question}
                  </Link>
                  <span className="muted small">
                    {t('consults.to', { name: k.expert.person?.name ?? k.expert.team?.name ?? '' })} ·{' '}
                    {t('consults.caseRef', { id: k.case_id })}
                  </span>
                  <Due k={k} />
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}

function ConsultView(props: { id: number }) {
  const { t, fmt } = useI18n();
  const notify = useToast();
  const [k, setK] = useState<(ExpertConsult & { case_id?: number }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api.consult(props.id, signal).then(setK, (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }),
    [props.id, t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const submit = async () => {
    if (!answer.trim()) {
      setFormError(t('consults.answerRequired'));
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      setK(await api.answerConsult(props.id, answer.trim()));
      notify(t('consults.answerSent'));
    } catch (err) {
      setFormError(errorMessage(t, err));
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
  if (!k) return <p className="placeholder">{t('common.loading')}</p>;
  return (
    <article className="consult-view" aria-labelledby="consult-question" data-testid="consult-view">
      <p className="small">
        <Link href="/consults">{t('consults.back')}</Link>
      </p>
      <p className="muted small">
        {t('consults.askedByOn', { name: k.asked_by.name, time: fmt.dateTime(k.created_at) })}
      </p>
      <h2 id="consult-question" className="consult-question-full">
        {k.question}
      </h2>
      <Due k={k} />
      <dl className="consult-context">
        <dt>{t('consults.context.language')}</dt>
        <dd>
          {k.context.language
            ? (LANGUAGE_NAMES[k.context.language as Language] ?? k.context.language)
            : t('common.none')}
        </dd>
        <dt>{t('consults.context.topics')}</dt>
        <dd>
          {k.context.topics.length > 0
            ? k.context.topics.map((x) => labelFor(t, 'topic', x)).join(', ')
            : t('common.none')}
        </dd>
      </dl>
      <section aria-labelledby="consult-excerpt-title">
        <h3 id="consult-excerpt-title">{t('consults.excerptShared')}</h3>
        {k.excerpt ? (
          <blockquote className="consult-excerpt" data-testid="consult-excerpt">
            {k.excerpt}
          </blockquote>
        ) : (
          <p className="muted">{t('consults.noExcerpt')}</p>
        )}
      </section>
      {k.case_id !== undefined && (
        <p className="small">
          <Link href={`/cases/${k.case_id}`}>{t('consults.caseRef', { id: k.case_id })}</Link>
        </p>
      )}
      {k.status === 'answered' ? (
        <section aria-labelledby="consult-answer-title">
          <h3 id="consult-answer-title">{t('consults.answer')}</h3>
          <p className="consult-answer" data-testid="consult-answer">
            {k.answer}
          </p>
        </section>
      ) : k.can_answer ? (
        <form
          className="mini-form consult-answer-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            <span>{t('consults.yourAnswer')}</span>
            <textarea value={answer} rows={6} maxLength={20_000} onChange={(e) => setAnswer(e.target.value)} />
          </label>
          <p className="muted small">{t('consults.answerHint')}</p>
          {formError && (
            <p className="form-error" role="alert">
              {formError}
            </p>
          )}
          <span className="mini-form-buttons">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('consults.sendAnswer')}
            </button>
          </span>
        </form>
      ) : null}
    </article>
  );
}

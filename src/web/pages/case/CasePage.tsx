import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type CaseDetail, type CasePatch, isAbort, type Message } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Shell } from '../../components/Shell.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { isShortcutEvent } from '../../lib/keys.ts';
import { useDebounced, useRealtime } from '../../lib/realtime.tsx';
import { navigate, useLocation } from '../../lib/router.ts';
import { useSession } from '../../session.tsx';
import { excerpt } from '../inbox/CaseRow.tsx';
import { inboxStateFromSearch, lastInbox } from '../inbox/state.ts';
import { ActivityPanel, DetailsPanel, RoutingPanel } from './CaseAside.tsx';
import { CaseHeader } from './CaseHeader.tsx';
import { Composer, type ComposerMode } from './Composer.tsx';
import { ConsultsPanel } from './ConsultsPanel.tsx';
import { ContactPanel } from './ContactPanel.tsx';
import { FeedbackPanel } from './FeedbackPanel.tsx';
import { LinksPanel } from './LinksPanel.tsx';
import { Thread } from './Thread.tsx';

/** Unsent text per case, kept while moving between cases in this tab. */
const drafts = new Map<number, string>();

export function CasePage(props: { id: number }) {
  const inbox = lastInbox.state ?? inboxStateFromSearch(new URLSearchParams());
  return (
    <Shell inbox={inbox} activeView={null}>
      <CaseView key={props.id} id={props.id} />
    </Shell>
  );
}

function CaseView(props: { id: number }) {
  const { id } = props;
  const { t } = useI18n();
  const { me, canWork } = useSession();
  const notify = useToast();
  const loc = useLocation();
  const [data, setData] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<{ notFound: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [draft, setDraftState] = useState(() => drafts.get(id) ?? '');
  const [mode, setMode] = useState<ComposerMode>('reply');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const wantsReply = useRef(loc.search.get('reply') === '1');

  const setDraft = useCallback(
    (text: string) => {
      setDraftState(text);
      if (text) drafts.set(id, text);
      else drafts.delete(id);
    },
    [id],
  );

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const c = await api.case(id, signal);
        setData(c);
        setError(null);
      } catch (err) {
        if (isAbort(err) || (err instanceof ApiError && err.status === 401)) return;
        setError({ notFound: err instanceof ApiError && err.status === 404, text: errorMessage(t, err) });
      }
    },
    [id, t],
  );

  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const reload = useDebounced(() => void load(), 150);
  useRealtime((m) => {
    if (m.type === 'resync' || m.case_id === id) reload();
  });

  // Without live events (connection down), a reply past its send delay is still looked at again.
  const pendingUntil = data?.messages
    .filter((m) => m.delivery?.status === 'pending' || m.delivery?.status === 'sending')
    .map((m) => Date.parse(m.delivery?.send_at ?? '') || Date.now())
    .reduce((a, b) => Math.max(a, b), 0);
  useEffect(() => {
    if (!pendingUntil) return;
    const timer = setTimeout(() => reload(), Math.max(1500, pendingUntil - Date.now() + 1500));
    return () => clearTimeout(timer);
  }, [pendingUntil, reload]);

  useEffect(() => {
    if (data) document.title = `${excerpt(data.subject, 60)} · ${t('app.name')}`;
  }, [data, t]);

  const focusComposer = useCallback(() => {
    setMode('reply');
    requestAnimationFrame(() => textarea.current?.focus());
  }, []);

  // Opened with "r" from the inbox: straight into the composer.
  useEffect(() => {
    if (!data || !wantsReply.current) return;
    wantsReply.current = false;
    navigate(`/cases/${id}`, { replace: true });
    focusComposer();
  }, [data, id, focusComposer]);

  const patch = useCallback(
    async (p: CasePatch) => {
      if (!data) return;
      setBusy(true);
      try {
        const summary = await api.updateCase(id, p);
        setData((d) => (d ? { ...d, ...summary } : d));
        if (p.status === 'resolved') notify(t('case.resolved', { id }));
        else if (p.assignee_id === me.id) notify(t('case.assigned', { id }));
        else notify(t('case.saved'));
        reload();
      } catch (err) {
        notify(errorMessage(t, err), 'error');
      } finally {
        setBusy(false);
      }
    },
    [data, id, me.id, notify, reload, t],
  );

  const ids = lastInbox.ids;
  const at = ids.indexOf(id);
  const prevId = at > 0 ? ids[at - 1]! : null;
  const nextId = at >= 0 && at < ids.length - 1 ? ids[at + 1]! : null;
  const backHref = lastInbox.href;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
        const el = e.target instanceof Element ? e.target : null;
        if (el?.closest('textarea, input, select')) {
          (el as HTMLElement).blur();
          e.preventDefault();
          return;
        }
        e.preventDefault();
        lastInbox.selected = id;
        navigate(lastInbox.href);
        return;
      }
      if (!isShortcutEvent(e)) return;
      switch (e.key) {
        case 'u':
          e.preventDefault();
          lastInbox.selected = id;
          navigate(backHref);
          return;
        case 'r':
          if (canWork) {
            e.preventDefault();
            focusComposer();
          }
          return;
        case 'e':
          if (canWork && data && data.status !== 'resolved') {
            e.preventDefault();
            void patch({ status: 'resolved' });
          }
          return;
        case 'a':
          if (canWork && data && data.assignee?.id !== me.id) {
            e.preventDefault();
            void patch({ assignee_id: me.id });
          }
          return;
        case 'j':
          if (nextId !== null) {
            e.preventDefault();
            lastInbox.selected = nextId;
            navigate(`/cases/${nextId}`);
          }
          return;
        case 'k':
          if (prevId !== null) {
            e.preventDefault();
            lastInbox.selected = prevId;
            navigate(`/cases/${prevId}`);
          }
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWork, data, focusComposer, id, me.id, nextId, patch, prevId]);

  const onUndone = useCallback(
    (m: Message) => {
      setDraft(draft.trim() ? draft : m.text);
      setMode('reply');
      reload();
    },
    [draft, reload, setDraft],
  );

  if (error && !data) {
    return (
      <div className="case-page">
        <div className="banner banner-error" role="alert">
          <span>{error.notFound ? t('case.notFound') : error.text}</span>
          {!error.notFound && (
            <button type="button" className="btn btn-small" onClick={() => void load()}>
              {t('common.retry')}
            </button>
          )}
          <Link href={backHref} className="btn btn-small">
            {t('case.back')}
          </Link>
        </div>
      </div>
    );
  }
  if (!data) return <p className="placeholder">{t('common.loading')}</p>;

  return (
    <div className="case-page" data-case-id={data.id}>
      <CaseHeader
        c={data}
        busy={busy}
        backHref={backHref}
        prevId={prevId}
        nextId={nextId}
        onPatch={(p) => void patch(p)}
        onChanged={reload}
      />
      {data.merged_into ? (
        <div className="banner banner-info" role="status" data-testid="merged-banner">
          <span>{t('caseOps.mergedBanner', { id: data.id, into: data.merged_into })}</span>
          <Link href={`/cases/${data.merged_into}`} className="btn btn-small">
            {t('caseOps.openMerged', { id: data.merged_into })}
          </Link>
        </div>
      ) : null}
      <div className="case-body">
        <div className="case-conversation">
          <Thread messages={data.messages} onUndone={onUndone} onChanged={reload} />
          {data.messages_next_after !== null && (
            <p className="notice">{t('case.moreMessages', { n: data.messages.length })}</p>
          )}
          {/* A merged case is answered in the case it was merged into (see the banner). */}
          {!data.merged_into && (
            <Composer
              c={data}
              draft={draft}
              setDraft={setDraft}
              mode={mode}
              setMode={setMode}
              textareaRef={textarea}
              onDone={reload}
            />
          )}
        </div>
        <aside className="case-aside" aria-label={t('case.details')}>
          <RoutingPanel c={data} />
          <ContactPanel
            contactId={data.contact.id}
            caseId={data.id}
            version={`${data.message_count}:${data.status}:${data.updated_at}`}
            onChanged={reload}
          />
          <ConsultsPanel
            c={data}
            version={`${data.message_count}:${data.status}:${data.updated_at}`}
            onChanged={reload}
          />
          <LinksPanel c={data} onChanged={reload} />
          <FeedbackPanel
            c={data}
            version={`${data.status}:${data.updated_at}:${data.events.at(-1)?.id ?? 0}`}
            onChanged={reload}
          />
          <DetailsPanel c={data} />
          <ActivityPanel events={data.events} />
        </aside>
      </div>
    </div>
  );
}

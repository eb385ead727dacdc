import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, CASE_STATUSES, type CaseSummary, INBOX_SORTS, type InboxSort, isAbort } from '../../api.ts';
import { Shell } from '../../components/Shell.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { isShortcutEvent } from '../../lib/keys.ts';
import { useNow } from '../../lib/now.ts';
import { useDebounced, useRealtime } from '../../lib/realtime.tsx';
import { navigate, useLocation } from '../../lib/router.ts';
import { useReference, useSession } from '../../session.tsx';
import { BulkBar } from './BulkBar.tsx';
import { CaseRow } from './CaseRow.tsx';
import { SaveViewButton, useCurrentSavedView } from './SavedViews.tsx';
import { type InboxState, inboxHref, inboxStateFromSearch, lastInbox, rememberView } from './state.ts';

const PAGE = 50;
const MAX_REFRESH = 200;
const FRESH_MS = 6000;

interface ListState {
  items: CaseSummary[];
  cursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
}

/** The work queue: views, filters, a dense keyboard-driven list that updates itself. */
export function InboxPage() {
  const loc = useLocation();
  const state = useMemo(() => inboxStateFromSearch(loc.search), [loc.search]);
  const href = inboxHref(state);
  const { t } = useI18n();
  const saved = useCurrentSavedView(href);
  const title = saved?.name ?? t(`view.${state.view}`);

  useEffect(() => {
    rememberView(state.view);
    lastInbox.href = href;
    lastInbox.state = state;
    document.title = `${title} · ${t('app.name')}`;
  }, [href, state, t, title]);

  return (
    <Shell inbox={state} activeView={state.view}>
      <InboxList key={href} state={state} href={href} title={title} />
    </Shell>
  );
}

function InboxList(props: { state: InboxState; href: string; title: string }) {
  const { state, href } = props;
  const { t, tn } = useI18n();
  const { me, canWork } = useSession();
  const notify = useToast();
  const now = useNow(30_000);
  const [list, setList] = useState<ListState>({
    items: [],
    cursor: null,
    loading: true,
    loadingMore: false,
    error: null,
  });
  const [selected, setSelected] = useState<number | null>(lastInbox.href === href ? lastInbox.selected : null);
  const [fresh, setFresh] = useState<ReadonlyMap<number, number>>(new Map());
  const links = useRef(new Map<number, HTMLAnchorElement>());
  const known = useRef<Set<number> | null>(null);
  const itemsRef = useRef<CaseSummary[]>([]);
  itemsRef.current = list.items;
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const toggleChecked = useCallback((id: number) => {
    setChecked((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const { view, filters } = state;
  const load = useCallback(
    async (mode: 'reset' | 'refresh', signal?: AbortSignal) => {
      const loaded = itemsRef.current.length;
      const limit = mode === 'reset' ? PAGE : Math.min(MAX_REFRESH, Math.max(PAGE, loaded));
      try {
        const page = await api.cases(view, filters, { limit }, signal);
        const prev = known.current;
        const ids = new Set(page.items.map((c) => c.id));
        if (prev) {
          const arrived = page.items.filter((c) => !prev.has(c.id)).map((c) => c.id);
          if (arrived.length > 0) {
            const until = Date.now() + FRESH_MS;
            setFresh((m) => {
              const next = new Map(m);
              for (const id of arrived) next.set(id, until);
              return next;
            });
          }
        }
        known.current = prev ? new Set([...prev, ...ids]) : ids;
        setList((l) => {
          // Beyond what a refresh reloads, keep the older pages already shown.
          const tail =
            mode === 'refresh' && loaded > MAX_REFRESH ? l.items.slice(MAX_REFRESH).filter((c) => !ids.has(c.id)) : [];
          return {
            items: [...page.items, ...tail],
            cursor: tail.length > 0 ? l.cursor : page.next_cursor,
            loading: false,
            loadingMore: false,
            error: null,
          };
        });
      } catch (err) {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 401) return;
        setList((l) => ({ ...l, loading: false, error: errorMessage(t, err) }));
      }
    },
    [view, filters, t],
  );

  useEffect(() => {
    const ac = new AbortController();
    void load('reset', ac.signal);
    return () => ac.abort();
  }, [load]);

  const refresh = useDebounced(() => void load('refresh'), 150);
  useRealtime(refresh);

  // Highlights fade: drop them once expired.
  useEffect(() => {
    if (fresh.size === 0) return;
    const timer = setTimeout(() => {
      const at = Date.now();
      setFresh((m) => new Map([...m].filter(([, until]) => until > at)));
    }, FRESH_MS);
    return () => clearTimeout(timer);
  }, [fresh]);

  const loadMore = async () => {
    if (!list.cursor || list.loadingMore) return;
    setList((l) => ({ ...l, loadingMore: true }));
    try {
      const page = await api.cases(view, filters, { cursor: list.cursor, limit: PAGE });
      for (const c of page.items) known.current?.add(c.id);
      setList((l) => {
        const have = new Set(l.items.map((c) => c.id));
        return {
          ...l,
          items: [...l.items, ...page.items.filter((c) => !have.has(c.id))],
          cursor: page.next_cursor,
          loadingMore: false,
        };
      });
    } catch (err) {
      setList((l) => ({ ...l, loadingMore: false }));
      notify(errorMessage(t, err), 'error');
    }
  };

  const items = list.items;
  const foundIndex = items.findIndex((c) => c.id === selected);
  // Without an explicit choice, the cursor rests on the first case.
  const selectedIndex = foundIndex >= 0 ? foundIndex : items.length > 0 && selected === null ? 0 : -1;
  const current = selectedIndex >= 0 ? items[selectedIndex] : undefined;

  useEffect(() => {
    lastInbox.ids = items.map((c) => c.id);
    lastInbox.selected = selected;
  }, [items, selected]);

  // The cursor is pinned to a case (not to "the first row"), so new arrivals at the top do not move it.
  useEffect(() => {
    if (selected === null && items.length > 0) setSelected(items[0]!.id);
  }, [selected, items]);

  // Back from a case: the keyboard focus returns to the row it was opened from.
  const restoreFocus = useRef(lastInbox.href === href && lastInbox.selected !== null);
  useEffect(() => {
    if (!restoreFocus.current || list.loading || selected === null) return;
    restoreFocus.current = false;
    links.current.get(selected)?.focus();
  }, [list.loading, selected]);

  // A selected case that left the view hands the selection to its neighbour.
  const lastIndex = useRef(0);
  useEffect(() => {
    if (foundIndex >= 0) lastIndex.current = foundIndex;
    else if (selected !== null && items.length > 0) {
      setSelected(items[Math.min(lastIndex.current, items.length - 1)]!.id);
    }
  }, [selected, foundIndex, items]);

  const move = useCallback(
    (delta: number) => {
      if (items.length === 0) return;
      const from = selectedIndex < 0 ? (delta > 0 ? -1 : items.length) : selectedIndex;
      const to = Math.max(0, Math.min(items.length - 1, from + delta));
      const id = items[to]!.id;
      setSelected(id);
      const el = links.current.get(id);
      el?.focus();
      el?.scrollIntoView({ block: 'nearest' });
    },
    [items, selectedIndex],
  );

  const act = useCallback(
    async (c: CaseSummary, what: 'resolve' | 'assign') => {
      try {
        if (what === 'resolve') {
          await api.updateCase(c.id, { status: 'resolved' });
          notify(t('case.resolved', { id: c.id }));
        } else {
          await api.updateCase(c.id, { assignee_id: me.id });
          notify(t('case.assigned', { id: c.id }));
        }
        refresh();
      } catch (err) {
        notify(errorMessage(t, err), 'error');
      }
    },
    [me.id, notify, refresh, t],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcutEvent(e)) return;
      const onRow = e.target instanceof HTMLAnchorElement && e.target.classList.contains('case-link');
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          if (e.key === 'ArrowDown' && !onRow) return;
          e.preventDefault();
          move(1);
          return;
        case 'k':
        case 'ArrowUp':
          if (e.key === 'ArrowUp' && !onRow) return;
          e.preventDefault();
          move(-1);
          return;
        case 'Enter':
          if (onRow) return; // the link opens itself
          if (!(e.target === document.body || e.target === document.getElementById('main'))) return;
          if (current) {
            e.preventDefault();
            navigate(`/cases/${current.id}`);
          }
          return;
        case 'o':
          if (current) {
            e.preventDefault();
            navigate(`/cases/${current.id}`);
          }
          return;
        case 'r':
          if (current && canWork) {
            e.preventDefault();
            navigate(`/cases/${current.id}?reply=1`);
          }
          return;
        case 'e':
          if (current && canWork && current.status !== 'resolved') {
            e.preventDefault();
            void act(current, 'resolve');
          }
          return;
        case 'a':
          if (current && canWork && current.assignee?.id !== me.id) {
            e.preventDefault();
            void act(current, 'assign');
          }
          return;
        case 'x':
          if (current && canWork) {
            e.preventDefault();
            toggleChecked(current.id);
          }
          return;
        case '/':
          e.preventDefault();
          document.getElementById('inbox-search')?.focus();
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move, current, canWork, act, me.id, toggleChecked]);

  // Cases that left the list leave the selection too.
  useEffect(() => {
    setChecked((s) => {
      if (s.size === 0) return s;
      const ids = new Set(list.items.map((c) => c.id));
      const next = new Set([...s].filter((id) => ids.has(id)));
      return next.size === s.size ? s : next;
    });
  }, [list.items]);

  const viewName = props.title;
  const rovingId = current?.id;
  const allChecked = items.length > 0 && items.every((c) => checked.has(c.id));

  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <div className="inbox-top">
        <div className="inbox-head">
          <h1 id="inbox-title">{viewName}</h1>
          <SearchBox state={state} />
          <Filters state={state} />
          <SaveViewButton state={state} href={href} />
          <span className="inbox-shown muted">{tn('inbox.shown', items.length)}</span>
        </div>
        {canWork && items.length > 0 && (
          <div className="inbox-select">
            <label className="inline-check small">
              <input
                type="checkbox"
                checked={allChecked}
                ref={(el) => {
                  if (el) el.indeterminate = checked.size > 0 && !allChecked;
                }}
                onChange={(e) => setChecked(e.target.checked ? new Set(items.map((c) => c.id)) : new Set())}
                data-control="select-all"
              />
              {t('bulk.selectAll')}
            </label>
            {checked.size > 0 && (
              <BulkBar
                ids={[...checked]}
                cases={items.filter((c) => checked.has(c.id))}
                onDone={refresh}
                onClear={() => setChecked(new Set())}
              />
            )}
          </div>
        )}
      </div>
      {list.error && (
        <div className="banner banner-error" role="alert">
          <span>{list.error}</span>
          <button type="button" className="btn btn-small" onClick={() => void load('reset')}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {list.loading ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : items.length === 0 && !list.error ? (
        <p className="placeholder">
          {filters.q ? t('search.none', { q: filters.q }) : view === 'mine' ? t('inbox.emptyMine') : t('inbox.empty')}
        </p>
      ) : (
        <ol className="case-list" aria-label={t('inbox.list', { view: viewName })}>
          {items.map((c) => (
            <CaseRow
              key={c.id}
              c={c}
              now={now}
              selected={c.id === rovingId}
              fresh={fresh.has(c.id)}
              checked={canWork ? checked.has(c.id) : undefined}
              onCheck={() => toggleChecked(c.id)}
              onSelect={() => setSelected(c.id)}
              linkRef={(el) => {
                if (el) links.current.set(c.id, el);
                else links.current.delete(c.id);
              }}
            />
          ))}
        </ol>
      )}
      {!list.loading && items.length > 0 && (
        <div className="list-foot">
          {list.cursor ? (
            <button type="button" className="btn" onClick={() => void loadMore()} disabled={list.loadingMore}>
              {list.loadingMore ? t('inbox.loadingMore') : t('inbox.loadMore')}
            </button>
          ) : (
            <span className="muted">{t('inbox.end')}</span>
          )}
        </div>
      )}
    </section>
  );
}

/** Full-text search of the cases' messages and customers; `/` jumps here, Enter searches, Escape leaves. */
function SearchBox(props: { state: InboxState }) {
  const { t } = useI18n();
  const { state } = props;
  const [text, setText] = useState(state.filters.q ?? '');
  useEffect(() => setText(state.filters.q ?? ''), [state.filters.q]);
  const go = (q: string | undefined) =>
    navigate(inboxHref({ view: state.view, filters: { ...state.filters, q: q?.trim() || undefined } }));
  return (
    <search className="search-box">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go(text);
        }}
      >
        <label htmlFor="inbox-search" className="visually-hidden">
          {t('search.label')}
        </label>
        <input
          id="inbox-search"
          type="search"
          value={text}
          maxLength={200}
          placeholder={t('search.placeholder')}
          aria-keyshortcuts="/"
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value === '' && state.filters.q) go(undefined);
          }}
        />
        <button type="submit" className="btn btn-small">
          {t('search.submit')}
        </button>
      </form>
    </search>
  );
}

function Filters(props: { state: InboxState }) {
  const { t } = useI18n();
  const { me } = useSession();
  const { communities } = useReference();
  const { state } = props;
  const channels = useMemo(() => {
    const set = new Set<string>();
    for (const c of communities ?? []) for (const a of c.accounts) set.add(a.network);
    if (state.filters.channel) set.add(state.filters.channel);
    return [...set].sort();
  }, [communities, state.filters.channel]);
  const go = (patch: Partial<InboxState['filters']>) =>
    navigate(inboxHref({ view: state.view, filters: { ...state.filters, ...patch } }), { replace: true });
  return (
    <fieldset className="filters">
      <legend className="visually-hidden">{t('filter.label')}</legend>
      <label>
        <span>{t('filter.community')}</span>
        <select
          value={state.filters.community ?? ''}
          onChange={(e) => go({ community: e.target.value ? Number(e.target.value) : undefined })}
        >
          <option value="">{t('filter.allCommunities')}</option>
          {me.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('filter.channel')}</span>
        <select value={state.filters.channel ?? ''} onChange={(e) => go({ channel: e.target.value || undefined })}>
          <option value="">{t('filter.allChannels')}</option>
          {channels.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('filter.status')}</span>
        <select
          value={state.filters.status ?? 'active'}
          onChange={(e) => go({ status: e.target.value === 'active' ? undefined : e.target.value })}
        >
          <option value="active">{t('filter.active')}</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {labelFor(t, 'status', s)}
            </option>
          ))}
          <option value="all">{t('filter.allStatuses')}</option>
        </select>
      </label>
      <label>
        <span>{t('sort.label')}</span>
        <select
          value={state.filters.sort ?? ''}
          onChange={(e) => go({ sort: (e.target.value || undefined) as InboxSort | undefined })}
          data-control="sort"
        >
          <option value="">
            {state.filters.q
              ? t('sort.relevance')
              : state.view === 'sla_risk'
                ? t('sort.defaultSla')
                : t('sort.default')}
          </option>
          {INBOX_SORTS.map((o) => (
            <option key={o} value={o}>
              {t(`sort.${o}`)}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

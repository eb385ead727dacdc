import {
  type CaseFilters,
  INBOX_SORTS,
  INBOX_VIEWS,
  type InboxSort,
  type InboxView,
  type ViewQuery,
} from '../../api.ts';

/** The inbox's view and filters live in the address (`/?view=unassigned&community=1`), so they survive a reload. */

export interface InboxState {
  view: InboxView;
  filters: CaseFilters;
}

const VIEW_KEY = 'passeur.view';
export const DEFAULT_VIEW: InboxView = 'all';

function rememberedView(): InboxView {
  try {
    const v = window.localStorage.getItem(VIEW_KEY);
    return (INBOX_VIEWS as readonly string[]).includes(v ?? '') ? (v as InboxView) : DEFAULT_VIEW;
  } catch {
    return DEFAULT_VIEW;
  }
}

export function rememberView(view: InboxView): void {
  try {
    window.localStorage.setItem(VIEW_KEY, view);
  } catch {
    // Not remembered in private mode.
  }
}

export function inboxStateFromSearch(search: URLSearchParams, fallbackView?: InboxView): InboxState {
  const v = search.get('view');
  const view =
    v && (INBOX_VIEWS as readonly string[]).includes(v) ? (v as InboxView) : (fallbackView ?? rememberedView());
  const community = Number(search.get('community'));
  const channel = search.get('channel');
  const status = search.get('status');
  const q = (search.get('q') ?? '').trim().slice(0, 200);
  const sort = search.get('sort');
  return {
    view,
    filters: {
      community: Number.isInteger(community) && community > 0 ? community : undefined,
      channel: channel && /^[a-z][a-z0-9_-]{0,31}$/.test(channel) ? channel : undefined,
      status: status && /^[a-z_,]{1,200}$/.test(status) ? status : undefined,
      q: q || undefined,
      sort: sort && (INBOX_SORTS as readonly string[]).includes(sort) ? (sort as InboxSort) : undefined,
    },
  };
}

/** The inbox state a saved view stands for. */
export function stateOfView(query: ViewQuery): InboxState {
  return {
    view: query.view ?? DEFAULT_VIEW,
    filters: {
      community: query.community,
      channel: query.channel,
      status: query.status,
      q: query.q,
      sort: query.sort,
    },
  };
}

/** What a saved view stores of the inbox state (only the fields that are set). */
export function viewQueryOf(state: InboxState): ViewQuery {
  const q: ViewQuery = { view: state.view };
  const f = state.filters;
  if (f.community) q.community = f.community;
  if (f.channel) q.channel = f.channel;
  if (f.status) q.status = f.status;
  if (f.q) q.q = f.q;
  if (f.sort) q.sort = f.sort;
  return q;
}

export function inboxHref(state: InboxState): string {
  const q = new URLSearchParams();
  q.set('view', state.view);
  if (state.filters.community) q.set('community', String(state.filters.community));
  if (state.filters.channel) q.set('channel', state.filters.channel);
  if (state.filters.status) q.set('status', state.filters.status);
  if (state.filters.q) q.set('q', state.filters.q);
  if (state.filters.sort) q.set('sort', state.filters.sort);
  return `/?${q.toString()}`;
}

/** Where "back to the inbox" leads, and the order of the cases there (for j/k on a case page). */
export const lastInbox: { href: string; state: InboxState | null; ids: number[]; selected: number | null } = {
  href: '/',
  state: null,
  ids: [],
  selected: null,
};

import { type CaseFilters, INBOX_VIEWS, type InboxView } from '../../api.ts';

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
  return {
    view,
    filters: {
      community: Number.isInteger(community) && community > 0 ? community : undefined,
      channel: channel && /^[a-z][a-z0-9_-]{0,31}$/.test(channel) ? channel : undefined,
      status: status && /^[a-z_,]{1,200}$/.test(status) ? status : undefined,
    },
  };
}

export function inboxHref(state: InboxState): string {
  const q = new URLSearchParams();
  q.set('view', state.view);
  if (state.filters.community) q.set('community', String(state.filters.community));
  if (state.filters.channel) q.set('channel', state.filters.channel);
  if (state.filters.status) q.set('status', state.filters.status);
  return `/?${q.toString()}`;
}

/** Where "back to the inbox" leads, and the order of the cases there (for j/k on a case page). */
export const lastInbox: { href: string; state: InboxState | null; ids: number[]; selected: number | null } = {
  href: '/',
  state: null,
  ids: [],
  selected: null,
};

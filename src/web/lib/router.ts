import { useSyncExternalStore } from 'react';

/** A tiny router on the history API: the location as a store, `navigate`, and path matching. */

export interface Location {
  path: string;
  search: URLSearchParams;
  /** `path` + query, as written in the address bar. */
  href: string;
}

const listeners = new Set<() => void>();
let current: Location | undefined;

function read(): Location {
  const { pathname, search } = window.location;
  const href = pathname + search;
  if (!current || current.href !== href) current = { path: pathname, search: new URLSearchParams(search), href };
  return current;
}

function notify(): void {
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, read, read);
}

export function currentLocation(): Location {
  return read();
}

/** Goes to an in-app address (`/cases/12?reply=1`); `replace` keeps the history entry count. */
export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  if (href === read().href) return;
  if (opts.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  notify();
}

export type Route =
  | { name: 'login'; next: string | null }
  | { name: 'inbox' }
  | { name: 'case'; id: number }
  | { name: 'duty' }
  | { name: 'crisis' }
  | { name: 'crisis_room'; id: number }
  | { name: 'approvals' }
  | { name: 'admin_governance' }
  | { name: 'consults' }
  | { name: 'consult'; id: number }
  | { name: 'handover' }
  | { name: 'publishing' }
  | { name: 'handover_brief'; id: number }
  | { name: 'training' }
  | { name: 'training_session'; id: number }
  | { name: 'training_item'; id: number }
  | { name: 'backlog'; kind: 'idea' | 'incident'; id: number | undefined }
  | { name: 'quality' }
  | { name: 'advocates' }
  | { name: 'quality_reply'; id: number; sample: number | undefined }
  | { name: 'admin_audit' }
  | { name: 'reports' }
  | { name: 'reports_drill' }
  | { name: 'admin_routing' }
  | { name: 'admin_triage' }
  | { name: 'admin_webhooks' }
  | { name: 'admin_sign_in' }
  | { name: 'security' }
  | { name: 'not_found' };

export function matchRoute(loc: Pick<Location, 'path' | 'search'>): Route {
  const path = loc.path.replace(/\/+$/, '') || '/';
  if (path === '/login') {
    const next = loc.search.get('next');
    // Only in-app paths: never an open redirect to another origin.
    return { name: 'login', next: next && /^\/(?!\/)/.test(next) && !next.startsWith('/\\') ? next : null };
  }
  if (path === '/' || path === '/inbox') return { name: 'inbox' };
  const m = /^\/cases\/(\d{1,12})$/.exec(path);
  if (m) return { name: 'case', id: Number(m[1]) };
  if (path === '/duty') return { name: 'duty' };
  if (path === '/crisis') return { name: 'crisis' };
  const crisis = /^\/crisis\/(\d{1,12})$/.exec(path);
  if (crisis) return { name: 'crisis_room', id: Number(crisis[1]) };
  if (path === '/approvals') return { name: 'approvals' };
  if (path === '/admin/governance') return { name: 'admin_governance' };
  if (path === '/consults') return { name: 'consults' };
  const k = /^\/consults\/(\d{1,12})$/.exec(path);
  if (k) return { name: 'consult', id: Number(k[1]) };
  const bl = /^\/backlog(?:\/(ideas|incidents)(?:\/(\d{1,12}))?)?$/.exec(path);
  if (bl)
    return {
      name: 'backlog',
      kind: bl[1] === 'incidents' ? 'incident' : 'idea',
      id: bl[2] ? Number(bl[2]) : undefined,
    };
  if (path === '/handover') return { name: 'handover' };
  if (path === '/publishing') return { name: 'publishing' };
  const h = /^\/handover\/(\d{1,12})$/.exec(path);
  if (h) return { name: 'handover_brief', id: Number(h[1]) };
  if (path === '/training') return { name: 'training' };
  const ts = /^\/training\/sessions\/(\d{1,12})$/.exec(path);
  if (ts) return { name: 'training_session', id: Number(ts[1]) };
  const ti = /^\/training\/items\/(\d{1,12})$/.exec(path);
  if (ti) return { name: 'training_item', id: Number(ti[1]) };
  if (path === '/advocates') return { name: 'advocates' };
  if (path === '/quality') return { name: 'quality' };
  const qa = /^\/quality\/replies\/(\d{1,12})$/.exec(path);
  if (qa) {
    const sample = loc.search.get('sample');
    return {
      name: 'quality_reply',
      id: Number(qa[1]),
      sample: sample && /^\d{1,12}$/.test(sample) ? Number(sample) : undefined,
    };
  }
  if (path === '/admin/audit') return { name: 'admin_audit' };
  if (path === '/reports') return { name: 'reports' };
  if (path === '/reports/drill') return { name: 'reports_drill' };
  if (path === '/admin/routing') return { name: 'admin_routing' };
  if (path === '/admin/triage') return { name: 'admin_triage' };
  if (path === '/admin/webhooks') return { name: 'admin_webhooks' };
  if (path === '/admin/sign-in') return { name: 'admin_sign_in' };
  if (path === '/account/security') return { name: 'security' };
  return { name: 'not_found' };
}

/** True for a plain left click that the router may take over (not a new tab/window request). */
export function isPlainClick(e: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}) {
  return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;
}

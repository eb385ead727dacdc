import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, type Community, type Me, type Person, type Ref, type SavedView } from './api.ts';

/** The signed-in person, and the organization data every page needs (communities, people, teams). */

const WORKER_ROLES = new Set(['leader', 'manager', 'backup', 'approver']);

export interface Session {
  me: Me;
  /** May change cases and answer (not only read them). */
  canWork: boolean;
  /** Administers the organization (routing, triage model, schedules). */
  isLeader: boolean;
  signOut(): void;
}

export interface Reference {
  communities: Community[] | null;
  people: Person[] | null;
  teams: Ref[] | null;
  /** Saved inbox views: the person's own, then those others shared. */
  views: SavedView[] | null;
  reloadViews(): void;
}

const SessionContext = createContext<Session | null>(null);
const ReferenceContext = createContext<Reference>({
  communities: null,
  people: null,
  teams: null,
  views: null,
  reloadViews: () => {},
});

export function canWorkCases(role: string): boolean {
  return WORKER_ROLES.has(role);
}

export function SessionProvider(props: { me: Me; signOut(): void; children: ReactNode }) {
  const { me, signOut } = props;
  const [lists, setLists] = useState<Omit<Reference, 'reloadViews'>>({
    communities: null,
    people: null,
    teams: null,
    views: null,
  });
  const [viewsVersion, setViewsVersion] = useState(0);
  const reloadViews = useCallback(() => setViewsVersion((v) => v + 1), []);
  useEffect(() => {
    const ac = new AbortController();
    // Pages work without these lists (fewer choices in selects) if one of them fails to load.
    const load = <K extends keyof typeof lists>(key: K, fetcher: (s: AbortSignal) => Promise<(typeof lists)[K]>) =>
      fetcher(ac.signal).then(
        (value) => setLists((r) => ({ ...r, [key]: value })),
        () => {},
      );
    void load('communities', api.communities);
    void load('people', api.people);
    void load('teams', api.teams);
    return () => ac.abort();
  }, []);
  useEffect(() => {
    const ac = new AbortController();
    void viewsVersion;
    api.views(ac.signal).then(
      (views) => setLists((r) => ({ ...r, views })),
      () => {},
    );
    return () => ac.abort();
  }, [viewsVersion]);
  const reference = useMemo<Reference>(() => ({ ...lists, reloadViews }), [lists, reloadViews]);
  return (
    <SessionContext.Provider value={{ me, canWork: canWorkCases(me.role), isLeader: me.role === 'leader', signOut }}>
      <ReferenceContext.Provider value={reference}>{props.children}</ReferenceContext.Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export function useReference(): Reference {
  return useContext(ReferenceContext);
}

/** People who may be assigned a case of this community: the server says so (`assignable`), else their role. */
export function assignablePeople(people: Person[] | null, communityId: number | undefined): Person[] {
  if (!people || communityId === undefined) return [];
  return people.filter((p) => (p.assignable ?? WORKER_ROLES.has(p.role)) && p.community_ids.includes(communityId));
}

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { api, type Community, type Me, type Person, type Ref } from './api.ts';

/** The signed-in person, and the organization data every page needs (communities, people, teams). */

const WORKER_ROLES = new Set(['leader', 'manager', 'backup', 'approver']);

export interface Session {
  me: Me;
  /** May change cases and answer (not only read them). */
  canWork: boolean;
  signOut(): void;
}

export interface Reference {
  communities: Community[] | null;
  people: Person[] | null;
  teams: Ref[] | null;
}

const SessionContext = createContext<Session | null>(null);
const ReferenceContext = createContext<Reference>({ communities: null, people: null, teams: null });

export function canWorkCases(role: string): boolean {
  return WORKER_ROLES.has(role);
}

export function SessionProvider(props: { me: Me; signOut(): void; children: ReactNode }) {
  const { me, signOut } = props;
  const [reference, setReference] = useState<Reference>({ communities: null, people: null, teams: null });
  useEffect(() => {
    const ac = new AbortController();
    // Pages work without these lists (fewer choices in selects) if one of them fails to load.
    const load = <K extends keyof Reference>(key: K, fetcher: (s: AbortSignal) => Promise<Reference[K]>) =>
      fetcher(ac.signal).then(
        (value) => setReference((r) => ({ ...r, [key]: value })),
        () => {},
      );
    void load('communities', api.communities);
    void load('people', api.people);
    void load('teams', api.teams);
    return () => ac.abort();
  }, []);
  return (
    <SessionContext.Provider value={{ me, canWork: canWorkCases(me.role), signOut }}>
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

/** People who may be assigned a case of this community. */
export function assignablePeople(people: Person[] | null, communityId: number | undefined): Person[] {
  if (!people || communityId === undefined) return [];
  return people.filter((p) => WORKER_ROLES.has(p.role) && p.community_ids.includes(communityId));
}

import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { ApiError, api, EVENTS_URL, type RealtimeEvent } from '../api.ts';

/**
 * One Server-Sent Events connection for the whole app. Components subscribe to its events; after a
 * reconnection they receive `resync`, since events may have been missed in between.
 */

export type LiveState = 'connecting' | 'live' | 'reconnecting';
export type LiveMessage = RealtimeEvent | { type: 'resync' };
type Listener = (m: LiveMessage) => void;

interface Realtime {
  state: LiveState;
  subscribe(listener: Listener): () => void;
}

const RealtimeContext = createContext<Realtime | null>(null);

const MAX_BACKOFF_MS = 30_000;

function parse(data: unknown): RealtimeEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const v = JSON.parse(data) as Partial<RealtimeEvent>;
    if (typeof v.type === 'string' && typeof v.case_id === 'number') return v as RealtimeEvent;
  } catch {
    // A malformed line is ignored; the next change brings a fresh state anyway.
  }
  return null;
}

export function RealtimeProvider(props: { children: ReactNode; onSignedOut: () => void }) {
  const [state, setState] = useState<LiveState>('connecting');
  const listeners = useRef(new Set<Listener>());
  const signedOut = useRef(props.onSignedOut);
  signedOut.current = props.onSignedOut;
  const [realtime] = useState<Omit<Realtime, 'state'>>(() => ({
    subscribe(listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }));

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let backoff = 2000;
    let wasDown = false;
    let stopped = false;
    const emit = (m: LiveMessage) => {
      for (const l of listeners.current) l(m);
    };
    const connect = () => {
      if (stopped) return;
      source = new EventSource(EVENTS_URL, { withCredentials: true });
      source.onopen = () => {
        setState('live');
        backoff = 2000;
        if (wasDown) emit({ type: 'resync' });
        wasDown = false;
      };
      source.onmessage = (e) => {
        const ev = parse(e.data);
        if (ev) emit(ev);
      };
      source.onerror = () => {
        wasDown = true;
        setState('reconnecting');
        if (source?.readyState !== EventSource.CLOSED) return; // the browser retries on its own
        source.close();
        // Closed for good by the browser: an HTTP error. Signed out? Else retry with a growing delay.
        api.me().then(
          () => {
            retry = setTimeout(connect, backoff);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
          },
          (err: unknown) => {
            if (err instanceof ApiError && err.status === 401) signedOut.current();
            else {
              retry = setTimeout(connect, backoff);
              backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
          },
        );
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, []);

  return <RealtimeContext.Provider value={{ state, ...realtime }}>{props.children}</RealtimeContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(RealtimeContext)?.state ?? 'connecting';
}

/** Calls `handler` for every live event (its latest version: no need to memoize it). */
export function useRealtime(handler: Listener): void {
  const ctx = useContext(RealtimeContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!ctx) return;
    return ctx.subscribe((m) => ref.current(m));
  }, [ctx]);
}

/** Runs `fn` at most once per `ms` burst: the last call wins, `ms` after the first. */
export function useDebounced(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const [call] = useState(() => () => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      ref.current();
    }, ms);
  });
  return call;
}

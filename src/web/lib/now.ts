import { useSyncExternalStore } from 'react';

/** One shared clock for every countdown on screen, ticking each second while someone listens. */

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    for (const l of listeners) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * The current time; the component re-renders only when it enters a new `granularityMs` slice (e.g. each
 * minute for "5 min ago"), but always reads the real clock.
 */
export function useNow(granularityMs = 1000): number {
  const slice = () => Math.floor(Date.now() / granularityMs);
  useSyncExternalStore(subscribe, slice, slice);
  return Date.now();
}

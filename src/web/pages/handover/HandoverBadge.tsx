import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { useI18n } from '../../i18n/context.tsx';
import { useDebounced, useRealtime } from '../../lib/realtime.tsx';
import { handoverApi } from './handover-api.ts';

/** Fired by the Handover page after a change (publish, acknowledge), so the badge counts again. */
export const HANDOVER_CHANGED = 'passeur:handover-changed';

/** The number of handover briefs waiting for the signed-in person's acknowledgement, beside the nav entry. */
export function HandoverBadge() {
  const { t, fmt } = useI18n();
  const [n, setN] = useState(0);
  const load = useCallback((signal?: AbortSignal) => {
    handoverApi.list({ limit: 1 }, signal).then(
      (r) => setN(r.awaiting),
      (err: unknown) => {
        if (!isAbort(err)) setN(0);
      },
    );
  }, []);
  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal);
    return () => ac.abort();
  }, [load]);
  const refresh = useDebounced(() => load(), 300);
  useEffect(() => {
    window.addEventListener(HANDOVER_CHANGED, refresh);
    return () => window.removeEventListener(HANDOVER_CHANGED, refresh);
  }, [refresh]);
  // A published brief notifies the next shift: their badge follows.
  useRealtime((m) => {
    if (m.type === 'notification.created' || m.type === 'resync') refresh();
  });
  if (n === 0) return null;
  return (
    <span className="view-count handover-badge" data-count={n} data-testid="handover-badge">
      <span aria-hidden="true">{fmt.number(n)}</span>
      <span className="visually-hidden">{t('handover.awaitingCount', { n })}</span>
    </span>
  );
}

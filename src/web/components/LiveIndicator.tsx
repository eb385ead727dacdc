import { useI18n } from '../i18n/context.tsx';
import { useLiveState } from '../lib/realtime.tsx';

export function LiveIndicator() {
  const { t } = useI18n();
  const state = useLiveState();
  const label =
    state === 'live' ? t('live.live') : state === 'connecting' ? t('live.connecting') : t('live.reconnecting');
  return (
    <span
      className={`live live-${state}`}
      role="status"
      data-live={state}
      title={state === 'live' ? t('live.liveHint') : t('live.offlineHint')}
    >
      <span className="live-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

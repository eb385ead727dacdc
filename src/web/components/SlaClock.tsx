import type { CaseSummary } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';
import { formatSla } from '../i18n/index.ts';
import { useNow } from '../lib/now.ts';
import { slaClock } from '../lib/time.ts';

/** Time left to the first response: green, amber under 30 min, red once late; "replied" once answered. */
export function SlaClock(props: {
  c: Pick<CaseSummary, 'first_response_due_at' | 'first_responded_at'>;
  long?: boolean;
}) {
  const { t, fmt } = useI18n();
  const now = useNow(1000);
  const clock = slaClock(props.c, now);
  const text = formatSla(t, clock, fmt.duration);
  const due = clock.due ? t('sla.due', { date: fmt.dateTime(clock.due.toISOString()) }) : '';
  return (
    <span className={`sla sla-${clock.state}`} title={due ? `${text.long} · ${due}` : text.long} data-sla={clock.state}>
      <span aria-hidden="true">{props.long ? text.long : text.short}</span>
      <span className="visually-hidden">{text.long}</span>
    </span>
  );
}

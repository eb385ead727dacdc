import type { CaseSummary } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';
import { formatSla } from '../i18n/index.ts';
import { useNow } from '../lib/now.ts';
import { SLA_WARN_MS, slaClock } from '../lib/time.ts';

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

/**
 * Another SLA clock of a case (next response, resolution): time left until `due`, amber under 30 min, red
 * once late; "paused" while the case waits for the customer.
 */
export function DueClock(props: { label: string; due: string | null | undefined; paused?: boolean; clock: string }) {
  const { t, fmt } = useI18n();
  const now = useNow(1000);
  if (!props.due) return null;
  const due = Date.parse(props.due);
  if (Number.isNaN(due)) return null;
  const labelled = (value: string) => t('common.labelled', { label: props.label, value });
  let state: string;
  let text: string;
  if (props.paused) {
    state = 'paused';
    text = labelled(t('sla.paused'));
  } else if (due <= now) {
    state = 'breached';
    text = labelled(t('sla.breached', { time: fmt.duration(now - due) }));
  } else {
    state = due - now < SLA_WARN_MS ? 'warn' : 'ok';
    text = labelled(t('sla.left', { time: fmt.duration(due - now) }));
  }
  return (
    <span
      className={`sla sla-${state}`}
      title={`${text} · ${t('sla.due', { date: fmt.dateTime(props.due) })}`}
      data-sla={state}
      data-clock={props.clock}
    >
      {text}
    </span>
  );
}

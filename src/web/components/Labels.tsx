import type { Priority, Urgency } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';
import { labelFor } from '../i18n/index.ts';

/** Small visual labels: triage chips, urgency and priority badges, status pills. Text only, never markup. */

export function Chip(props: { kind: string; value: string; title?: string | undefined; children: string }) {
  return (
    <span className={`chip chip-${props.kind} chip-${props.kind}-${props.value}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function SentimentChip(props: { value: string | null; title?: string | undefined }) {
  const { t } = useI18n();
  if (!props.value) return null;
  return (
    <Chip kind="sentiment" value={props.value} title={props.title ?? t('label.sentiment')}>
      {labelFor(t, 'sentiment', props.value)}
    </Chip>
  );
}

export function IntentChip(props: { value: string | null; title?: string | undefined }) {
  const { t } = useI18n();
  if (!props.value) return null;
  return (
    <Chip kind="intent" value={props.value} title={props.title ?? t('label.intent')}>
      {labelFor(t, 'intent', props.value)}
    </Chip>
  );
}

export function TopicChip(props: { value: string; title?: string | undefined }) {
  const { t } = useI18n();
  return (
    <Chip kind="topic" value="any" title={props.title ?? t('label.topics')}>
      {labelFor(t, 'topic', props.value)}
    </Chip>
  );
}

export function LanguageChip(props: { value: string | null; title?: string | undefined }) {
  const { fmt, t } = useI18n();
  if (!props.value) return null;
  return (
    <span
      className="chip chip-lang"
      title={props.title ?? t('common.labelled', { label: t('label.language'), value: fmt.language(props.value) })}
    >
      {props.value.toUpperCase()}
    </span>
  );
}

/** Urgency is shown only when it stands out (high, critical); `always` shows it anyway. */
export function UrgencyBadge(props: { value: Urgency | string | null; always?: boolean; title?: string | undefined }) {
  const { t } = useI18n();
  if (!props.value || (!props.always && (props.value === 'normal' || props.value === 'low'))) return null;
  return (
    <span className={`badge badge-urgency-${props.value}`} title={props.title}>
      {labelFor(t, 'badge.urgency', props.value)}
    </span>
  );
}

export function PriorityBadge(props: { value: Priority | string; always?: boolean }) {
  const { t } = useI18n();
  if (!props.always && (props.value === 'normal' || props.value === 'low')) return null;
  return <span className={`badge badge-priority-${props.value}`}>{labelFor(t, 'badge.priority', props.value)}</span>;
}

export function StatusPill(props: { value: string }) {
  const { t } = useI18n();
  return <span className={`pill pill-${props.value}`}>{labelFor(t, 'status', props.value)}</span>;
}

import type { Ref } from 'react';
import type { CaseSummary, Highlight } from '../../api.ts';
import { Highlighted } from '../../components/Highlighted.tsx';
import {
  IntentChip,
  LanguageChip,
  PriorityBadge,
  SentimentChip,
  StatusPill,
  TopicChip,
  UrgencyBadge,
} from '../../components/Labels.tsx';
import { Link } from '../../components/Link.tsx';
import { SlaClock } from '../../components/SlaClock.tsx';
import { useI18n } from '../../i18n/context.tsx';

/** Subjects are whole customer texts: one line is enough in the list (the rest is cut by CSS). */
export function excerpt(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function CaseRow(props: {
  c: CaseSummary;
  selected: boolean;
  fresh: boolean;
  now: number;
  linkRef: Ref<HTMLAnchorElement>;
  onSelect(): void;
  /** Selected for a bulk action (undefined: no selection box). */
  checked?: boolean | undefined;
  onCheck?(): void;
}) {
  const { t, fmt } = useI18n();
  const { c } = props;
  const waitingSince = c.last_inbound_at ?? c.created_at;
  const age = (ms: number) => (ms < 60_000 ? t('inbox.justNow') : fmt.duration(ms));
  const cls = ['case-row'];
  if (props.selected) cls.push('is-selected');
  if (props.fresh) cls.push('is-new');
  if (c.status === 'new') cls.push('is-unread');
  if (props.checked) cls.push('is-checked');
  // Found by the customer's name or handle: the marks go there, the subject stays as it is.
  const byContact = c.highlight?.field === 'contact' ? c.highlight : null;
  return (
    <li
      className={cls.join(' ')}
      data-case-id={c.id}
      data-selected={props.selected || undefined}
      data-checked={props.checked || undefined}
    >
      {props.checked !== undefined && (
        <label className="row-check">
          <input
            type="checkbox"
            checked={props.checked}
            onChange={() => props.onCheck?.()}
            tabIndex={props.selected ? 0 : -1}
            aria-label={t('bulk.selectCase', { id: c.id })}
          />
        </label>
      )}
      <Link
        ref={props.linkRef}
        href={`/cases/${c.id}`}
        className="case-link"
        tabIndex={props.selected ? 0 : -1}
        onFocus={props.onSelect}
        data-priority={c.priority}
      >
        <span className={`prio-bar prio-${c.priority}`} aria-hidden="true" />
        <span className="case-who">
          <span className="case-name">
            <MaybeHighlighted text={c.contact.name || c.contact.handle || '?'} h={byContact} />
          </span>
          {c.contact.handle && (
            <span className="case-handle">
              <MaybeHighlighted text={c.contact.handle} h={byContact} />
            </span>
          )}
          <span className="case-where">{c.community?.name ?? ''}</span>
        </span>
        <span className="case-main">
          {c.highlight && !byContact ? (
            <span className="case-subject case-highlight" data-testid="highlight">
              <Highlighted text={c.highlight.text} matches={c.highlight.matches} />
            </span>
          ) : (
            <span className="case-subject">{excerpt(c.subject)}</span>
          )}
          <span className="case-chips">
            {c.status !== 'new' && c.status !== 'open' && <StatusPill value={c.status} />}
            <UrgencyBadge value={c.urgency} />
            <PriorityBadge value={c.priority} />
            <SentimentChip value={c.sentiment} />
            <IntentChip value={c.intent} />
            {c.topics.slice(0, 3).map((topic) => (
              <TopicChip key={topic} value={topic} />
            ))}
            <LanguageChip value={c.language} />
            {c.message_count > 1 && (
              <span className="case-count">{t('inbox.messages', { n: fmt.number(c.message_count) })}</span>
            )}
          </span>
        </span>
        <span className="case-assignee">
          {c.assignee ? c.assignee.name : <span className="muted">{t('inbox.unassigned')}</span>}
        </span>
        <span className="case-sla">
          <SlaClock c={c} />
        </span>
        <span className="case-age" title={t('inbox.lastActivity', { date: fmt.dateTime(waitingSince) })}>
          <time dateTime={waitingSince}>{age(props.now - Date.parse(waitingSince))}</time>
        </span>
      </Link>
    </li>
  );
}

/** The text with the search marks when the highlight is about this very text (a name, a handle). */
function MaybeHighlighted(props: { text: string; h: Highlight | null }) {
  if (!props.h || props.h.text !== props.text) return <>{props.text}</>;
  return (
    <span className="case-highlight" data-testid="highlight">
      <Highlighted text={props.h.text} matches={props.h.matches} />
    </span>
  );
}

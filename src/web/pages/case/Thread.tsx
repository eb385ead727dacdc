import { Fragment, useState } from 'react';
import {
  api,
  type Explanation,
  INTENTS,
  type Message,
  SENTIMENTS,
  TOPICS,
  type TriageCorrection,
  type TriageField,
} from '../../api.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Chip } from '../../components/Labels.tsx';
import { Link } from '../../components/Link.tsx';
import { MenuButton, type MenuItem } from '../../components/MenuButton.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor, type MessageKey } from '../../i18n/index.ts';
import { useNow } from '../../lib/now.ts';
import { secondsLeft } from '../../lib/time.ts';
import { safeHttpUrl } from '../../lib/url.ts';
import { useReference, useSession } from '../../session.tsx';

/**
 * The conversation, oldest first: the customer on the left, the brand on the right, internal notes apart.
 * Everything a customer wrote is rendered as text (React escapes it); links are shown, never followed.
 */
export function Thread(props: { messages: Message[]; onUndone(m: Message): void; onChanged(): void }) {
  const { t } = useI18n();
  return (
    <ol className="thread" aria-label={t('case.thread')}>
      {props.messages.map((m) => (
        <MessageItem key={m.id} m={m} onUndone={props.onUndone} onChanged={props.onChanged} />
      ))}
    </ol>
  );
}

function MessageItem(props: { m: Message; onUndone(m: Message): void; onChanged(): void }) {
  const { m } = props;
  const { t, fmt } = useI18n();
  const now = useNow(60_000);
  const { me, isLeader } = useSession();
  const side = m.direction === 'in' ? 'customer' : m.direction === 'out' ? 'brand' : 'note';
  const kind = KNOWN_KINDS.has(m.kind) ? t(`msg.kind.${m.kind}` as MessageKey) : m.kind;
  return (
    <li
      className={`msg msg-${side}${m.visibility === 'private' ? ' msg-private' : ''}`}
      data-message-id={m.id}
      data-direction={m.direction}
    >
      <article aria-label={headline(t, m)}>
        <header className="msg-head">
          {side === 'customer' && (
            <>
              <span className="msg-author">{m.author.name || m.author.handle}</span>
              {m.author.name && <span className="msg-handle">{m.author.handle}</span>}
            </>
          )}
          {side === 'brand' && (
            <>
              <span className="msg-author">{m.author.handle}</span>
              {m.person && <span className="msg-handle">{t('msg.by', { name: m.person.name })}</span>}
              {m.visibility === 'private' && (
                <span className="badge badge-private" data-visibility="private">
                  {t('msg.private')}
                </span>
              )}
            </>
          )}
          {side === 'note' && (
            <span className="msg-author">{t('msg.noteBy', { name: m.person?.name ?? m.author.name ?? '' })}</span>
          )}
          <span className="msg-meta">
            {side !== 'note' && <span className="msg-kind">{kind}</span>}
            <time dateTime={m.created_at} title={fmt.dateTime(m.created_at)}>
              {fmt.relative(m.created_at, Math.max(now, Date.parse(m.created_at) || now))}
            </time>
          </span>
        </header>
        <div className="msg-text">{m.text}</div>
        {m.url && <OriginalLink url={m.url} />}
        {m.triage && <TriageLine m={m} onChanged={props.onChanged} />}
        {m.delivery && <DeliveryState m={m} onUndone={props.onUndone} onChanged={props.onChanged} />}
        {isLeader && side === 'brand' && m.kind === 'reply' && m.person && m.person.id !== me.id && (
          <Link href={`/quality/replies/${m.id}`} className="msg-review" data-action="qa-review">
            {t('quality.reviewThis')}
          </Link>
        )}
      </article>
    </li>
  );
}

const KNOWN_KINDS = new Set(['post', 'reply', 'dm', 'email', 'article', 'mention', 'note', 'auto_ack']);

function headline(t: ReturnType<typeof useI18n>['t'], m: Message): string {
  if (m.direction === 'in')
    return t('common.labelled', { label: t('msg.customer'), value: m.author.name || m.author.handle });
  if (m.direction === 'out')
    return m.visibility === 'private'
      ? t('msg.brandPrivate', { handle: m.author.handle })
      : t('msg.brand', { handle: m.author.handle });
  return t('msg.note');
}

/** The message on its network: a link only for plain http(s), always with the address visible. */
function OriginalLink(props: { url: string }) {
  const { t } = useI18n();
  const safe = safeHttpUrl(props.url);
  return (
    <p className="msg-url">
      {safe ? (
        <a href={safe} target="_blank" rel="noopener noreferrer nofollow" title={t('msg.openOriginal')}>
          {props.url}
        </a>
      ) : (
        <span className="url-text">{props.url}</span>
      )}
      <CopyButton text={props.url} label={t('msg.copyLink')} />
    </p>
  );
}

function confidenceTitle(
  t: ReturnType<typeof useI18n>['t'],
  pct: (x: number) => string,
  label: string,
  e?: Explanation,
) {
  if (!e) return label;
  const parts = [t('triage.chipTitle', { label, confidence: t('triage.confidence', { value: pct(e.confidence) }) })];
  if (e.features.length > 0)
    parts.push(t('common.labelled', { label: t('triage.signals'), value: e.features.join(', ') }));
  return parts.join(' — ');
}

/** Languages offered when correcting the detected one (the communities' languages first). */
const CORRECTION_LANGUAGES = ['fr', 'de', 'it', 'en', 'es', 'pt', 'nl', 'rm'];

/**
 * The labels triage gave this message, each with its confidence on hover, and the full "why" on demand.
 * People who work the case can correct each label from its chip (a menu); the model learns from it.
 */
function TriageLine(props: { m: Message; onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { teams, people } = useReference();
  const { me, canWork } = useSession();
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const tr = props.m.triage!;
  const ex = tr.explain;
  const pct = fmt.percent;
  const corrected = tr.corrected ?? {};
  const teamName = (slug: string) => teams?.find((x) => x.slug === slug)?.name ?? slug.replaceAll('_', ' ');

  const correct = async (c: TriageCorrection, field: TriageField) => {
    // One correction at a time (the button stays focusable meanwhile: disabling it would drop the focus).
    if (busy) return;
    setBusy(true);
    try {
      await api.correctTriage(props.m.id, c);
      notify(t('triage.correctedToast', { field: t(FIELD_LABEL[field]) }));
      props.onChanged();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  /** "corrected by you" / "corrected by Marie" for a field, or null. */
  const correctedBy = (field: TriageField): string | null => {
    const c = corrected[field];
    if (!c) return null;
    if (c.by === me.id) return t('triage.correctedByYou');
    const who = people?.find((p) => p.id === c.by)?.name;
    return who ? t('triage.correctedBy', { name: who }) : t('triage.correctedBySomeone');
  };

  const chip = (
    field: TriageField,
    kind: string,
    value: string,
    text: string,
    title: string,
    items: MenuItem[],
    onSelect: (v: string) => void,
    multiple = false,
  ) => {
    const by = correctedBy(field);
    const cls = `chip chip-${kind} chip-${kind}-${value}${by ? ' is-corrected' : ''}`;
    const fullTitle = by ? `${title} — ${by}` : title;
    if (!canWork) {
      return (
        <span className={cls} title={fullTitle} data-field={field}>
          {text}
          {by && <CorrectedMark label={by} />}
        </span>
      );
    }
    return (
      <MenuButton
        className={`${cls} chip-button`}
        title={fullTitle}
        label={t('triage.correctLabel', { field: t(FIELD_LABEL[field]), value: text })}
        items={items}
        multiple={multiple}
        onSelect={onSelect}
        testId={`correct-${field}`}
      >
        {text}
        {by && <CorrectedMark label={by} />}
        <span className="chip-caret" aria-hidden="true">
          ▾
        </span>
      </MenuButton>
    );
  };

  const langs = [...new Set([...(tr.lang ? [tr.lang] : []), ...CORRECTION_LANGUAGES])];
  const toggleTopic = (topic: string) => {
    const next = tr.topics.includes(topic) ? tr.topics.filter((x) => x !== topic) : [...tr.topics, topic];
    void correct({ topics: next }, 'topics');
  };
  const topicItems = TOPICS.map((x) => ({ value: x, label: labelFor(t, 'topic', x), checked: tr.topics.includes(x) }));
  const correctedFields = (Object.keys(FIELD_LABEL) as TriageField[]).filter((f) => corrected[f]);
  const mine = correctedFields.filter((f) => corrected[f]?.by === me.id);

  return (
    <div className="triage">
      <div className="triage-chips">
        {chip(
          'lang',
          'lang',
          tr.lang ?? 'und',
          tr.lang ? tr.lang.toUpperCase() : '?',
          confidenceTitle(t, pct, fmt.language(tr.lang), ex?.lang),
          langs.map((l) => ({ value: l, label: `${l.toUpperCase()} · ${fmt.language(l)}`, checked: l === tr.lang })),
          (v) => v !== tr.lang && void correct({ lang: v }, 'lang'),
        )}
        {chip(
          'sentiment',
          'sentiment',
          tr.sentiment ?? 'none',
          tr.sentiment ? labelFor(t, 'sentiment', tr.sentiment) : t('triage.noValue', { field: t('label.sentiment') }),
          confidenceTitle(t, pct, t('label.sentiment'), ex?.sentiment),
          SENTIMENTS.map((x) => ({ value: x, label: labelFor(t, 'sentiment', x), checked: x === tr.sentiment })),
          (v) => v !== tr.sentiment && void correct({ sentiment: v }, 'sentiment'),
        )}
        {chip(
          'intent',
          'intent',
          tr.intent ?? 'none',
          tr.intent ? labelFor(t, 'intent', tr.intent) : t('triage.noValue', { field: t('label.intent') }),
          confidenceTitle(t, pct, t('label.intent'), ex?.intent),
          INTENTS.map((x) => ({ value: x, label: labelFor(t, 'intent', x), checked: x === tr.intent })),
          (v) => v !== tr.intent && void correct({ intent: v }, 'intent'),
        )}
        {tr.topics.length === 0
          ? chip(
              'topics',
              'topic',
              'any',
              t('triage.noValue', { field: t('label.topics') }),
              t('label.topics'),
              topicItems,
              toggleTopic,
              true,
            )
          : tr.topics.map((topic) => (
              <Fragment key={topic}>
                {chip(
                  'topics',
                  'topic',
                  'any',
                  labelFor(t, 'topic', topic),
                  confidenceTitle(
                    t,
                    pct,
                    t('label.topics'),
                    ex?.topics?.find((x) => x.topic === topic),
                  ),
                  topicItems,
                  toggleTopic,
                  true,
                )}
              </Fragment>
            ))}
        {(tr.team || canWork) &&
          chip(
            'team',
            'team',
            'any',
            tr.team
              ? t('triage.teamChip', { team: teamName(tr.team) })
              : t('triage.noValue', { field: t('triage.team') }),
            confidenceTitle(t, pct, t('triage.team'), ex?.team),
            (teams ?? []).map((x) => ({ value: x.slug, label: x.name, checked: x.slug === tr.team })),
            (v) => v !== tr.team && void correct({ team: v }, 'team'),
          )}
        {tr.urgency && (
          <Chip kind="urgency" value={tr.urgency} title={confidenceTitle(t, pct, t('label.urgency'), ex?.urgency)}>
            {labelFor(t, 'badge.urgency', tr.urgency)}
          </Chip>
        )}
        {tr.sensitive.map((s) => (
          <Chip key={s} kind="sensitive" value="any" title={t('triage.sensitive')}>
            {labelFor(t, 'sensitive', s)}
          </Chip>
        ))}
      </div>
      {correctedFields.length > 0 && (
        <p className="triage-corrected small" data-testid="triage-corrected">
          {mine.length > 0 && (
            <span>
              {t('triage.correctedFields', {
                who: t('triage.correctedByYou'),
                fields: fmt.list(mine.map((f) => t(FIELD_LABEL[f]).toLowerCase())),
              })}
            </span>
          )}
          {correctedFields.length > mine.length && (
            <span>
              {' '}
              {fmt.list(
                correctedFields
                  .filter((f) => corrected[f]?.by !== me.id)
                  .map((f) => `${t(FIELD_LABEL[f])} (${correctedBy(f) ?? ''})`),
              )}
            </span>
          )}
        </p>
      )}
      <details className="triage-why">
        <summary>{t('triage.why')}</summary>
        {ex ? (
          <dl className="why-list">
            <WhyRow label={t('label.language')} value={fmt.language(tr.lang)} e={ex.lang} />
            {tr.sentiment && (
              <WhyRow
                label={t('label.sentiment')}
                value={`${labelFor(t, 'sentiment', tr.sentiment)}${
                  tr.sentiment_score !== null
                    ? ` (${t('triage.score', { value: fmt.number(tr.sentiment_score) })})`
                    : ''
                }`}
                e={ex.sentiment}
              />
            )}
            {tr.intent && <WhyRow label={t('label.intent')} value={labelFor(t, 'intent', tr.intent)} e={ex.intent} />}
            {(ex.topics ?? []).map((x) => (
              <WhyRow key={x.topic} label={t('label.topics')} value={labelFor(t, 'topic', x.topic)} e={x} />
            ))}
            {tr.urgency && (
              <WhyRow label={t('label.urgency')} value={labelFor(t, 'urgency', tr.urgency)} e={ex.urgency} />
            )}
            {tr.team && <WhyRow label={t('triage.team')} value={teamName(tr.team)} e={ex.team} />}
            {Object.entries(ex.sensitive ?? {}).map(([flag, terms]) => (
              <WhyRow
                key={flag}
                label={t('triage.sensitive')}
                value={labelFor(t, 'sensitive', flag)}
                e={{ confidence: Number.NaN, features: terms }}
              />
            ))}
          </dl>
        ) : (
          <p className="muted">{t('triage.noExplain')}</p>
        )}
        {tr.model && <p className="muted small">{t('triage.model', { model: tr.model })}</p>}
      </details>
    </div>
  );
}

const FIELD_LABEL: Record<TriageField, MessageKey> = {
  lang: 'label.language',
  sentiment: 'label.sentiment',
  intent: 'label.intent',
  topics: 'label.topics',
  team: 'triage.team',
};

function CorrectedMark(props: { label: string }) {
  return (
    <span className="chip-corrected" title={props.label}>
      <span aria-hidden="true">✎</span>
      <span className="visually-hidden">{props.label}</span>
    </span>
  );
}

function WhyRow(props: { label: string; value: string; e: Explanation | undefined }) {
  const { t, fmt } = useI18n();
  const e = props.e;
  return (
    <div className="why-row">
      <dt>{props.label}</dt>
      <dd>
        <strong>{props.value}</strong>
        {e && Number.isFinite(e.confidence) && (
          <span className="why-conf">
            <span className="conf-bar" aria-hidden="true">
              <span style={{ width: `${Math.round(Math.max(0, Math.min(1, e.confidence)) * 100)}%` }} />
            </span>
            {t('triage.confidence', { value: fmt.percent(e.confidence) })}
          </span>
        )}
        <span className="why-features">
          {e && e.features.length > 0 ? (
            e.features.map((f) => (
              <span key={f} className="feature">
                {f}
              </span>
            ))
          ) : (
            <span className="muted">{t('triage.noSignals')}</span>
          )}
        </span>
      </dd>
    </div>
  );
}

/** Where a reply stands: a countdown with Undo during the send delay, then sent, failed or cancelled. */
function DeliveryState(props: { m: Message; onUndone(m: Message): void; onChanged(): void }) {
  const { m } = props;
  const d = m.delivery!;
  const { t, fmt } = useI18n();
  const { canWork } = useSession();
  const notify = useToast();
  const now = useNow(1000);
  const [busy, setBusy] = useState(false);
  const left = secondsLeft(d.send_at, now);

  const undo = async () => {
    setBusy(true);
    try {
      await api.undo(m.id);
      notify(t('delivery.undone'));
      props.onUndone(m);
    } catch (err) {
      notify(errorMessage(t, err), 'error');
      props.onChanged();
    } finally {
      setBusy(false);
    }
  };

  let body: string;
  switch (d.status) {
    case 'pending':
      body =
        left > 0
          ? t('delivery.pending', { s: left })
          : d.error
            ? t('delivery.retrying', { error: d.error })
            : t('delivery.pendingDue');
      break;
    case 'sending':
      body = t('delivery.sending');
      break;
    case 'sent':
      body = t('delivery.sent', { time: fmt.time(d.sent_at ?? m.created_at) });
      break;
    case 'failed':
      body = t('delivery.failed', { error: d.error ?? '' });
      break;
    case 'cancelled':
      body = t('delivery.cancelled');
      break;
    default:
      body = String(d.status);
  }
  return (
    <div className={`delivery delivery-${d.status}`} data-delivery={d.status}>
      <span className="delivery-dot" aria-hidden="true" />
      <span className="delivery-text" title={d.sent_at ? fmt.dateTime(d.sent_at) : undefined}>
        {body}
      </span>
      {d.status === 'pending' && left > 0 && canWork && (
        <button
          type="button"
          className="btn btn-small btn-undo"
          onClick={() => void undo()}
          disabled={busy}
          aria-label={t('delivery.undoLabel')}
        >
          {t('delivery.undo')}
        </button>
      )}
    </div>
  );
}

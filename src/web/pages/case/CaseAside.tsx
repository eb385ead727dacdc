import type { CaseDetail, CaseEvent } from '../../api.ts';
import { useI18n } from '../../i18n/context.tsx';
import { labelFor, type MessageKey, type Translate } from '../../i18n/index.ts';

/** "Why here": the routing rule and the reasons it gave when the case was created. */
export function RoutingPanel(props: { c: CaseDetail }) {
  const { t } = useI18n();
  const r = props.c.routing;
  const reasons = r?.reasons ?? [];
  return (
    <section className="panel" aria-labelledby="routing-title">
      <h2 id="routing-title" className="panel-title">
        {t('routing.title')}
      </h2>
      {!r || (!r.rule && reasons.length === 0 && !r.community) ? (
        <p className="muted small">{t('routing.none')}</p>
      ) : (
        <>
          {r.rule && (
            <p className="small">
              {t('routing.rule', { rule: r.rule === 'default' ? t('routing.ruleDefault') : r.rule })}
            </p>
          )}
          <ul className="reasons">
            {r.community && <li>{t('routing.community', { reason: r.community })}</li>}
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const FIELD_LABELS: Record<string, MessageKey> = {
  status: 'label.status',
  priority: 'label.priority',
  assignee_id: 'label.assignee',
  team_id: 'label.team',
  tags: 'label.tags',
};

function eventText(t: Translate, list: (items: string[]) => string, e: CaseEvent): string {
  const actor = e.actor?.name ?? t('common.system');
  switch (e.kind) {
    case 'created':
      return t('event.created');
    case 'updated': {
      const fields = Object.keys(e.data ?? {}).map((f) => {
        const key = FIELD_LABELS[f];
        return key ? t(key).toLowerCase() : f;
      });
      return t('event.updated', { actor, fields: list(fields) });
    }
    case 'replied':
      return t('event.replied', { actor });
    case 'reply_undone':
      return t('event.reply_undone', { actor });
    case 'reopened':
      return t('event.reopened');
    default:
      return t('event.other', { actor, kind: e.kind.replaceAll('_', ' ') });
  }
}

export function ActivityPanel(props: { events: CaseEvent[] }) {
  const { t, fmt } = useI18n();
  const events = props.events.slice(-12).reverse();
  if (events.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="activity-title">
      <h2 id="activity-title" className="panel-title">
        {t('activity.title')}
      </h2>
      <ol className="activity">
        {events.map((e) => (
          <li key={e.id}>
            <span>{eventText(t, fmt.list, e)}</span>
            <time className="muted" dateTime={e.at} title={fmt.dateTime(e.at)}>
              {fmt.dateTime(e.at)}
            </time>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Facts of the case that are not controls: community, channel, language, dates. */
export function DetailsPanel(props: { c: CaseDetail }) {
  const { t, fmt } = useI18n();
  const c = props.c;
  return (
    <section className="panel" aria-labelledby="details-title">
      <h2 id="details-title" className="panel-title">
        {t('case.details')}
      </h2>
      <dl className="facts">
        <dt>{t('label.community')}</dt>
        <dd>{c.community?.name ?? t('common.none')}</dd>
        <dt>{t('label.channel')}</dt>
        <dd>{c.channel}</dd>
        <dt>{t('label.language')}</dt>
        <dd>{c.language ? fmt.language(c.language) : t('common.none')}</dd>
        <dt>{t('label.urgency')}</dt>
        <dd>{labelFor(t, 'urgency', c.urgency)}</dd>
        <dt>{t('label.tags')}</dt>
        <dd>{c.tags.length > 0 ? c.tags.join(', ') : t('common.none')}</dd>
      </dl>
      <p className="small muted">
        {t('case.opened', { date: fmt.dateTime(c.created_at) })}
        {c.reopened_count > 0 ? ` · ${t('case.reopenedCount', { n: c.reopened_count })}` : ''}
      </p>
    </section>
  );
}

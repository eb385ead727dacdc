import type { CaseDetail, CaseEvent } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { labelFor, type MessageKey, type Translate } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';

/**
 * "Why here": the community the message reached and why, every routing rule that matched with its reasons,
 * the policy version that decided, and how the assignee was chosen.
 */
export function RoutingPanel(props: { c: CaseDetail }) {
  const { t } = useI18n();
  const { isLeader } = useSession();
  const r = props.c.routing;
  const matched =
    r?.matched && r.matched.length > 0
      ? r.matched
      : r?.rule
        ? [{ rule: r.rule, rule_id: r.rule_id ?? '', reasons: r.reasons ?? [] }]
        : [];
  const empty = !r || (matched.length === 0 && !r.community && !r.assignment);
  return (
    <section className="panel" aria-labelledby="routing-title" data-testid="routing-panel">
      <h2 id="routing-title" className="panel-title">
        {t('routing.title')}
      </h2>
      {empty ? (
        <p className="muted small">{t('routing.none')}</p>
      ) : (
        <>
          {r.community && <p className="small">{t('routing.community', { reason: r.community })}</p>}
          {matched.length > 0 && (
            <ol className="matched-rules">
              {matched.map((m) => (
                <li key={`${m.rule_id}:${m.rule}`} data-rule-id={m.rule_id}>
                  <span className="small">
                    {t('routing.rule', {
                      rule: m.rule_id === 'default' && !m.rule ? t('routing.ruleDefault') : m.rule,
                    })}
                  </span>
                  {m.reasons.length > 0 && (
                    <ul className="reasons">
                      {m.reasons.map((reason) => (
                        <li key={reason}>{reason}</li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          )}
          {r.assignment && (
            <p className="small" data-testid="routing-assignment">
              {t('routing.assignment', { text: r.assignment })}
            </p>
          )}
          {r.reassign_after_minutes !== undefined && (
            <p className="small muted">{t('routing.reassignAfter', { n: r.reassign_after_minutes })}</p>
          )}
          {r.policy_version !== undefined && (
            <p className="small muted" data-testid="routing-version">
              {r.policy_version === 0 ? t('routing.builtIn') : t('routing.version', { v: r.policy_version })}
              {isLeader && (
                <>
                  {' · '}
                  <Link href="/admin/routing">{t('routing.edit')}</Link>
                </>
              )}
            </p>
          )}
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
    case 'assigned':
      return e.actor ? t('event.assigned', { actor }) : t('event.assignedByRouting');
    case 'reassigned':
      return e.data.reason === 'the assignee went off duty'
        ? t('event.reassignedOffDuty')
        : t('event.reassigned', { actor });
    case 'auto_acknowledged':
      return t('event.auto_acknowledged', { lang: String(e.data.lang ?? '').toUpperCase() });
    case 'on_call_paged':
      return t('event.on_call_paged');
    case 'moved':
      return t('event.moved', { actor });
    case 'merged_into':
      return t('event.merged_into', { actor, id: String(e.data.into ?? '') });
    case 'merged_from':
      return t('event.merged_from', { actor, id: String(e.data.from ?? '') });
    case 'split':
      return t('event.split', { actor, id: String(e.data.new_case_id ?? '') });
    case 'split_from':
      return t('event.split_from', { actor, id: String(e.data.from ?? '') });
    case 'link_added':
      return t('event.link_added', { actor });
    case 'link_status':
      return t('event.link_status');
    case 'idea_linked':
    case 'incident_linked':
      return t(`event.${e.kind}`, { actor, title: String(e.data.title ?? '') });
    case 'idea_status':
    case 'incident_status': {
      const kind = e.kind === 'idea_status' ? 'idea' : 'incident';
      const status = t(`feedback.${kind}.status.${String(e.data.status)}` as MessageKey);
      const note = typeof e.data.note === 'string' && e.data.note ? ` — ${e.data.note}` : '';
      return `${t(`event.${e.kind}`, { title: String(e.data.title ?? ''), status })}${note}`;
    }
    case 'escalated':
      return t('event.escalated');
    case 'sla_warning':
      return t('event.sla_warning');
    case 'sla_breach':
      return t('event.sla_breach');
    case 'consult_asked':
      return t('event.consult_asked', { actor });
    case 'consult_answered':
      return t('event.consult_answered', { actor });
    case 'consult_overdue':
      return t('event.consult_overdue');
    case 'approval_requested':
    case 'approval_given':
    case 'approval_approved':
    case 'approval_rejected':
    case 'approval_withdrawn':
      return t(`event.${e.kind}`, { actor });
    case 'approval_overdue':
      return t('event.approval_overdue');
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

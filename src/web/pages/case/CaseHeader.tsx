import { CASE_STATUSES, type CaseDetail, type CasePatch, PRIORITIES } from '../../api.ts';
import { PriorityBadge, UrgencyBadge } from '../../components/Labels.tsx';
import { Link } from '../../components/Link.tsx';
import { DueClock, SlaClock } from '../../components/SlaClock.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { assignablePeople, useReference, useSession } from '../../session.tsx';
import { excerpt } from '../inbox/CaseRow.tsx';
import { CaseActions } from './CaseActions.tsx';
import { TagEditor } from './TagEditor.tsx';

/** Subject, who and where, and the controls that change the case (status, priority, assignee, team). */
export function CaseHeader(props: {
  c: CaseDetail;
  busy: boolean;
  backHref: string;
  prevId: number | null;
  nextId: number | null;
  onPatch(patch: CasePatch): void;
  onChanged(): void;
}) {
  const { c, busy, onPatch } = props;
  const { t } = useI18n();
  const { me, canWork } = useSession();
  const { people, teams } = useReference();
  const candidates = assignablePeople(people, c.community?.id);
  if (c.assignee && !candidates.some((p) => p.id === c.assignee!.id)) {
    candidates.push({ id: c.assignee.id, name: c.assignee.name, role: '', languages: [], community_ids: [] });
  }
  const paused = Boolean(c.sla_paused_at);
  const teamOptions = teams ?? (c.team ? [c.team] : []);
  const resolved = c.status === 'resolved' || c.status === 'closed';
  const disabled = !canWork || busy;

  return (
    <header className="case-header">
      <div className="case-nav">
        <Link href={props.backHref} className="btn btn-quiet btn-small" aria-label={t('case.backLabel')}>
          ← {t('case.back')}
        </Link>
        <span className="case-nav-arrows">
          {props.prevId !== null ? (
            <Link href={`/cases/${props.prevId}`} className="btn btn-quiet btn-small" aria-label={t('case.prevCase')}>
              ↑
            </Link>
          ) : null}
          {props.nextId !== null ? (
            <Link href={`/cases/${props.nextId}`} className="btn btn-quiet btn-small" aria-label={t('case.nextCase')}>
              ↓
            </Link>
          ) : null}
        </span>
        <span className="case-number muted">{t('case.number', { id: c.id })}</span>
        <span className="case-place muted">
          {c.community?.name ?? ''} · {c.channel}
          {c.language ? ` · ${c.language.toUpperCase()}` : ''}
        </span>
        <span className="spacer" />
        <span className="case-clocks">
          <SlaClock c={c} long />
          <DueClock clock="next_response" label={t('sla.nextResponse')} due={c.next_response_due_at} />
          <DueClock
            clock="resolution"
            label={t('sla.resolution')}
            due={c.status === 'resolved' || c.status === 'closed' ? null : c.resolution_due_at}
            paused={paused}
          />
        </span>
      </div>
      <h1 className="case-title">{excerpt(c.subject, 300)}</h1>
      <p className="case-contact">
        <span className="case-name">{c.contact.name}</span>
        {c.contact.handle && <span className="case-handle">{c.contact.handle}</span>}
        <UrgencyBadge value={c.urgency} />
        <PriorityBadge value={c.priority} />
        <TagEditor tags={c.tags} editable={canWork && !busy} onChange={(tags) => onPatch({ tags })} />
      </p>
      <fieldset className="case-controls">
        <legend className="visually-hidden">{t('case.actions')}</legend>
        <label className="control">
          <span>{t('label.status')}</span>
          <select
            value={c.status}
            disabled={disabled}
            onChange={(e) => onPatch({ status: e.target.value as CasePatch['status'] })}
            data-control="status"
          >
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {labelFor(t, 'status', s)}
              </option>
            ))}
          </select>
        </label>
        <label className="control">
          <span>{t('label.priority')}</span>
          <select
            value={c.priority}
            disabled={disabled}
            onChange={(e) => onPatch({ priority: e.target.value as CasePatch['priority'] })}
            data-control="priority"
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {labelFor(t, 'priority', p)}
              </option>
            ))}
          </select>
        </label>
        <label className="control">
          <span>{t('label.assignee')}</span>
          <select
            value={c.assignee?.id ?? ''}
            disabled={disabled}
            onChange={(e) => onPatch({ assignee_id: e.target.value ? Number(e.target.value) : null })}
            data-control="assignee"
          >
            <option value="">{t('case.unassigned')}</option>
            {candidates.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.role ? ` (${labelFor(t, 'role', p.role)})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="control">
          <span>{t('label.team')}</span>
          <select
            value={c.team?.id ?? ''}
            disabled={disabled}
            onChange={(e) => onPatch({ team_id: e.target.value ? Number(e.target.value) : null })}
            data-control="team"
          >
            <option value="">{t('case.noTeam')}</option>
            {teamOptions.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        {canWork && (
          <span className="case-buttons">
            {c.assignee?.id !== me.id && (
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => onPatch({ assignee_id: me.id })}
                aria-keyshortcuts="a"
              >
                {t('case.assignToMe')}
              </button>
            )}
            {resolved ? (
              <button type="button" className="btn" disabled={busy} onClick={() => onPatch({ status: 'open' })}>
                {t('case.reopen')}
              </button>
            ) : (
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => onPatch({ status: 'resolved' })}
                aria-keyshortcuts="e"
              >
                {t('case.resolve')}
              </button>
            )}
            <CaseActions c={c} onChanged={props.onChanged} />
          </span>
        )}
      </fieldset>
    </header>
  );
}

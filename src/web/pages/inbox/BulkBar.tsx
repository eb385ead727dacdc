import { useState } from 'react';
import { api, type BulkAction, type BulkResult, CASE_STATUSES, type CaseSummary, PRIORITIES } from '../../api.ts';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useReference, useSession } from '../../session.tsx';

/**
 * One action on the selected cases: assign, status, priority, add or remove a tag. The server checks each
 * case on its own and says what it refused, and why. The selection stays for the next action.
 */
export function BulkBar(props: { ids: number[]; cases: CaseSummary[]; onDone(): void; onClear(): void }) {
  const { t, tn, fmt } = useI18n();
  const { me } = useSession();
  const { people } = useReference();
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const [tag, setTag] = useState('');
  const [refused, setRefused] = useState<BulkResult['results']>([]);
  const communities = new Set(props.cases.map((c) => c.community?.id));
  // People who can take every selected case.
  const assignees = (people ?? []).filter(
    (p) =>
      (p.assignable ?? ['leader', 'manager', 'backup', 'approver'].includes(p.role)) &&
      [...communities].every((c) => c !== undefined && p.community_ids.includes(c)),
  );

  const run = async (action: BulkAction) => {
    setBusy(true);
    try {
      const r = await api.bulk(props.ids, action);
      const bad = r.results.filter((x) => x.outcome !== 'updated' && x.outcome !== 'unchanged');
      const unchanged = r.results.filter((x) => x.outcome === 'unchanged').length;
      notify(
        t('bulk.done', {
          action: t(`bulk.action.${action.action}`),
          updated: fmt.number(r.updated),
          unchanged: fmt.number(unchanged),
          refused: fmt.number(bad.length),
        }),
        bad.length > 0 ? 'error' : 'info',
      );
      setRefused(bad);
      props.onDone();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bulk-bar" role="toolbar" aria-label={t('bulk.toolbar')} data-testid="bulk-bar">
      <strong className="bulk-count">{tn('bulk.selected', props.ids.length)}</strong>
      <label>
        <span className="visually-hidden">{t('bulk.assign')}</span>
        <select
          value=""
          disabled={busy}
          onChange={(e) => {
            const v = e.target.value;
            if (v) void run({ action: 'assign', value: v === 'none' ? null : Number(v) });
          }}
          data-control="bulk-assign"
        >
          <option value="">{t('bulk.assign')}</option>
          <option value={me.id}>{t('bulk.toMe')}</option>
          <option value="none">{t('case.unassigned')}</option>
          {assignees
            .filter((p) => p.id !== me.id)
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('bulk.status')}</span>
        <select
          value=""
          disabled={busy}
          onChange={(e) => {
            const v = e.target.value as (typeof CASE_STATUSES)[number];
            if (v) void run({ action: 'status', value: v });
          }}
          data-control="bulk-status"
        >
          <option value="">{t('bulk.status')}</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {labelFor(t, 'status', s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">{t('bulk.priority')}</span>
        <select
          value=""
          disabled={busy}
          onChange={(e) => {
            const v = e.target.value as (typeof PRIORITIES)[number];
            if (v) void run({ action: 'priority', value: v });
          }}
          data-control="bulk-priority"
        >
          <option value="">{t('bulk.priority')}</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {labelFor(t, 'priority', p)}
            </option>
          ))}
        </select>
      </label>
      <span className="bulk-tag">
        <label>
          <span className="visually-hidden">{t('bulk.tag')}</span>
          <input
            type="text"
            value={tag}
            maxLength={50}
            placeholder={t('bulk.tag')}
            onChange={(e) => setTag(e.target.value)}
            data-control="bulk-tag"
          />
        </label>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy || !tag.trim()}
          onClick={() => void run({ action: 'tag', value: tag.trim() })}
        >
          {t('bulk.addTag')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy || !tag.trim()}
          onClick={() => void run({ action: 'untag', value: tag.trim() })}
        >
          {t('bulk.removeTag')}
        </button>
      </span>
      <button type="button" className="btn btn-small btn-quiet" onClick={props.onClear}>
        {t('bulk.clear')}
      </button>
      {refused.length > 0 && (
        <ul className="bulk-refused small" data-testid="bulk-refused">
          {refused.map((r) => (
            <li key={r.id}>{t('bulk.refusedOne', { id: r.id, reason: r.error ?? t(`bulk.outcome.${r.outcome}`) })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

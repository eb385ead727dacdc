import { useCallback, useEffect, useId, useState } from 'react';
import { api, isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { useDebounced, useRealtime } from '../../lib/realtime.tsx';
import { useSession } from '../../session.tsx';
import { publishingApi } from '../publishing/publishing-api.ts';
import { FindingList } from './Findings.tsx';
import type { ApprovalItem, PostApprovalItem, QueueItem } from './model.ts';
import './approvals.css';

type Scope = 'to_approve' | 'mine' | 'all';
type Status = ApprovalItem['status'];

/**
 * The approval queue: replies and posts waiting for one's decision (oldest deadline first, overdue marked), each
 * with the exact account it will be posted as; approve, edit and approve, or reject with a note. Also one's own
 * replies and posts waiting for approval, and past decisions.
 */
export function ApprovalsPage() {
  const { t } = useI18n();
  return (
    <Page section="approvals" title={t('approvals.title')}>
      <ApprovalQueue />
    </Page>
  );
}

function ApprovalQueue() {
  const { t } = useI18n();
  const [scope, setScope] = useState<Scope>('to_approve');
  const [status, setStatus] = useState<Status>('pending');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setItems(await api.approvals({ scope, status }, signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [scope, status, t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    // Deadlines pass while the page is open.
    const timer = setInterval(() => void load(), 60_000);
    return () => {
      ac.abort();
      clearInterval(timer);
    };
  }, [load]);
  const refresh = useDebounced(() => void load(), 500);
  useRealtime(refresh);

  return (
    <>
      <div className="approvals-tools">
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('approvals.scope')}</legend>
          {(['to_approve', 'mine', 'all'] as const).map((s) => (
            <label key={s} className={scope === s ? 'is-on' : ''}>
              <input type="radio" name="approvals-scope" checked={scope === s} onChange={() => setScope(s)} />
              {t(`approvals.scope.${s}`)}
            </label>
          ))}
        </fieldset>
        <label className="inline-field">
          <span>{t('approvals.statusFilter')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as Status)} data-control="approval-status">
            {(['pending', 'approved', 'rejected', 'cancelled'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`approvals.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {items === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted" data-testid="approvals-empty">
          {scope === 'to_approve' && status === 'pending' ? t('approvals.empty') : t('approvals.none')}
        </p>
      ) : (
        <ul className="approval-list">
          {items.map((item) =>
            item.kind === 'post' ? (
              <li key={`post-${item.id}`}>
                <PostApprovalCard item={item} onChanged={() => void load()} />
              </li>
            ) : (
              <li key={item.id}>
                <ApprovalCard item={item} onChanged={() => void load()} />
              </li>
            ),
          )}
        </ul>
      )}
    </>
  );
}

function ApprovalCard(props: { item: ApprovalItem; onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { me } = useSession();
  const { item } = props;
  const id = useId();

  const visibility = item.visibility === 'public' ? t('composer.public') : t('composer.private');
  return (
    <article
      className={`card approval${item.overdue ? ' approval-overdue' : ''}`}
      aria-labelledby={`${id}-title`}
      data-approval-id={item.id}
    >
      <header className="approval-head">
        <h2 id={`${id}-title`} className="card-title">
          <Link href={`/cases/${item.case.id}`}>{t('approvals.case', { id: item.case.id })}</Link>
          {item.case.subject ? ` · ${item.case.subject}` : ''}
        </h2>
        <span className="muted small">{item.community?.name ?? ''}</span>
        <span className="spacer" />
        {item.status === 'pending' ? (
          <span className={`chip ${item.overdue ? 'chip-danger' : ''}`} data-testid="approval-due">
            {item.overdue ? `${t('approvals.overdue')} · ` : ''}
            {t('approvals.due', { time: fmt.dateTime(item.due_at) })}
          </span>
        ) : (
          <span className="chip">{t(`approvals.status.${item.status}`)}</span>
        )}
      </header>
      <p className="posting-as" data-testid="approval-identity">
        {t('approvals.postingAs', { handle: item.account.handle, network: item.account.network, visibility })}
      </p>
      {item.account.paused && <p className="notice notice-warn small">{t('approvals.paused')}</p>}
      {item.override_reason && (
        <p className="notice notice-warn small">{t('approvals.override', { reason: item.override_reason })}</p>
      )}
      <p className="small">
        {t('approvals.by', { name: item.author.name })} ·{' '}
        {t('approvals.progress', { n: item.approvals, required: item.required })} · {item.rule.name}
        {item.reasons.length > 0 ? ` (${item.reasons.join(', ')})` : ''}
      </p>
      {item.case.customer_text && (
        <blockquote className="approval-customer">
          <span className="muted small">{t('approvals.customer')}</span>
          <span className="msg-text">{item.case.customer_text}</span>
        </blockquote>
      )}
      {item.warnings.length > 0 && (
        <div className="small">
          <span className="muted">{t('approvals.warnings')}</span>
          <FindingList findings={item.warnings} />
        </div>
      )}
      <ApprovalDecision
        item={item}
        textLabel={t('approvals.reply')}
        onChanged={props.onChanged}
        approve={async (text, note) => {
          const r = await api.approve(item.id, { ...(text ? { text } : {}), ...(note ? { note } : {}) });
          return r.status === 'approved'
            ? t('approvals.approved')
            : t('approvals.approvedPartly', { n: r.approvals, required: r.required });
        }}
        reject={async (note) => {
          await api.rejectApproval(item.id, note);
          return t('approvals.rejected');
        }}
        {...(item.status === 'pending' && item.author.id === me.id
          ? {
              withdraw: async () => {
                await api.withdrawApproval(item.id);
                return t('approvals.withdrawn');
              },
            }
          : {})}
      />
    </article>
  );
}

/**
 * A post in the queue: labelled as a post, with its community, the identity it will be posted as, its scheduled
 * time (late when it passed while waiting) and campaign; decided through the publishing endpoints.
 */
function PostApprovalCard(props: { item: PostApprovalItem; onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { item } = props;
  const id = useId();

  const scheduled = item.post.scheduled_at;
  return (
    <article
      className={`card approval approval-post${item.overdue ? ' approval-overdue' : ''}`}
      aria-labelledby={`${id}-title`}
      data-post-approval-id={item.id}
    >
      <header className="approval-head">
        <span className="chip" data-testid="approval-kind">
          {t('approvals.post.kind')}
        </span>
        <h2 id={`${id}-title`} className="card-title">
          {t('approvals.post.title', { community: item.community?.name ?? '' })}
        </h2>
        {item.post.late && (
          <span className="chip chip-danger" data-testid="approval-late">
            {t('approvals.post.lateChip')}
          </span>
        )}
        <span className="spacer" />
        {item.status === 'pending' ? (
          <span className={`chip ${item.overdue ? 'chip-danger' : ''}`} data-testid="approval-due">
            {item.overdue ? `${t('approvals.overdue')} · ` : ''}
            {t('approvals.due', { time: fmt.dateTime(item.due_at) })}
          </span>
        ) : (
          <span className="chip">{t(`approvals.status.${item.status}`)}</span>
        )}
      </header>
      <p className="posting-as" data-testid="approval-identity">
        {t('approvals.post.postingAs', { handle: item.account.handle, network: item.account.network })}
      </p>
      {item.account.paused && <p className="notice notice-warn small">{t('approvals.paused')}</p>}
      <p className="small" data-testid="approval-schedule">
        {scheduled ? t('approvals.post.scheduled', { time: fmt.dateTime(scheduled) }) : t('approvals.post.asap')}
        {item.post.campaign ? ` · ${t('approvals.post.campaign', { name: item.post.campaign.name })}` : ''}
        {item.post.escalated ? ` · ${t('approvals.post.escalated')}` : ''}
      </p>
      {item.status === 'pending' && item.post.late && scheduled && (
        <p className="notice notice-warn small" role="note">
          {t('approvals.post.late', { time: fmt.dateTime(scheduled) })}
        </p>
      )}
      <p className="small">
        {t('approvals.by', { name: item.author.name })} ·{' '}
        {t('approvals.progress', { n: item.approvals, required: item.required })}
        {item.rule.name ? ` · ${item.rule.name}` : ''}
        {item.reasons.length > 0 ? ` (${item.reasons.join(', ')})` : ''}
      </p>
      {item.post.link && <p className="small muted">{t('approvals.post.link', { link: item.post.link })}</p>}
      {item.warnings.length > 0 && (
        <div className="small">
          <span className="muted">{t('approvals.warnings')}</span>
          <FindingList findings={item.warnings} />
        </div>
      )}
      <ApprovalDecision
        item={item}
        textLabel={t('approvals.post.text')}
        onChanged={props.onChanged}
        approve={async (text, note) => {
          const r = await publishingApi.approve(item.id, { ...(text ? { text } : {}), ...(note ? { note } : {}) });
          return r.status === 'pending_approval'
            ? t('approvals.approvedPartly', { n: item.approvals + 1, required: item.required })
            : t('approvals.approved');
        }}
        reject={async (note) => {
          await publishingApi.reject(item.id, note);
          return t('approvals.rejected');
        }}
      />
      <p className="small">
        <Link href="/publishing">{t('approvals.post.calendar')}</Link>
      </p>
    </article>
  );
}

/**
 * The decision part of a queue item, for replies and posts alike: approvers edit the text, approve or reject
 * with a note; others read the text and the decisions so far, and the author of a pending reply may withdraw it.
 */
function ApprovalDecision(props: {
  item: {
    text: string;
    can_decide: boolean;
    edited: boolean;
    original_text: string | null;
    decisions: { name: string }[];
    note: string | null;
  };
  textLabel: string;
  /** Approves with the edited text (when changed) and the note (when given); returns the confirmation to show. */
  approve(text: string | undefined, note: string | undefined): Promise<string>;
  reject(note: string): Promise<string>;
  withdraw?: () => Promise<string>;
  onChanged(): void;
}) {
  const { t, fmt } = useI18n();
  const notify = useToast();
  const { item } = props;
  const [text, setText] = useState(item.text);
  const [note, setNote] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const edited = text.trim() !== item.text.trim();

  const run = async (action: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      notify(await action());
      props.onChanged();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  const approve = () => run(() => props.approve(edited ? text.trim() : undefined, note.trim() || undefined));
  const reject = () =>
    run(async () => {
      if (!note.trim()) throw new Error(t('approvals.rejectNote'));
      return props.reject(note.trim());
    });
  const withdraw = () => run(() => props.withdraw!());

  return item.can_decide ? (
    <>
      <label htmlFor={`${id}-text`} className="field-label">
        {props.textLabel}
      </label>
      <textarea
        id={`${id}-text`}
        className="composer-text"
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-control="approval-text"
      />
      <label htmlFor={`${id}-note`} className="field-label">
        {rejecting ? t('approvals.rejectNote') : t('approvals.note')}
      </label>
      <input
        id={`${id}-note`}
        type="text"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        data-control="approval-note"
        aria-required={rejecting || undefined}
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="approval-actions">
        {rejecting ? (
          <>
            <button type="button" className="btn" onClick={() => setRejecting(false)} disabled={busy}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => void reject()}
              disabled={busy || !note.trim()}
              data-action="confirm-reject"
            >
              {t('approvals.confirmReject')}
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="btn"
              onClick={() => setRejecting(true)}
              disabled={busy}
              data-action="reject"
            >
              {t('approvals.reject')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => void approve()}
              disabled={busy || !text.trim()}
              data-action="approve"
            >
              {edited ? t('approvals.editApprove') : t('approvals.approve')}
            </button>
          </>
        )}
      </div>
    </>
  ) : (
    <>
      <p className="approval-text msg-text" data-testid="approval-text">
        {item.text}
      </p>
      {item.edited && (
        <p className="small muted">
          {t('approvals.original')}: <span className="msg-text">{item.original_text}</span>
        </p>
      )}
      {item.decisions.length > 0 && (
        <p className="small muted">
          {t('approvals.decidedBy', { names: fmt.list(item.decisions.map((d) => d.name)) })}
        </p>
      )}
      {item.note && <p className="small">{t('approvals.decisionNote', { note: item.note })}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {props.withdraw && (
        <button type="button" className="btn btn-small" onClick={() => void withdraw()} disabled={busy}>
          {t('approvals.withdraw')}
        </button>
      )}
    </>
  );
}

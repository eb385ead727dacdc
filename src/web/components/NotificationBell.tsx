import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { type AppNotification, api, isAbort } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey, Translate } from '../i18n/index.ts';
import { useNow } from '../lib/now.ts';
import { useDebounced, useRealtime } from '../lib/realtime.tsx';
import { navigate } from '../lib/router.ts';
import { excerpt } from '../pages/inbox/CaseRow.tsx';

const PAGE = 20;

/** The SLA clock a notification is about, by its name ("first response"). */
function clockName(t: Translate, clock: unknown): string {
  switch (clock) {
    case 'first_response':
      return t('sla.label');
    case 'next_response':
      return t('sla.nextResponse');
    case 'resolution':
      return t('sla.resolution');
    default:
      return t('notify.aDeadline');
  }
}

/** What a notification says, in the reader's language (names and case subjects are shown as text). */
export function notificationText(t: Translate, fmtTime: (iso: string) => string, n: AppNotification): string {
  const id = n.case?.id ?? '';
  const by = typeof n.data.by_name === 'string' ? n.data.by_name : t('common.system');
  switch (n.kind) {
    case 'assigned':
      return t('notify.assigned', { by, id });
    case 'mention':
      return t('notify.mention', { by, id });
    case 'sla_warning':
      return typeof n.data.due_at === 'string'
        ? t('notify.slaWarning', { id, clock: clockName(t, n.data.clock), time: fmtTime(n.data.due_at) })
        : t('notify.slaWarningShort', { id, clock: clockName(t, n.data.clock) });
    case 'sla_breach':
      return t('notify.slaBreach', { id, clock: clockName(t, n.data.clock) });
    case 'consult':
      return n.data.reminder === true
        ? t('notify.consultReminder', { n: String(n.data.consult_id ?? '') })
        : t('notify.consult', { by, n: String(n.data.consult_id ?? '') });
    case 'consult_answered':
      return t('notify.consultAnswered', { by, id });
    case 'consult_overdue':
      return t('notify.consultOverdue', { n: String(n.data.consult_id ?? '') });
    case 'approval_requested':
      return t('notify.approvalRequested', { by, id });
    case 'approval_decided':
      return n.data.decision === 'rejected'
        ? t('notify.approvalRejected', { by, id })
        : t('notify.approvalApproved', { by, id });
    case 'approval_overdue':
      return t('notify.approvalOverdue', { id });
    case 'crisis_alert':
      return t('notify.crisisAlert', { id });
    case 'crisis_declared':
      return t('notify.crisisDeclared', { by, id });
    case 'handover':
      return t('notify.handover', { community: String(n.data.community_name ?? '') });
    case 'on_call_page':
      return t('notify.onCallPage', { id });
    case 'feedback_status':
      return t('notify.feedbackStatus', { id });
    case 'post_approval_requested':
      return t('notify.postApprovalRequested', { by });
    case 'post_approval_decided':
      return n.data.decision === 'rejected'
        ? t('notify.postApprovalRejected', { by })
        : n.data.late === true
          ? t('notify.postApprovalApprovedLate', { by })
          : t('notify.postApprovalApproved', { by });
    case 'post_approval_overdue':
      return n.data.escalated_to !== undefined ? t('notify.postApprovalEscalated') : t('notify.postApprovalOverdue');
    case 'post_approval_late':
      return t('notify.postApprovalLate');
    case 'qa_feedback':
      return t('notify.qaFeedback', { by, score: String(n.data.overall_score ?? '') });
    default:
      return t('notify.other', { kind: n.kind.replaceAll('_', ' '), id });
  }
}

/**
 * The bell in the top bar: the unread count, kept live by `notification.created` events, and a panel of the
 * latest notifications. Opening one goes to its case and marks it read.
 */
export function NotificationBell() {
  const { t, tn, fmt } = useI18n();
  const now = useNow(60_000);
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<AppNotification[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const panelId = useId();

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const page = await api.notifications({ limit: PAGE }, signal);
      setItems(page.items);
      setUnread(page.unread_count);
      setError(false);
    } catch (err) {
      if (!isAbort(err)) setError(true);
    }
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const refresh = useDebounced(() => void load(), 250);
  useRealtime((m) => {
    if (m.type === 'notification.created' || m.type === 'resync') refresh();
  });

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const markRead = async (body: { ids: number[] } | { all: true }) => {
    try {
      const r = await api.markNotificationsRead(body);
      setUnread(r.unread_count);
      const at = new Date().toISOString();
      const ids = 'ids' in body ? new Set(body.ids) : null;
      setItems((list) => list?.map((n) => (!n.read_at && (!ids || ids.has(n.id)) ? { ...n, read_at: at } : n)) ?? null);
    } catch {
      // The count stays as it was; the next event or opening reloads it.
    }
  };

  const openOne = async (n: AppNotification) => {
    setOpen(false);
    // Read first: the next page's bell then counts without it.
    if (!n.read_at) await markRead({ ids: [n.id] });
    // A crisis alert or declaration opens the crisis page, not the sample case it was attached to.
    if (typeof n.data.crisis_id === 'number') navigate(`/crisis/${n.data.crisis_id}`);
    // Quality feedback opens the author's feedback list, not the case.
    else if (typeof n.data.qa_review_id === 'number') navigate('/quality');
    else if (typeof n.data.alert_id === 'number') navigate('/crisis');
    else if (n.case) navigate(`/cases/${n.case.id}`);
    else if (typeof n.data.consult_id === 'number') navigate(`/consults/${n.data.consult_id}`);
    else if (typeof n.data.handover_id === 'number') navigate(`/handover/${n.data.handover_id}`);
    // A post waiting for approval opens the approval queue; its decision, for the author, the calendar.
    else if (typeof n.data.post_id === 'number')
      navigate(n.kind === 'post_approval_decided' ? '/publishing' : '/approvals');
  };

  const label = unread > 0 ? tn('notify.unread', unread) : t('notify.title');
  return (
    <span className="bell-wrap">
      <button
        ref={button}
        type="button"
        className={`btn btn-quiet btn-small bell${unread > 0 ? ' has-unread' : ''}`}
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        data-testid="bell"
        onClick={() => {
          if (!open) void load();
          setOpen(!open);
        }}
      >
        <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" className="bell-icon">
          <path
            d="M8 1.5a4 4 0 0 0-4 4v2.7L2.6 10.6c-.3.5 0 1.1.6 1.1h9.6c.6 0 .9-.6.6-1.1L12 8.2V5.5a4 4 0 0 0-4-4ZM6.3 12.8a1.8 1.8 0 0 0 3.4 0"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.4"
            strokeLinejoin="round"
          />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-count={unread} aria-hidden="true">
            {unread > 99 ? '99+' : fmt.number(unread)}
          </span>
        )}
      </button>
      {open && (
        <section ref={panel} id={panelId} className="bell-panel" aria-label={t('notify.title')} data-no-shortcuts>
          <div className="bell-head">
            <h2>{t('notify.title')}</h2>
            {unread > 0 && (
              <button type="button" className="btn btn-small" onClick={() => void markRead({ all: true })}>
                {t('notify.markAll')}
              </button>
            )}
          </div>
          {error && !items ? (
            <p className="muted small bell-empty">{t('error.network')}</p>
          ) : !items ? (
            <p className="muted small bell-empty">{t('common.loading')}</p>
          ) : items.length === 0 ? (
            <p className="muted small bell-empty">{t('notify.none')}</p>
          ) : (
            <ul className="bell-list">
              {items.map((n) => (
                <li key={n.id} className={n.read_at ? 'is-read' : 'is-unread'} data-notification-id={n.id}>
                  <button type="button" className="bell-item" onClick={() => void openOne(n)}>
                    <span className="bell-text">
                      {!n.read_at && <span className="visually-hidden">{t('notify.unreadMark')} </span>}
                      {notificationText(t, fmt.time, n)}
                    </span>
                    {n.case?.subject && <span className="bell-subject">{excerpt(n.case.subject, 90)}</span>}
                    <time className="muted small" dateTime={n.created_at} title={fmt.dateTime(n.created_at)}>
                      {fmt.relative(n.created_at, Math.max(now, Date.parse(n.created_at) || now))}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <EmailPreferences />
        </section>
      )}
    </span>
  );
}

const KIND_LABELS: Record<string, MessageKey> = {
  assigned: 'notify.kind.assigned',
  mention: 'notify.kind.mention',
  sla_warning: 'notify.kind.sla_warning',
  sla_breach: 'notify.kind.sla_breach',
  consult: 'notify.kind.consult',
  consult_answered: 'notify.kind.consult_answered',
  consult_overdue: 'notify.kind.consult_overdue',
  approval_requested: 'notify.kind.approval_requested',
  approval_decided: 'notify.kind.approval_decided',
  approval_overdue: 'notify.kind.approval_overdue',
  crisis_alert: 'notify.kind.crisis_alert',
  crisis_declared: 'notify.kind.crisis_declared',
  handover: 'notify.kind.handover',
  on_call_page: 'notify.kind.on_call_page',
  feedback_status: 'notify.kind.feedback_status',
  qa_feedback: 'notify.kind.qa_feedback',
  post_approval_requested: 'notify.kind.post_approval_requested',
  post_approval_decided: 'notify.kind.post_approval_decided',
  post_approval_overdue: 'notify.kind.post_approval_overdue',
  post_approval_late: 'notify.kind.post_approval_late',
};

/** Which notifications also come by email: one checkbox per kind, saved as it changes. */
function EmailPreferences() {
  const { t } = useI18n();
  const [prefs, setPrefs] = useState<{ email: string[]; kinds: string[] } | null>(null);
  const [saved, setSaved] = useState(false);
  const [failed, setFailed] = useState(false);
  const load = (open: boolean) => {
    if (!open || prefs) return;
    api.notificationPreferences().then(setPrefs, () => setFailed(true));
  };
  const toggle = async (kind: string, on: boolean) => {
    if (!prefs) return;
    const email = on ? [...prefs.email, kind] : prefs.email.filter((k) => k !== kind);
    setPrefs({ ...prefs, email });
    setSaved(false);
    try {
      const r = await api.setNotificationPreferences(email);
      setPrefs((p) => (p ? { ...p, email: r.email } : p));
      setSaved(true);
    } catch {
      setFailed(true);
    }
  };
  return (
    <details className="bell-prefs" onToggle={(e) => load((e.target as HTMLDetailsElement).open)}>
      <summary className="bell-prefs-summary">{t('notify.emailPrefs')}</summary>
      {failed ? (
        <p className="muted small">{t('error.network')}</p>
      ) : !prefs ? (
        <p className="muted small">{t('common.loading')}</p>
      ) : (
        <fieldset className="check-group">
          <legend>{t('notify.emailMe')}</legend>
          <div className="check-options check-options-column">
            {prefs.kinds.map((k) => (
              <label key={k} className="check-option">
                <input
                  type="checkbox"
                  checked={prefs.email.includes(k)}
                  onChange={(e) => void toggle(k, e.target.checked)}
                  data-kind={k}
                />
                {KIND_LABELS[k] ? t(KIND_LABELS[k]) : k}
              </label>
            ))}
          </div>
          {saved && (
            <p className="muted small" role="status">
              {t('notify.prefsSaved')}
            </p>
          )}
        </fieldset>
      )}
    </details>
  );
}

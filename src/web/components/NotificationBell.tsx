import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { type AppNotification, api, isAbort } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';
import type { Translate } from '../i18n/index.ts';
import { useNow } from '../lib/now.ts';
import { useDebounced, useRealtime } from '../lib/realtime.tsx';
import { navigate } from '../lib/router.ts';
import { excerpt } from '../pages/inbox/CaseRow.tsx';

const PAGE = 20;

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
        ? t('notify.slaWarning', { id, time: fmtTime(n.data.due_at) })
        : t('notify.slaWarningShort', { id });
    case 'sla_breach':
      return t('notify.slaBreach', { id });
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

  const openOne = (n: AppNotification) => {
    if (!n.read_at) void markRead({ ids: [n.id] });
    setOpen(false);
    if (n.case) navigate(`/cases/${n.case.id}`);
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
        <section ref={panel} id={panelId} className="bell-panel" aria-label={t('notify.title')}>
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
                  <button type="button" className="bell-item" onClick={() => openOne(n)}>
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
        </section>
      )}
    </span>
  );
}

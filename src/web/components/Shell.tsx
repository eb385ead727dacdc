import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, COUNT_CAP, type Counts, INBOX_VIEWS, type InboxView, isAbort } from '../api.ts';
import { useI18n } from '../i18n/context.tsx';
import { LANGUAGE_NAMES, LANGUAGES, type Language, labelFor } from '../i18n/index.ts';
import { isShortcutEvent } from '../lib/keys.ts';
import { useDebounced, useRealtime } from '../lib/realtime.tsx';
import { navigate, useLocation } from '../lib/router.ts';
import { HandoverBadge } from '../pages/handover/HandoverBadge.tsx';
import { type InboxState, inboxHref, inboxStateFromSearch, stateOfView } from '../pages/inbox/state.ts';
import { canWorkCases, useReference, useSession } from '../session.tsx';
import { Link } from './Link.tsx';
import { LiveIndicator } from './LiveIndicator.tsx';
import { NotificationBell } from './NotificationBell.tsx';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';

/** Who reads reports (the server's rule: leaders, managers, viewers). */
const REPORT_ROLES = new Set(['leader', 'manager', 'viewer']);

export type Section =
  | 'duty'
  | 'approvals'
  | 'reports'
  | 'consults'
  | 'handover'
  | 'training'
  | 'publishing'
  | 'backlog'
  | 'advocates'
  | 'quality'
  | 'admin_routing'
  | 'admin_governance'
  | 'admin_triage'
  | 'admin_webhooks'
  | 'admin_sign_in'
  | 'security'
  | 'admin_audit'
  | 'crisis';

/** Who sees crisis mode (the server's rule: leaders and managers). */
const CRISIS_ROLES = new Set(['leader', 'manager']);

/**
 * The frame of every signed-in page: top bar (notifications, language, account), the inbox views with live
 * counts, saved views, the team and administration pages, the page itself, the shortcuts help.
 */
export function Shell(props: {
  inbox: InboxState;
  activeView: InboxView | null;
  section?: Section;
  children: ReactNode;
}) {
  const { t, lang, setLang } = useI18n();
  const { me, signOut, isLeader } = useSession();
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isShortcutEvent(e)) return;
      if (e.key === '?') {
        e.preventDefault();
        setHelp(true);
        return;
      }
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= INBOX_VIEWS.length) {
        e.preventDefault();
        navigate(inboxHref({ view: INBOX_VIEWS[n - 1]!, filters: { ...props.inbox.filters, q: undefined } }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props.inbox]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="logo" aria-hidden="true">
            P
          </span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="org-name">{me.organization.name}</span>
        </div>
        <div className="topbar-tools">
          <LiveIndicator />
          <NotificationBell />
          <button type="button" className="btn btn-quiet btn-small" onClick={() => setHelp(true)}>
            {t('shell.shortcuts')}
          </button>
          <label className="lang-switch">
            <span className="visually-hidden">{t('shell.language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Language)} aria-label={t('shell.language')}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
          <span className="me" title={me.email}>
            {t('shell.signedInAs', { name: me.name, role: labelFor(t, 'role', me.role) })}
          </span>
          <Link
            href="/account/security"
            className="btn btn-quiet btn-small"
            aria-current={props.section === 'security' ? 'page' : undefined}
            data-nav="security"
          >
            {t('shell.security')}
          </Link>
          <button type="button" className="btn btn-small" onClick={signOut}>
            {t('shell.logout')}
          </button>
        </div>
      </header>
      <div className="layout">
        <div className="sidebar">
          <nav aria-label={t('shell.mainNav')}>
            <ViewNav inbox={props.inbox} active={props.activeView} />
          </nav>
          <SavedViewsNav />
          <nav aria-label={t('shell.teamNav')} className="side-section">
            <h2 className="side-title">{t('shell.teamNav')}</h2>
            <ul className="views">
              <li>
                <Link
                  href="/duty"
                  className="view-link"
                  aria-current={props.section === 'duty' ? 'page' : undefined}
                  data-nav="duty"
                >
                  <span className="view-name">{t('shell.duty')}</span>
                </Link>
              </li>
              <li>
                <Link
                  href="/approvals"
                  className="view-link"
                  aria-current={props.section === 'approvals' ? 'page' : undefined}
                  data-nav="approvals"
                >
                  <span className="view-name">{t('shell.approvals')}</span>
                </Link>
              </li>
              <li>
                <Link
                  href="/consults"
                  className="view-link"
                  aria-current={props.section === 'consults' ? 'page' : undefined}
                  data-nav="consults"
                >
                  <span className="view-name">{t('shell.consults')}</span>
                </Link>
              </li>
              <li>
                <Link
                  href="/handover"
                  className="view-link"
                  aria-current={props.section === 'handover' ? 'page' : undefined}
                  data-nav="handover"
                >
                  <span className="view-name">{t('shell.handover')}</span>
                  <HandoverBadge />
                </Link>
              </li>
              <li>
                <Link
                  href="/backlog"
                  className="view-link"
                  aria-current={props.section === 'backlog' ? 'page' : undefined}
                  data-nav="backlog"
                >
                  <span className="view-name">{t('shell.backlog')}</span>
                </Link>
              </li>
              <li>
                <Link
                  href="/advocates"
                  className="view-link"
                  aria-current={props.section === 'advocates' ? 'page' : undefined}
                  data-nav="advocates"
                >
                  <span className="view-name">{t('shell.advocates')}</span>
                </Link>
              </li>
              <li>
                <Link
                  href="/publishing"
                  className="view-link"
                  aria-current={props.section === 'publishing' ? 'page' : undefined}
                  data-nav="publishing"
                >
                  <span className="view-name">{t('shell.publishing')}</span>
                </Link>
              </li>
              {(canWorkCases(me.role) || me.role === 'leader') && (
                <li>
                  <Link
                    href="/training"
                    className="view-link"
                    aria-current={props.section === 'training' ? 'page' : undefined}
                    data-nav="training"
                  >
                    <span className="view-name">{t('shell.training')}</span>
                  </Link>
                </li>
              )}
              <li>
                <Link
                  href="/quality"
                  className="view-link"
                  aria-current={props.section === 'quality' ? 'page' : undefined}
                  data-nav="quality"
                >
                  <span className="view-name">{t('shell.quality')}</span>
                </Link>
              </li>
              {REPORT_ROLES.has(me.role) && (
                <li>
                  <Link
                    href="/reports"
                    className="view-link"
                    aria-current={props.section === 'reports' ? 'page' : undefined}
                    data-nav="reports"
                  >
                    <span className="view-name">{t('shell.reports')}</span>
                  </Link>
                </li>
              )}
              {CRISIS_ROLES.has(me.role) && (
                <li>
                  <Link
                    href="/crisis"
                    className="view-link"
                    aria-current={props.section === 'crisis' ? 'page' : undefined}
                    data-nav="crisis"
                  >
                    <span className="view-name">{t('shell.crisis')}</span>
                  </Link>
                </li>
              )}
            </ul>
          </nav>
          {isLeader && (
            <nav aria-label={t('shell.adminNav')} className="side-section">
              <h2 className="side-title">{t('shell.adminNav')}</h2>
              <ul className="views">
                <li>
                  <Link
                    href="/admin/routing"
                    className="view-link"
                    aria-current={props.section === 'admin_routing' ? 'page' : undefined}
                    data-nav="admin_routing"
                  >
                    <span className="view-name">{t('shell.routing')}</span>
                  </Link>
                </li>
                <li>
                  <Link
                    href="/admin/governance"
                    className="view-link"
                    aria-current={props.section === 'admin_governance' ? 'page' : undefined}
                    data-nav="admin_governance"
                  >
                    <span className="view-name">{t('shell.governance')}</span>
                  </Link>
                </li>
                <li>
                  <Link
                    href="/admin/triage"
                    className="view-link"
                    aria-current={props.section === 'admin_triage' ? 'page' : undefined}
                    data-nav="admin_triage"
                  >
                    <span className="view-name">{t('shell.triage')}</span>
                  </Link>
                </li>
                <li>
                  <Link
                    href="/admin/webhooks"
                    className="view-link"
                    aria-current={props.section === 'admin_webhooks' ? 'page' : undefined}
                    data-nav="admin_webhooks"
                  >
                    <span className="view-name">{t('shell.webhooks')}</span>
                  </Link>
                </li>
                <li>
                  <Link
                    href="/admin/sign-in"
                    className="view-link"
                    aria-current={props.section === 'admin_sign_in' ? 'page' : undefined}
                    data-nav="admin_sign_in"
                  >
                    <span className="view-name">{t('shell.signIn')}</span>
                  </Link>
                </li>
                <li>
                  <Link
                    href="/admin/audit"
                    className="view-link"
                    aria-current={props.section === 'admin_audit' ? 'page' : undefined}
                    data-nav="admin_audit"
                  >
                    <span className="view-name">{t('shell.audit')}</span>
                  </Link>
                </li>
              </ul>
            </nav>
          )}
        </div>
        <main id="main" className="main" tabIndex={-1}>
          {props.children}
        </main>
      </div>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}

/** The person's saved views, then those colleagues shared; the one on screen is marked. */
function SavedViewsNav() {
  const { t } = useI18n();
  const { views } = useReference();
  const loc = useLocation();
  if (!views || views.length === 0) return null;
  const current = loc.path === '/' ? inboxHref(inboxStateFromSearch(loc.search)) : null;
  return (
    <nav aria-label={t('shell.savedViews')} className="side-section">
      <h2 className="side-title">{t('shell.savedViews')}</h2>
      <ul className="views">
        {views.map((v) => {
          const href = inboxHref(stateOfView(v.query));
          return (
            <li key={v.id}>
              <Link
                href={href}
                className="view-link"
                aria-current={current === href ? 'page' : undefined}
                data-saved-view={v.id}
                title={v.mine ? undefined : t('views.sharedBy', { name: v.owner.name })}
              >
                <span className="view-name">{v.name}</span>
                {v.shared && (
                  <span className="view-shared" title={v.mine ? t('views.sharedMine') : undefined}>
                    {v.mine ? t('views.shared') : v.owner.name.split(' ')[0]}
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function ViewNav(props: { inbox: InboxState; active: InboxView | null }) {
  const { t, tn, fmt } = useI18n();
  const [counts, setCounts] = useState<Counts | null>(null);
  const { community, channel, status } = props.inbox.filters;
  const load = useCallback(
    (signal?: AbortSignal) => {
      api.counts({ community, channel, status }, signal).then(setCounts, (err: unknown) => {
        if (!isAbort(err)) setCounts(null);
      });
    },
    [community, channel, status],
  );
  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal);
    return () => ac.abort();
  }, [load]);
  const refresh = useDebounced(() => load(), 300);
  useRealtime(refresh);
  return (
    <ul className="views">
      {INBOX_VIEWS.map((view, i) => {
        const n = counts?.[view];
        return (
          <li key={view}>
            <Link
              href={inboxHref({ view, filters: { ...props.inbox.filters, q: undefined } })}
              className={`view-link${view === 'sla_risk' && n ? ' view-risk' : ''}`}
              aria-current={props.active === view ? 'page' : undefined}
              aria-keyshortcuts={String(i + 1)}
              data-view={view}
            >
              <span className="view-name">{t(`view.${view}`)}</span>
              {n !== undefined && (
                <span className="view-count" data-count={n}>
                  <span aria-hidden="true">{n >= COUNT_CAP ? `${fmt.number(COUNT_CAP - 1)}+` : fmt.number(n)}</span>
                  <span className="visually-hidden">
                    {n >= COUNT_CAP ? tn('view.countMany', COUNT_CAP - 1) : tn('view.count', n)}
                  </span>
                </span>
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

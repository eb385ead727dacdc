import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, api, type Me, setUnauthorizedHandler } from './api.ts';
import { Link } from './components/Link.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import { I18nProvider, useI18n } from './i18n/context.tsx';
import { labelFor } from './i18n/index.ts';
import { RealtimeProvider } from './lib/realtime.tsx';
import { currentLocation, matchRoute, navigate, useLocation } from './lib/router.ts';
import { EnrolPage, SecurityPage } from './pages/account/SecurityPage.tsx';
import { AuditPage } from './pages/admin/AuditPage.tsx';
import { RoutingPage } from './pages/admin/RoutingPage.tsx';
import { SignInPage } from './pages/admin/SignInPage.tsx';
import { TriageModelPage } from './pages/admin/TriageModelPage.tsx';
import { WebhooksPage } from './pages/admin/WebhooksPage.tsx';
import { AdvocatesPage } from './pages/advocates/AdvocatesPage.tsx';
import { ApprovalsPage } from './pages/approvals/ApprovalsPage.tsx';
import { GovernancePage } from './pages/approvals/GovernancePage.tsx';
import { BacklogBody, BacklogPage } from './pages/backlog/BacklogPage.tsx';
import { CasePage } from './pages/case/CasePage.tsx';
import { ConsultsPage, ExpertFrame } from './pages/consults/ConsultsPage.tsx';
import { CrisisPage } from './pages/crisis/CrisisPage.tsx';
import { CrisisRoomPage } from './pages/crisis/CrisisRoomPage.tsx';
import { DutyPage } from './pages/duty/DutyPage.tsx';
import { HandoverPage } from './pages/handover/HandoverPage.tsx';
import { InboxPage } from './pages/inbox/InboxPage.tsx';
import { LoginPage } from './pages/login/LoginPage.tsx';
import { PublishingPage } from './pages/publishing/PublishingPage.tsx';
import { QualityPage } from './pages/quality/QualityPage.tsx';
import { TrainingPage } from './pages/training/TrainingPage.tsx';
import { TrainingItemPage, TrainingSessionPage } from './pages/training/TrainingPractice.tsx';
import { SessionProvider } from './session.tsx';

// Reports load with their charts (Apache ECharts) only when opened.
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));
const ReportsDrillPage = lazy(() =>
  import('./pages/reports/ReportsDrillPage.tsx').then((m) => ({ default: m.ReportsDrillPage })),
);

const INBOX_ROLES = new Set(['leader', 'manager', 'backup', 'approver', 'viewer']);

type SessionState =
  | { state: 'loading' }
  | { state: 'signed_out' }
  | { state: 'error'; message: string }
  | { state: 'no_inbox'; role: string; me?: Me }
  /** The organization requires a second factor for this role: set it up before anything else. */
  | { state: 'enrol'; me: Me }
  | { state: 'ready'; me: Me };

function loginHref(): string {
  const { href } = currentLocation();
  return href === '/' || href.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(href)}`;
}

export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'loading' });

  const adopt = useCallback((me: Me) => {
    if (me.totp_enrolment_required) setSession({ state: 'enrol', me });
    else setSession(INBOX_ROLES.has(me.role) ? { state: 'ready', me } : { state: 'no_inbox', role: me.role, me });
  }, []);

  const checkSession = useCallback(() => {
    api.me().then(adopt, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) setSession({ state: 'signed_out' });
      else if (err instanceof ApiError && err.status === 403) setSession({ state: 'no_inbox', role: '' });
      else setSession({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    });
  }, [adopt]);

  useEffect(() => {
    setUnauthorizedHandler(() => setSession({ state: 'signed_out' }));
    checkSession();
  }, [checkSession]);

  const signOut = useCallback(() => {
    api.logout().finally(() => {
      setSession({ state: 'signed_out' });
      navigate('/login', { replace: true });
    });
  }, []);

  const me =
    session.state === 'ready' || session.state === 'no_inbox' || session.state === 'enrol' ? session.me : undefined;
  return (
    <I18nProvider personLocale={me?.locale} timeZone={me?.timezone}>
      <ToastProvider>
        <Routes
          session={session}
          onSignedIn={adopt}
          signOut={signOut}
          retry={checkSession}
          ended={() => setSession({ state: 'signed_out' })}
        />
      </ToastProvider>
    </I18nProvider>
  );
}

function Routes(props: {
  session: SessionState;
  onSignedIn(me: Me): void;
  signOut(): void;
  retry(): void;
  ended(): void;
}) {
  const { session } = props;
  const loc = useLocation();
  const route = matchRoute(loc);
  const { t } = useI18n();
  const hasMe = session.state === 'no_inbox' && session.me !== undefined;

  useEffect(() => {
    if (session.state === 'signed_out' && route.name !== 'login') navigate(loginHref(), { replace: true });
    if (session.state === 'ready' && route.name === 'login') navigate(route.next ?? '/', { replace: true });
    if (session.state === 'no_inbox' && hasMe && route.name === 'login')
      navigate(route.next ?? '/consults', { replace: true });
  }, [session.state, hasMe, route]);

  switch (session.state) {
    case 'loading':
      return <p className="placeholder">{t('common.loading')}</p>;
    case 'error':
      return (
        <div className="center-page">
          <p role="alert">{t('error.network')}</p>
          <button type="button" className="btn" onClick={props.retry}>
            {t('common.retry')}
          </button>
        </div>
      );
    case 'signed_out':
      return <LoginPage onSignedIn={props.onSignedIn} />;
    case 'enrol':
      return <EnrolPage onDone={props.retry} signOut={props.signOut} />;
    case 'no_inbox':
      // People without an inbox (experts) answer the consults they are asked, in a view of their own; Innovation
      // and Quality members among them also read and decide the backlog there.
      if (session.me && route.name === 'backlog')
        return (
          <SessionProvider me={session.me} signOut={props.signOut}>
            <ExpertFrame me={session.me} signOut={props.signOut} title={t('backlog.pageTitle')}>
              <BacklogBody kind={route.kind} id={route.id} />
            </ExpertFrame>
          </SessionProvider>
        );
      if (session.me)
        return (
          <ConsultsPage
            framed={false}
            id={route.name === 'consult' ? route.id : undefined}
            me={session.me}
            signOut={props.signOut}
          />
        );
      return (
        <main className="center-page">
          <h1>{t('noInbox.title')}</h1>
          <p>{t('noInbox.body', { role: session.role ? labelFor(t, 'role', session.role) : '—' })}</p>
          <button type="button" className="btn" onClick={props.signOut}>
            {t('shell.logout')}
          </button>
        </main>
      );
    case 'ready':
      return (
        <SessionProvider me={session.me} signOut={props.signOut}>
          <RealtimeProvider onSignedOut={props.ended}>
            {route.name === 'case' ? (
              <CasePage id={route.id} />
            ) : route.name === 'duty' ? (
              <DutyPage />
            ) : route.name === 'crisis' ? (
              <CrisisPage />
            ) : route.name === 'crisis_room' ? (
              <CrisisRoomPage id={route.id} />
            ) : route.name === 'approvals' ? (
              <ApprovalsPage />
            ) : route.name === 'admin_governance' ? (
              <GovernancePage />
            ) : route.name === 'consults' || route.name === 'consult' ? (
              <ConsultsPage framed id={route.name === 'consult' ? route.id : undefined} />
            ) : route.name === 'backlog' ? (
              <BacklogPage kind={route.kind} id={route.id} />
            ) : route.name === 'advocates' ? (
              <AdvocatesPage />
            ) : route.name === 'handover' || route.name === 'handover_brief' ? (
              <HandoverPage id={route.name === 'handover_brief' ? route.id : undefined} />
            ) : route.name === 'publishing' ? (
              <PublishingPage />
            ) : route.name === 'training' ? (
              <TrainingPage />
            ) : route.name === 'training_session' ? (
              <TrainingSessionPage key={route.id} id={route.id} />
            ) : route.name === 'training_item' ? (
              <TrainingItemPage key={route.id} id={route.id} />
            ) : route.name === 'quality' || route.name === 'quality_reply' ? (
              <QualityPage
                replyId={route.name === 'quality_reply' ? route.id : undefined}
                sampleId={route.name === 'quality_reply' ? route.sample : undefined}
              />
            ) : route.name === 'admin_audit' ? (
              <AuditPage />
            ) : route.name === 'reports' || route.name === 'reports_drill' ? (
              <Suspense fallback={<p className="placeholder">{t('common.loading')}</p>}>
                {route.name === 'reports' ? <ReportsPage /> : <ReportsDrillPage />}
              </Suspense>
            ) : route.name === 'admin_routing' ? (
              <RoutingPage />
            ) : route.name === 'admin_triage' ? (
              <TriageModelPage />
            ) : route.name === 'admin_webhooks' ? (
              <WebhooksPage />
            ) : route.name === 'admin_sign_in' ? (
              <SignInPage />
            ) : route.name === 'security' ? (
              <SecurityPage />
            ) : route.name === 'login' ? (
              <p className="placeholder">{t('common.loading')}</p>
            ) : route.name === 'not_found' ? (
              <main className="center-page">
                <h1>{t('app.notFound')}</h1>
                <Link href="/" className="btn">
                  {t('case.back')}
                </Link>
              </main>
            ) : (
              <InboxPage />
            )}
          </RealtimeProvider>
        </SessionProvider>
      );
  }
}

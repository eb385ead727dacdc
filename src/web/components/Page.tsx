import { type ReactNode, useEffect } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { inboxStateFromSearch, lastInbox } from '../pages/inbox/state.ts';
import { useSession } from '../session.tsx';
import { type Section, Shell } from './Shell.tsx';

/** A page other than the inbox and cases, in the app's frame, with its title; `leaderOnly` pages explain a refusal. */
export function Page(props: { section: Section; title: string; leaderOnly?: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const { isLeader } = useSession();
  const inbox = lastInbox.state ?? inboxStateFromSearch(new URLSearchParams());
  useEffect(() => {
    document.title = `${props.title} · ${t('app.name')}`;
  }, [props.title, t]);
  return (
    <Shell inbox={inbox} activeView={null} section={props.section}>
      <div className="page">
        <header className="page-head">
          <h1>{props.title}</h1>
        </header>
        {props.leaderOnly && !isLeader ? (
          <p className="notice" role="alert">
            {t('admin.leadersOnly')}
          </p>
        ) : (
          props.children
        )}
      </div>
    </Shell>
  );
}

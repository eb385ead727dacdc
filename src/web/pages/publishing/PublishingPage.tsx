import { useCallback, useEffect, useMemo, useState } from 'react';
import { isAbort } from '../../api.ts';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { FindingList } from '../approvals/Findings.tsx';
import {
  type BrandAccount,
  type Campaign,
  type Pause,
  type Post,
  type PostCheck,
  type PostStatus,
  publishingApi,
} from './publishing-api.ts';
import './publishing.css';

/** Roles that write posts (the server decides; this only hides the composer). */
const WRITERS = new Set(['leader', 'manager']);
const DAY = 86_400_000;

type Mode = 'week' | 'month';

/** Midnight (local time) of the Monday of the week of `d`. */
function mondayOf(d: Date): Date {
  const x = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  x.setDate(x.getDate() - ((x.getDay() + 6) % 7));
  return x;
}

/** The days shown: a week from Monday, or the weeks covering the month of `anchor`. */
function daysOf(mode: Mode, anchor: Date): Date[] {
  if (mode === 'week') {
    const start = mondayOf(anchor);
    return Array.from({ length: 7 }, (_, i) => new Date(start.getFullYear(), start.getMonth(), start.getDate() + i));
  }
  const first = new Date(anchor.getFullYear(), anchor.getMonth(), 1);
  const start = mondayOf(first);
  const last = new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0);
  const weeks = Math.ceil(((last.getTime() - start.getTime()) / DAY + 1) / 7);
  return Array.from(
    { length: weeks * 7 },
    (_, i) => new Date(start.getFullYear(), start.getMonth(), start.getDate() + i),
  );
}

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** A date as the value of a datetime-local input (local time, minutes). */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const when = (p: Post) => p.published_at ?? p.scheduled_at;

/**
 * Publishing: the calendar of posts per community (a week or a month, chips coloured by status), filtered by
 * community and campaign, the pause banner of each paused community, and the composer that shows the exact
 * identity a post goes out as with the guideline checks of its text.
 */
export function PublishingPage() {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const { me, isLeader } = useSession();
  const [mode, setMode] = useState<Mode>('week');
  const [anchor, setAnchor] = useState(() => new Date());
  const [community, setCommunity] = useState<number | undefined>(undefined);
  const [campaign, setCampaign] = useState<number | undefined>(undefined);
  const [data, setData] = useState<{ posts: Post[]; pauses: Pause[] } | null>(null);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [accounts, setAccounts] = useState<BrandAccount[]>([]);
  const [editing, setEditing] = useState<Post | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const days = useMemo(() => daysOf(mode, anchor), [mode, anchor]);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks for a reload.
  useEffect(() => {
    const ac = new AbortController();
    const from = days[0]!;
    const to = new Date(days.at(-1)!.getTime() + DAY);
    publishingApi
      .calendar({ from: from.toISOString(), to: to.toISOString(), community, campaign }, ac.signal)
      .then(setData, (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      });
    return () => ac.abort();
  }, [days, community, campaign, t, tick]);

  // Posts change status on their own (the worker publishes them): the calendar refreshes while open.
  useEffect(() => {
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [reload]);

  useEffect(() => {
    const ac = new AbortController();
    publishingApi.campaigns(ac.signal).then(setCampaigns, () => {});
    publishingApi.accounts(ac.signal).then(
      (a) => setAccounts(a.filter((x) => x.kind === 'account')),
      () => {},
    );
    return () => ac.abort();
  }, []);

  const step = (dir: 1 | -1) =>
    setAnchor((a) =>
      mode === 'week'
        ? new Date(a.getFullYear(), a.getMonth(), a.getDate() + 7 * dir)
        : new Date(a.getFullYear(), a.getMonth() + dir, 1),
    );
  const communityName = (id: number) => me.communities.find((c) => c.id === id)?.name ?? String(id);
  const pauses = (data?.pauses ?? []).filter((p) => community === undefined || p.community_id === community);

  const togglePause = async (communityId: number, paused: boolean) => {
    try {
      if (paused) await publishingApi.resume(communityId);
      else {
        const reason = window.prompt(t('publishing.pauseReason'));
        if (!reason?.trim()) return;
        await publishingApi.pause(communityId, reason.trim());
      }
      reload();
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    }
  };

  return (
    <Page section="publishing" title={t('publishing.pageTitle')}>
      <div className="publishing-tools">
        <label className="field-inline">
          <span>{t('publishing.community')}</span>
          <select
            value={community ?? ''}
            onChange={(e) => setCommunity(e.target.value ? Number(e.target.value) : undefined)}
            data-control="publishing-community"
          >
            <option value="">{t('publishing.allCommunities')}</option>
            {me.communities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>{t('publishing.campaign')}</span>
          <select
            value={campaign ?? ''}
            onChange={(e) => setCampaign(e.target.value ? Number(e.target.value) : undefined)}
            data-control="publishing-campaign"
          >
            <option value="">{t('publishing.allCampaigns')}</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('publishing.view')}</legend>
          {(['week', 'month'] as const).map((m) => (
            <button
              key={m}
              type="button"
              className={`btn ${mode === m ? 'btn-primary' : ''}`}
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
            >
              {t(`publishing.${m}` as MessageKey)}
            </button>
          ))}
        </fieldset>
        <button type="button" className="btn" onClick={() => step(-1)} aria-label={t('publishing.previous')}>
          ‹
        </button>
        <button type="button" className="btn" onClick={() => setAnchor(new Date())}>
          {t('publishing.today')}
        </button>
        <button type="button" className="btn" onClick={() => step(1)} aria-label={t('publishing.next')}>
          ›
        </button>
        <span className="publishing-range">
          {fmt.date(days[0]!.toISOString())} – {fmt.date(days.at(-1)!.toISOString())}
        </span>
        {WRITERS.has(me.role) && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-action="new-post">
            {t('publishing.newPost')}
          </button>
        )}
      </div>
      {pauses.map((p) => (
        <div key={p.community_id} className="notice publishing-paused" role="status" data-paused={p.community_id}>
          {t('publishing.pausedBanner', {
            community: communityName(p.community_id),
            reason: p.reason,
            since: fmt.dateTime(p.since),
          })}
          {isLeader && (
            <button type="button" className="btn" onClick={() => void togglePause(p.community_id, true)}>
              {t('publishing.resume')}
            </button>
          )}
        </div>
      ))}
      {isLeader && community !== undefined && !pauses.some((p) => p.community_id === community) && (
        <p>
          <button type="button" className="btn" onClick={() => void togglePause(community, false)}>
            {t('publishing.pause', { community: communityName(community) })}
          </button>
        </p>
      )}
      {error && (
        <p role="alert" className="notice">
          {error}
        </p>
      )}
      <div className="publishing-legend" aria-hidden="true">
        {(['draft', 'pending_approval', 'scheduled', 'paused', 'published', 'failed'] as PostStatus[]).map((s) => (
          <span key={s} className={`post-chip post-${s}`}>
            {t(`publishing.status.${s}` as MessageKey)}
          </span>
        ))}
      </div>
      <div className={`publishing-grid publishing-${mode}`} data-testid="publishing-calendar">
        {days.map((d) => {
          const posts = (data?.posts ?? []).filter((p) => {
            const w = when(p);
            return w !== null && sameDay(new Date(w), d);
          });
          return (
            <section key={d.toISOString()} className={`publishing-day ${sameDay(d, new Date()) ? 'today' : ''}`}>
              <h2>{fmt.date(d.toISOString())}</h2>
              <ul>
                {posts.map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className={`post-chip post-${p.status}`}
                      data-post={p.id}
                      data-status={p.status}
                      title={`${t(`publishing.status.${p.status}` as MessageKey)} · ${p.account.handle} · ${p.community.name}`}
                      onClick={() => setEditing(p)}
                    >
                      <span className="post-time">{fmt.time(when(p))}</span> {p.text.slice(0, 60)}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      {editing !== null && (
        <Composer
          key={editing === 'new' ? 'new' : editing.id}
          post={editing === 'new' ? null : editing}
          accounts={accounts}
          campaigns={campaigns}
          defaultCommunity={community}
          onClose={() => setEditing(null)}
          onChanged={reload}
        />
      )}
    </Page>
  );
}

/** The composer: community and account (the identity shown as it will post), text, link, time, checks. */
function Composer(props: {
  post: Post | null;
  accounts: BrandAccount[];
  campaigns: Campaign[];
  defaultCommunity: number | undefined;
  onClose(): void;
  onChanged(): void;
}) {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const p = props.post;
  const writable = WRITERS.has(me.role) && (p === null || ['draft', 'failed'].includes(p.status));
  const [community, setCommunity] = useState<number | undefined>(
    p?.community_id ?? props.defaultCommunity ?? me.communities[0]?.id,
  );
  const options = props.accounts.filter((a) => a.community_id === community);
  const [account, setAccount] = useState<number | undefined>(p?.account_id);
  const accountId = account !== undefined && options.some((a) => a.id === account) ? account : options[0]?.id;
  const [text, setText] = useState(p?.text ?? '');
  const [link, setLink] = useState(p?.link ?? '');
  const [at, setAt] = useState(() =>
    localInput(p?.scheduled_at ? new Date(p.scheduled_at) : new Date(Date.now() + 3_600_000)),
  );
  const [campaign, setCampaign] = useState<number | undefined>(p?.campaign_id ?? undefined);
  const [check, setCheck] = useState<PostCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [acknowledge, setAcknowledge] = useState(false);
  // A cleared or waiting post keeps its checks and approvals when only its time changes.
  const reschedulable =
    WRITERS.has(me.role) && p !== null && ['scheduled', 'paused', 'pending_approval'].includes(p.status);
  const iAmApprover = p?.status === 'pending_approval' && p.approver_ids.includes(me.id) && p.created_by !== me.id;

  useEffect(() => {
    if (!text.trim() || community === undefined || accountId === undefined || !WRITERS.has(me.role)) {
      setCheck(null);
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      publishingApi
        .check({ community_id: community, account_id: accountId, text, link: link.trim() || null }, ac.signal)
        .then(setCheck, (err: unknown) => {
          if (!isAbort(err)) setCheck(null);
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [community, accountId, text, link, me.role]);

  const identity = props.accounts.find((a) => a.id === accountId);
  const warns = check?.findings.some((f) => f.severity === 'warn') ?? false;

  const run = async (fn: () => Promise<unknown>, done: MessageKey) => {
    setBusy(true);
    try {
      await fn();
      toast(t(done));
      props.onChanged();
      props.onClose();
    } catch (err) {
      toast(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  const save = async (submit: boolean) => {
    if (community === undefined || accountId === undefined) return;
    const body = {
      account_id: accountId,
      text,
      link: link.trim() || null,
      scheduled_at: new Date(at).toISOString(),
      campaign_id: campaign ?? null,
    };
    await run(
      async () => {
        const saved = p
          ? await publishingApi.edit(p.id, body)
          : await publishingApi.create({ ...body, community_id: community });
        if (submit) await publishingApi.submit(saved.id, acknowledge);
      },
      submit ? 'publishing.submitted' : 'publishing.saved',
    );
  };

  return (
    <aside className="publishing-composer" aria-label={t('publishing.composer')} data-testid="post-composer">
      <header>
        <h2>{p ? t('publishing.postTitle', { id: String(p.id) }) : t('publishing.newPost')}</h2>
        <button type="button" className="btn" onClick={props.onClose}>
          {t('publishing.close')}
        </button>
      </header>
      {p && (
        <p>
          <span className={`post-chip post-${p.status}`} data-status={p.status}>
            {t(`publishing.status.${p.status}` as MessageKey)}
          </span>{' '}
          {p.published_at && t('publishing.publishedAt', { at: fmt.dateTime(p.published_at) })}
          {p.external_id && <span className="post-external"> · {p.external_id}</span>}
        </p>
      )}
      {p?.review_note && <p className="notice">{t('publishing.rejectedNote', { note: p.review_note })}</p>}
      {p?.last_error && <p className="notice">{p.last_error}</p>}
      {p?.late && (
        <p className="notice notice-warn" data-testid="post-late">
          {t('publishing.late')}
        </p>
      )}
      <label className="field">
        <span>{t('publishing.community')}</span>
        <select
          value={community ?? ''}
          disabled={!writable || p !== null}
          onChange={(e) => setCommunity(Number(e.target.value))}
          data-control="post-community"
        >
          {me.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('publishing.account')}</span>
        <select
          value={accountId ?? ''}
          disabled={!writable}
          onChange={(e) => setAccount(Number(e.target.value))}
          data-control="post-account"
        >
          {options.map((a) => (
            <option key={a.id} value={a.id}>
              {a.handle} ({a.network})
            </option>
          ))}
        </select>
      </label>
      <p className="post-identity" data-testid="post-identity">
        {identity
          ? t('publishing.postingAs', {
              handle: identity.handle,
              network: identity.network,
              community: me.communities.find((c) => c.id === community)?.name ?? '',
            })
          : t('publishing.noAccount')}
      </p>
      <label className="field">
        <span>{t('publishing.text')}</span>
        <textarea
          value={text}
          rows={5}
          readOnly={!writable}
          onChange={(e) => setText(e.target.value)}
          data-control="post-text"
        />
      </label>
      <label className="field">
        <span>{t('publishing.link')}</span>
        <input
          type="url"
          value={link}
          readOnly={!writable}
          onChange={(e) => setLink(e.target.value)}
          data-control="post-link"
        />
      </label>
      <label className="field">
        <span>{t('publishing.scheduledAt')}</span>
        <input
          type="datetime-local"
          value={at}
          readOnly={!writable && !reschedulable}
          onChange={(e) => setAt(e.target.value)}
          data-control="post-at"
        />
      </label>
      <label className="field">
        <span>{t('publishing.campaign')}</span>
        <select
          value={campaign ?? ''}
          disabled={!writable}
          onChange={(e) => setCampaign(e.target.value ? Number(e.target.value) : undefined)}
        >
          <option value="">{t('publishing.noCampaign')}</option>
          {props.campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {check && writable && (
        <div className="post-check" data-testid="post-check">
          <FindingList findings={check.findings} />
          <p>
            {check.approval.required > 0
              ? t('publishing.needsApproval', { n: String(check.approval.required), rule: check.approval.rule ?? '' })
              : t('publishing.noApproval')}
          </p>
          {check.paused && <p className="notice">{t('publishing.willWait', { reason: check.paused.reason })}</p>}
          {warns && (
            <label className="field-inline">
              <input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} />
              <span>{t('publishing.acknowledge')}</span>
            </label>
          )}
        </div>
      )}
      <div className="post-actions">
        {writable && (
          <>
            <button type="button" className="btn" disabled={busy || !text.trim()} onClick={() => void save(false)}>
              {t('publishing.saveDraft')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || !text.trim() || accountId === undefined}
              onClick={() => void save(true)}
              data-action="submit-post"
            >
              {t('publishing.submit')}
            </button>
          </>
        )}
        {reschedulable && p && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() =>
              void run(() => publishingApi.schedule(p.id, new Date(at).toISOString()), 'publishing.rescheduled')
            }
            data-action="reschedule-post"
          >
            {t('publishing.reschedule')}
          </button>
        )}
        {iAmApprover && p && (
          <>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => void run(() => publishingApi.approve(p.id), 'publishing.approved')}
            >
              {t('publishing.approve')}
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => {
                const note = window.prompt(t('publishing.rejectNote'));
                if (note?.trim()) void run(() => publishingApi.reject(p.id, note.trim()), 'publishing.rejected');
              }}
            >
              {t('publishing.reject')}
            </button>
          </>
        )}
        {p &&
          WRITERS.has(me.role) &&
          ['draft', 'pending_approval', 'scheduled', 'paused', 'failed'].includes(p.status) && (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => void run(() => publishingApi.cancel(p.id), 'publishing.cancelled')}
            >
              {t('publishing.cancel')}
            </button>
          )}
      </div>
    </aside>
  );
}

import { type KeyboardEvent, type Ref, useState } from 'react';
import { api, type CaseAccount, type CaseDetail, type Community } from '../../api.ts';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { secondsLeft } from '../../lib/time.ts';
import { useReference, useSession } from '../../session.tsx';

export type ComposerMode = 'reply' | 'note';
export type Visibility = 'public' | 'private';

/** The longest post each network accepts; the server's own limit applies to others. */
const NETWORK_LIMITS: Record<string, number> = {
  sandbox: 5000,
  bluesky: 300,
  mastodon: 500,
  x: 280,
  twitter: 280,
  threads: 500,
  instagram: 2200,
  facebook: 8000,
  linkedin: 3000,
};
const SERVER_LIMIT = 20_000;

export function replyLimit(network: string | undefined): number {
  return (network && NETWORK_LIMITS[network]) || SERVER_LIMIT;
}

/**
 * The identity a reply goes out as: the case's own account, else (like the server) the community's
 * account on the case's network; null when there is none (a press article, a mention elsewhere).
 */
export function replyAccount(c: CaseDetail, communities: Community[] | null): CaseAccount | null {
  if (c.account) return c.account;
  const community = communities?.find((x) => x.id === c.community?.id);
  const a = community?.accounts.find((x) => x.network === c.channel && x.kind === 'account');
  if (!community || !a) return null;
  return {
    id: a.id,
    network: a.network,
    handle: a.handle,
    display_name: community.name,
    community: { id: community.id, name: community.name },
    paused: a.paused,
  };
}

/** Characters as people count them (an emoji is one), not UTF-16 units. */
export function characterCount(text: string): number {
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (Segmenter) {
    let n = 0;
    for (const _ of new Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) n++;
    return n;
  }
  return [...text].length;
}

/** Who a reply will be posted as, said before sending; replies, notes, or an explanation of why neither. */
export function Composer(props: {
  c: CaseDetail;
  draft: string;
  setDraft(text: string): void;
  mode: ComposerMode;
  setMode(mode: ComposerMode): void;
  textareaRef: Ref<HTMLTextAreaElement>;
  onDone(): void;
}) {
  const { c, draft, setDraft, mode, setMode } = props;
  const { t, fmt } = useI18n();
  const { me, canWork } = useSession();
  const { communities } = useReference();
  const notify = useToast();
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!canWork) {
    return (
      <section className="composer composer-disabled" aria-labelledby="composer-title">
        <h2 id="composer-title" className="visually-hidden">
          {t('composer.title')}
        </h2>
        <p className="notice">{t('composer.readOnly', { role: labelFor(t, 'role', me.role) })}</p>
      </section>
    );
  }

  const account = replyAccount(c, communities);
  const canReply = account !== null && !account.paused;
  const effectiveMode: ComposerMode = canReply ? mode : 'note';
  const limit = effectiveMode === 'reply' ? replyLimit(account?.network) : SERVER_LIMIT;
  const count = characterCount(draft);
  const over = count - limit;
  const empty = draft.trim().length === 0;

  const send = async (resolve: boolean) => {
    if (busy) return;
    if (empty) {
      setError(t('composer.empty'));
      return;
    }
    if (over > 0) return;
    setBusy(true);
    setError(null);
    try {
      if (effectiveMode === 'reply') {
        const queued = await api.reply(c.id, { text: draft, resolve, visibility });
        const s = secondsLeft(queued.send_at, Date.now());
        notify(s > 0 ? t('composer.queued', { s }) : t('composer.queuedNow'));
      } else {
        await api.note(c.id, draft);
        notify(t('composer.noteAdded'));
      }
      setDraft('');
      props.onDone();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send(false);
    }
  };

  const visibilityLabel = visibility === 'public' ? t('composer.public') : t('composer.private');
  const contactName = c.contact.name || c.contact.handle || '';

  return (
    <section className={`composer composer-${effectiveMode}`} aria-labelledby="composer-title">
      <h2 id="composer-title" className="visually-hidden">
        {t('composer.title')}
      </h2>
      {!account && communities !== null && <p className="notice notice-warn">{t('composer.noAccount')}</p>}
      {account?.paused && <p className="notice notice-warn">{t('composer.paused', { handle: account.handle })}</p>}
      {canReply && (
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('composer.mode')}</legend>
          <label className={mode === 'reply' ? 'is-on' : ''}>
            <input type="radio" name="composer-mode" checked={mode === 'reply'} onChange={() => setMode('reply')} />
            {t('composer.modeReply')}
          </label>
          <label className={mode === 'note' ? 'is-on' : ''}>
            <input type="radio" name="composer-mode" checked={mode === 'note'} onChange={() => setMode('note')} />
            {t('composer.modeNote')}
          </label>
        </fieldset>
      )}
      {effectiveMode === 'reply' && account ? (
        <div className="composer-identity">
          <p className="posting-as" data-testid="posting-as">
            {t('composer.postingAs', {
              handle: account.handle,
              community: account.community?.name ?? account.display_name,
              visibility: visibilityLabel,
            })}
          </p>
          <label className="inline-field">
            <span>{t('composer.visibility')}</span>
            <select value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)}>
              <option value="public">{t('composer.public')}</option>
              <option value="private">{t('composer.private')}</option>
            </select>
          </label>
        </div>
      ) : (
        <p className="composer-identity note-hint">{t('composer.noteHint')}</p>
      )}
      <label htmlFor="composer-text" className="visually-hidden">
        {effectiveMode === 'reply' ? t('composer.replyLabel', { name: contactName }) : t('composer.noteLabel')}
      </label>
      <textarea
        id="composer-text"
        ref={props.textareaRef}
        className="composer-text"
        rows={5}
        value={draft}
        placeholder={effectiveMode === 'reply' ? t('composer.replyPlaceholder') : t('composer.notePlaceholder')}
        onChange={(e) => {
          setDraft(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={onKeyDown}
        aria-describedby="composer-counter composer-keys"
        aria-invalid={over > 0 || undefined}
        aria-keyshortcuts="Control+Enter"
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {over > 0 && (
        <p className="form-error" role="alert">
          {t('composer.tooLong', { network: account?.network ?? '', over: fmt.number(over) })}
        </p>
      )}
      <div className="composer-foot">
        <span id="composer-counter" className={`counter${over > 0 ? ' counter-over' : ''}`}>
          <span aria-hidden="true">{t('composer.counter', { n: fmt.number(count), max: fmt.number(limit) })}</span>
          <span className="visually-hidden">
            {t('composer.counterLabel', { n: fmt.number(count), max: fmt.number(limit) })}
          </span>
        </span>
        <span id="composer-keys" className="muted small">
          {effectiveMode === 'reply' ? `${t('composer.keys')} · ${t('composer.sendHint')}` : t('composer.keys')}
        </span>
        <span className="spacer" />
        {effectiveMode === 'reply' ? (
          <>
            <button
              type="button"
              className="btn"
              disabled={busy || over > 0}
              onClick={() => void send(true)}
              data-action="send-resolve"
            >
              {t('composer.sendResolve')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || over > 0}
              onClick={() => void send(false)}
              title={t('composer.sendHint')}
              data-action="send"
            >
              {busy ? t('composer.working') : t('composer.send')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="btn btn-note"
            disabled={busy || over > 0}
            onClick={() => void send(false)}
            data-action="add-note"
          >
            {busy ? t('composer.working') : t('composer.addNote')}
          </button>
        )}
      </div>
    </section>
  );
}

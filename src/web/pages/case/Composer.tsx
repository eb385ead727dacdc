import { type KeyboardEvent, type Ref, useEffect, useMemo, useState } from 'react';
import {
  api,
  type CannedReply,
  type CaseAccount,
  type CaseDetail,
  isAbort,
  type RenderedReply,
  type ReplyBlock,
} from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { secondsLeft } from '../../lib/time.ts';
import { useSession } from '../../session.tsx';
import { GuidelineFindings, useReplyCheck } from '../approvals/Findings.tsx';

export type ComposerMode = 'reply' | 'note';
export type Visibility = 'public' | 'private';

/** The server's own limit on a reply or a note. */
const SERVER_LIMIT = 20_000;
const VARIABLE = /\{\{\s*[\w.]+\s*\}\}/;

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

/** Whether a reply can go out, as the server says (`reply`), else as far as the account tells. */
export function replyState(c: CaseDetail): { possible: boolean; reason: ReplyBlock | null } {
  if (c.reply) return c.reply;
  if (!c.account) return { possible: false, reason: 'no_account' };
  if (c.account.paused) return { possible: false, reason: 'account_paused' };
  return { possible: true, reason: null };
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
  const notify = useToast();
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picker, setPicker] = useState(false);
  const [showPreview, setShowPreview] = useState(false);
  const [variableNotice, setVariableNotice] = useState<RenderedReply['variables'] | null>(null);

  const account: CaseAccount | null = c.account;
  const state = replyState(c);
  const canReply = state.possible && account !== null;
  const effectiveMode: ComposerMode = canReply ? mode : 'note';
  const supportsPrivate = account?.supports_private === true;
  const effectiveVisibility: Visibility = supportsPrivate ? visibility : 'public';
  const limit = effectiveMode === 'reply' ? (account?.max_length ?? SERVER_LIMIT) : SERVER_LIMIT;
  const count = characterCount(draft);
  const hasVariables = VARIABLE.test(draft);
  const wantsPreview =
    canWork && effectiveMode === 'reply' && draft.trim() !== '' && (showPreview || hasVariables || count > limit);
  const preview = useRenderPreview(c.id, wantsPreview ? draft : '');
  // Guidelines and the approval policy, shown before sending (the server applies them again on send).
  const [check, setCheck] = useReplyCheck(
    c.id,
    canWork && canReply && effectiveMode === 'reply' ? draft : '',
    effectiveVisibility,
  );
  const [acknowledged, setAcknowledged] = useState(false);
  const blockedByGuidelines = check?.findings.some((f) => f.severity === 'block') === true;
  const threadOk = preview?.text !== undefined && !preview.fits && preview.thread_allowed && preview.parts.length > 1;
  const over =
    effectiveMode === 'reply' && preview && preview.max_length !== null
      ? preview.length - preview.max_length
      : count - limit;
  const blockedByLength = over > 0 && !threadOk;
  const empty = draft.trim().length === 0;

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

  const send = async (resolve: boolean) => {
    if (busy) return;
    if (empty) {
      setError(t('composer.empty'));
      return;
    }
    if (blockedByLength) return;
    setBusy(true);
    setError(null);
    try {
      if (effectiveMode === 'reply') {
        let text = draft;
        // What goes out is what the preview shows: variables filled for this case.
        if (hasVariables) {
          const r = await api.renderReply(c.id, { text: draft });
          if (r.variables.unknown.length > 0) {
            setError(t('composer.unknownVariables', { names: r.variables.unknown.map((v) => `{{${v}}}`).join(', ') }));
            return;
          }
          text = r.text;
        }
        const fresh = await api.checkReply(c.id, { text, visibility: effectiveVisibility });
        setCheck(fresh);
        if (fresh.findings.some((f) => f.severity === 'block')) {
          setError(t('governance.blocked'));
          return;
        }
        const warned = fresh.findings.some((f) => f.severity === 'warn');
        if (warned && !acknowledged) {
          setError(t('governance.acknowledgeFirst'));
          return;
        }
        const queued = await api.reply(c.id, {
          text,
          resolve,
          visibility: effectiveVisibility,
          ...(warned ? { acknowledge_warnings: true } : {}),
        });
        if (queued.status === 'awaiting_approval') {
          notify(t('governance.sentForApproval', { n: queued.approval?.required ?? 1 }));
        } else {
          const s = secondsLeft(queued.send_at ?? '', Date.now());
          notify(s > 0 ? t('composer.queued', { s }) : t('composer.queuedNow'));
        }
        setAcknowledged(false);
      } else {
        await api.note(c.id, draft);
        notify(t('composer.noteAdded'));
      }
      setDraft('');
      setVariableNotice(null);
      props.onDone();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  const insertCanned = async (canned: CannedReply) => {
    setPicker(false);
    try {
      const r = await api.renderReply(c.id, { canned_reply_id: canned.id });
      setDraft(draft.trim() ? `${draft.trimEnd()}\n\n${r.text}` : r.text);
      setMode('reply');
      setVariableNotice(r.variables.unknown.length > 0 || r.variables.empty.length > 0 ? r.variables : null);
      notify(t('canned.inserted', { title: canned.title }));
      requestAnimationFrame(() => document.getElementById('composer-text')?.focus());
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send(false);
    }
  };

  const visibilityLabel = effectiveVisibility === 'public' ? t('composer.public') : t('composer.private');
  const contactName = c.contact.name || c.contact.handle || '';

  return (
    <section className={`composer composer-${effectiveMode}`} aria-labelledby="composer-title">
      <h2 id="composer-title" className="visually-hidden">
        {t('composer.title')}
      </h2>
      {!canReply && (
        <p className="notice notice-warn" data-testid="reply-blocked" data-reason={state.reason ?? ''}>
          {state.reason === 'account_paused'
            ? t('composer.paused', { handle: account?.handle ?? '' })
            : state.reason === 'no_connector'
              ? t('composer.noConnector', { network: account?.network ?? c.channel })
              : t('composer.noAccount')}
        </p>
      )}
      <div className="composer-top">
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
        {canReply && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setPicker(true)}
            aria-haspopup="dialog"
            data-action="canned"
          >
            {t('canned.open')}
          </button>
        )}
      </div>
      {effectiveMode === 'reply' && account ? (
        <div className="composer-identity">
          <p className="posting-as" data-testid="posting-as">
            {t('composer.postingAs', {
              handle: account.handle,
              community: account.community?.name ?? account.display_name,
              visibility: visibilityLabel,
            })}
          </p>
          {supportsPrivate && (
            <label className="inline-field">
              <span>{t('composer.visibility')}</span>
              <select
                value={visibility}
                onChange={(e) => setVisibility(e.target.value as Visibility)}
                data-control="visibility"
              >
                <option value="public">{t('composer.public')}</option>
                <option value="private">{t('composer.private')}</option>
              </select>
            </label>
          )}
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
        aria-invalid={blockedByLength || undefined}
        aria-keyshortcuts="Control+Enter"
      />
      {variableNotice && (variableNotice.unknown.length > 0 || variableNotice.empty.length > 0) && (
        <p className="notice notice-warn small" data-testid="variables-notice">
          {variableNotice.unknown.length > 0 &&
            t('composer.unknownVariables', { names: variableNotice.unknown.map((v) => `{{${v}}}`).join(', ') })}
          {variableNotice.unknown.length > 0 && variableNotice.empty.length > 0 ? ' ' : ''}
          {variableNotice.empty.length > 0 &&
            t('composer.emptyVariables', { names: variableNotice.empty.map((v) => `{{${v}}}`).join(', ') })}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {blockedByLength && (
        <p className="form-error" role="alert">
          {t('composer.tooLong', { network: account?.network ?? '', over: fmt.number(over) })}
        </p>
      )}
      {effectiveMode === 'reply' && canReply && check && (
        <GuidelineFindings check={check} acknowledged={acknowledged} onAcknowledge={setAcknowledged} />
      )}
      {effectiveMode === 'reply' && account && wantsPreview && preview && (
        <ReplyPreview preview={preview} handle={account.handle} visibility={visibilityLabel} />
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
        {effectiveMode === 'reply' && (
          <label className="inline-check small">
            <input
              type="checkbox"
              checked={showPreview}
              onChange={(e) => setShowPreview(e.target.checked)}
              data-control="preview"
            />
            {t('composer.preview')}
          </label>
        )}
        {effectiveMode === 'reply' ? (
          <>
            <button
              type="button"
              className="btn"
              disabled={busy || blockedByLength || blockedByGuidelines}
              onClick={() => void send(true)}
              data-action="send-resolve"
            >
              {t('composer.sendResolve')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || blockedByLength || blockedByGuidelines}
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
      <CannedPicker
        open={picker}
        communityId={c.community?.id}
        language={c.language}
        onClose={() => setPicker(false)}
        onPick={(r) => void insertCanned(r)}
      />
    </section>
  );
}

/** The reply rendered by the server (variables filled, split into a thread if needed), refreshed as one types. */
function useRenderPreview(caseId: number, text: string): RenderedReply | null {
  const [result, setResult] = useState<RenderedReply | null>(null);
  useEffect(() => {
    if (!text.trim()) {
      setResult(null);
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      api.renderReply(caseId, { text }, ac.signal).then(setResult, (err: unknown) => {
        if (!isAbort(err)) setResult(null);
      });
    }, 300);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [caseId, text]);
  return text.trim() ? result : null;
}

/** "As it will appear": each post of the reply as the customer will see it, as text. */
function ReplyPreview(props: { preview: RenderedReply; handle: string; visibility: string }) {
  const { t, fmt } = useI18n();
  const p = props.preview;
  const parts = p.parts.length > 0 ? p.parts : [p.text];
  return (
    <section className="reply-preview" aria-label={t('composer.previewTitle')} data-testid="reply-preview">
      <h3 className="panel-sub">{t('composer.previewTitle')}</h3>
      <p className="muted small">
        {p.max_length !== null
          ? t('composer.previewLength', { n: fmt.number(p.length), max: fmt.number(p.max_length) })
          : t('composer.previewLengthNoLimit', { n: fmt.number(p.length) })}
        {!p.fits && p.thread_allowed && parts.length > 1
          ? ` · ${t('composer.previewThread', { n: parts.length })}`
          : ''}
        {!p.fits && !p.thread_allowed ? ` · ${t('composer.previewNoThread')}` : ''}
      </p>
      {p.variables.unknown.length > 0 && (
        <p className="notice notice-warn small">
          {t('composer.unknownVariables', { names: p.variables.unknown.map((v) => `{{${v}}}`).join(', ') })}
        </p>
      )}
      <ol className="preview-parts">
        {parts.map((part, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text, in order.
          <li key={i} className="preview-post">
            <span className="preview-head">
              <span className="msg-author">{props.handle}</span>
              <span className="muted small">{props.visibility}</span>
            </span>
            <span className="msg-text">{part}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * Canned replies of the community, in the case's language first; a filter box finds one by title or text. Also the
 * picker of training replays (src/web/pages/training).
 */
export function CannedPicker(props: {
  open: boolean;
  communityId: number | undefined;
  language: string | null;
  onClose(): void;
  onPick(r: CannedReply): void;
}) {
  const { t, fmt } = useI18n();
  const { open, language } = props;
  const [list, setList] = useState<CannedReply[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [allLanguages, setAllLanguages] = useState(false);
  const communityId = props.communityId;
  useEffect(() => {
    if (!open) return;
    const ac = new AbortController();
    api.cannedReplies({ community_id: communityId }, ac.signal).then(
      (l) => {
        setList(l);
        setFailed(null);
      },
      (err: unknown) => {
        if (!isAbort(err)) setFailed(errorMessage(t, err));
      },
    );
    return () => ac.abort();
  }, [open, communityId, t]);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const inTitle = (r: CannedReply) => words.every((w) => r.title.toLowerCase().includes(w));
    return (list ?? [])
      .filter((r) => allLanguages || !language || r.language === language)
      .filter((r) => words.every((w) => `${r.title} ${r.body}`.toLowerCase().includes(w)))
      .sort((a, b) => Number(inTitle(b)) - Number(inTitle(a)));
  }, [list, filter, allLanguages, language]);
  return (
    <Dialog open={open} onClose={props.onClose} title={t('canned.title')} wide testId="canned-picker">
      <div className="picker-tools">
        <label className="grow">
          <span className="visually-hidden">{t('canned.filter')}</span>
          <input
            type="search"
            value={filter}
            placeholder={t('canned.filter')}
            aria-label={t('canned.filter')}
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && shown[0]) {
                e.preventDefault();
                props.onPick(shown[0]);
              }
            }}
          />
        </label>
        {language && (
          <label className="inline-check small">
            <input type="checkbox" checked={allLanguages} onChange={(e) => setAllLanguages(e.target.checked)} />
            {t('canned.allLanguages', { language: fmt.language(language) })}
          </label>
        )}
      </div>
      {failed ? (
        <p className="form-error">{failed}</p>
      ) : list === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : shown.length === 0 ? (
        <p className="muted">{t('canned.none')}</p>
      ) : (
        <ul className="canned-list">
          {shown.map((r) => (
            <li key={r.id}>
              <button type="button" className="canned-item" onClick={() => props.onPick(r)} data-canned-id={r.id}>
                <span className="canned-title">
                  <strong>{r.title}</strong>
                  <span className="chip chip-lang">{r.language.toUpperCase()}</span>
                  <span className="muted small">{r.community ? r.community.name : t('canned.everyCommunity')}</span>
                </span>
                <span className="canned-body">{r.body}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

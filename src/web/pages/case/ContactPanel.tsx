import { useEffect, useState } from 'react';
import { ApiError, api, type Contact, isAbort } from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { StatusPill } from '../../components/Labels.tsx';
import { Link } from '../../components/Link.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { useSession } from '../../session.tsx';
import { AdvocateHistory } from '../advocates/AdvocateHistory.tsx';
import { excerpt } from '../inbox/CaseRow.tsx';

/**
 * Who the customer is across networks, and their history: every other case as a link, the tone of their
 * messages week by week; people who work cases mark them VIP, keep notes, and merge duplicates.
 */
export function ContactPanel(props: { contactId: number; caseId: number; version: string; onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { canWork, isLeader } = useSession();
  const notify = useToast();
  const [contact, setContact] = useState<Contact | null>(null);
  const [failed, setFailed] = useState(false);
  const [reloads, setReloads] = useState(0);
  const [editingNotes, setEditingNotes] = useState(false);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [merging, setMerging] = useState(false);
  const [erasing, setErasing] = useState(false);
  const { contactId, version } = props;

  useEffect(() => {
    const ac = new AbortController();
    // `version` changes when the case does: the history may have moved on too.
    void version;
    void reloads;
    api.contact(contactId, ac.signal).then(
      (c) => {
        setContact(c);
        setFailed(false);
      },
      (err: unknown) => {
        if (isAbort(err) || (err instanceof ApiError && err.status === 401)) return;
        setFailed(true);
      },
    );
    return () => ac.abort();
  }, [contactId, version, reloads]);

  const update = async (patch: { vip?: boolean; notes?: string }) => {
    const before = contact;
    // The checkbox follows the click at once; the server's answer confirms (or the error puts it back).
    if (patch.vip !== undefined) setContact((c) => (c ? { ...c, vip: patch.vip! } : c));
    setBusy(true);
    try {
      const r = await api.updateContact(contactId, patch);
      setContact((c) => (c ? { ...c, vip: r.vip, notes: r.notes } : c));
      notify(patch.vip !== undefined ? (r.vip ? t('contact.vipOn') : t('contact.vipOff')) : t('contact.notesSaved'));
      setEditingNotes(false);
    } catch (err) {
      if (patch.vip !== undefined) setContact(before);
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };

  const others = contact?.cases.filter((c) => c.id !== props.caseId) ?? [];
  return (
    <section className="panel" aria-labelledby="contact-title" data-testid="contact-panel">
      <h2 id="contact-title" className="panel-title">
        {t('contact.title')}
      </h2>
      {!contact ? (
        <p className="muted small">{failed ? t('contact.unavailable') : t('common.loading')}</p>
      ) : (
        <>
          <p className="contact-name">
            <span>{contact.name}</span>
            {contact.vip && <span className="badge badge-vip">{t('contact.vip')}</span>}
          </p>
          {canWork && (
            <label className="inline-check small">
              <input
                type="checkbox"
                checked={contact.vip}
                disabled={busy}
                onChange={(e) => void update({ vip: e.target.checked })}
                data-control="vip"
              />
              {t('contact.vipToggle')}
            </label>
          )}
          <h3 className="panel-sub">{t('contact.identities')}</h3>
          <ul className="identities">
            {contact.identities.map((i) => (
              <li key={`${i.channel}:${i.handle}`}>
                <span className="identity-channel">{i.channel}</span>
                <span className="identity-handle">{i.handle}</span>
                {i.name && i.name !== contact.name && <span className="muted"> · {i.name}</span>}
              </li>
            ))}
          </ul>
          {contact.stats && (
            <p className="small">
              {t('contact.stats', {
                messages: fmt.number(contact.stats.messages),
                negative: fmt.number(contact.stats.negative),
                positive: fmt.number(contact.stats.positive),
              })}
            </p>
          )}
          {contact.sentiment_by_week && contact.sentiment_by_week.length > 0 && (
            <SentimentWeeks weeks={contact.sentiment_by_week} />
          )}
          <p className="small muted">{t('contact.firstSeen', { date: fmt.date(contact.first_seen_at) })}</p>
          <AdvocateHistory contactId={contactId} version={version} />
          <h3 className="panel-sub">{t('contact.notes')}</h3>
          {editingNotes ? (
            <form
              className="mini-form"
              onSubmit={(e) => {
                e.preventDefault();
                void update({ notes });
              }}
            >
              <label>
                <span className="visually-hidden">{t('contact.notes')}</span>
                <textarea
                  value={notes}
                  rows={4}
                  maxLength={5000}
                  onChange={(e) => setNotes(e.target.value)}
                  data-control="contact-notes"
                />
              </label>
              <span className="mini-form-buttons">
                <button type="button" className="btn btn-small" onClick={() => setEditingNotes(false)}>
                  {t('common.cancel')}
                </button>
                <button type="submit" className="btn btn-small btn-primary" disabled={busy}>
                  {t('common.save')}
                </button>
              </span>
            </form>
          ) : (
            <>
              {contact.notes ? (
                <p className="contact-notes">{contact.notes}</p>
              ) : (
                <p className="muted small">{t('contact.noNotes')}</p>
              )}
              {canWork && (
                <span className="panel-buttons">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      setNotes(contact.notes);
                      setEditingNotes(true);
                    }}
                    data-action="edit-notes"
                  >
                    {t('contact.editNotes')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setMerging(true)}
                    data-action="merge-contact"
                  >
                    {t('contact.merge')}
                  </button>
                </span>
              )}
            </>
          )}
          <h3 className="panel-sub">{t('contact.history')}</h3>
          {others.length === 0 ? (
            <p className="muted small">{t('contact.noOther')}</p>
          ) : (
            <ul className="history">
              {others.map((c) => (
                <li key={c.id}>
                  <Link href={`/cases/${c.id}`} className="history-link">
                    <span className="history-top">
                      <span className="history-id">#{c.id}</span>
                      <StatusPill value={c.status} />
                      <time dateTime={c.created_at}>{fmt.date(c.created_at)}</time>
                    </span>
                    <span className="history-subject">{excerpt(c.subject, 120)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {isLeader && (
            <>
              <h3 className="panel-sub">{t('contact.privacy')}</h3>
              <span className="panel-buttons">
                <a
                  className="btn btn-small"
                  href={`/api/v1/contacts/${contact.id}/export`}
                  download={`contact-${contact.id}.json`}
                  data-action="export-contact"
                >
                  {t('contact.exportData')}
                </a>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  onClick={() => setErasing(true)}
                  data-action="erase-contact"
                >
                  {t('contact.erase')}
                </button>
              </span>
              <EraseContactDialog
                open={erasing}
                contact={contact}
                onClose={() => setErasing(false)}
                onErased={() => {
                  setErasing(false);
                  setReloads((n) => n + 1);
                  props.onChanged();
                }}
              />
            </>
          )}
          <MergeContactDialog
            open={merging}
            contact={contact}
            onClose={() => setMerging(false)}
            onMerged={() => {
              setMerging(false);
              setReloads((n) => n + 1);
              props.onChanged();
            }}
          />
        </>
      )}
    </section>
  );
}

/** Negative / neutral / positive messages per week, as small stacked bars, with the numbers for readers. */
function SentimentWeeks(props: { weeks: NonNullable<Contact['sentiment_by_week']> }) {
  const { t, fmt } = useI18n();
  const weeks = props.weeks.slice(-12);
  const max = Math.max(1, ...weeks.map((w) => w.negative + w.neutral + w.positive));
  return (
    <figure className="sentiment-weeks" data-testid="sentiment-weeks">
      <figcaption className="panel-sub">{t('contact.sentimentOverTime')}</figcaption>
      <ol className="sentiment-bars" aria-hidden="true">
        {weeks.map((w) => {
          const total = w.negative + w.neutral + w.positive;
          return (
            <li
              key={w.week}
              style={{ height: `${Math.max(8, Math.round((total / max) * 100))}%` }}
              title={t('contact.sentimentWeek', {
                week: fmt.date(w.week),
                negative: fmt.number(w.negative),
                neutral: fmt.number(w.neutral),
                positive: fmt.number(w.positive),
              })}
            >
              <span className="bar-pos" style={{ flexGrow: w.positive }} />
              <span className="bar-neu" style={{ flexGrow: w.neutral }} />
              <span className="bar-neg" style={{ flexGrow: w.negative }} />
            </li>
          );
        })}
      </ol>
      <ul className="visually-hidden">
        {weeks.map((w) => (
          <li key={w.week}>
            {t('contact.sentimentWeek', {
              week: fmt.date(w.week),
              negative: fmt.number(w.negative),
              neutral: fmt.number(w.neutral),
              positive: fmt.number(w.positive),
            })}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Erasure on request (GDPR): irreversible, so the leader confirms it explicitly; the server audits it. */
function EraseContactDialog(props: { open: boolean; contact: Contact; onClose(): void; onErased(): void }) {
  const { t } = useI18n();
  const notify = useToast();
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!props.open) setUnderstood(false);
  }, [props.open]);
  const erase = async () => {
    setBusy(true);
    try {
      await api.eraseContact(props.contact.id);
      notify(t('contact.erased'));
      props.onErased();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      title={t('contact.eraseTitle', { name: props.contact.name })}
      testId="erase-contact"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={!understood || busy}
            onClick={() => void erase()}
            data-action="confirm-erase"
          >
            {t('contact.erase')}
          </button>
        </>
      }
    >
      <p>{t('contact.eraseExplain')}</p>
      <label className="inline-check">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
        {t('contact.eraseUnderstood')}
      </label>
    </Dialog>
  );
}

/** Merging a duplicate: the other customer is found through one of their cases (its number). */
function MergeContactDialog(props: { open: boolean; contact: Contact; onClose(): void; onMerged(): void }) {
  const { t } = useI18n();
  const notify = useToast();
  const { open, contact } = props;
  const [caseNumber, setCaseNumber] = useState('');
  const [other, setOther] = useState<{ id: number; name: string; handle: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setCaseNumber('');
      setOther(null);
      setError(null);
    }
  }, [open]);
  const find = async () => {
    setError(null);
    setOther(null);
    const n = Number(caseNumber);
    if (!Number.isInteger(n) || n <= 0) {
      setError(t('contact.mergeNeedsCase'));
      return;
    }
    try {
      const c = await api.case(n);
      if (c.contact.id === contact.id) setError(t('contact.mergeSame'));
      else setOther(c.contact);
    } catch (err) {
      setError(errorMessage(t, err));
    }
  };
  const merge = async () => {
    if (!other) return;
    setBusy(true);
    try {
      await api.mergeContact(contact.id, other.id);
      notify(t('contact.merged', { from: contact.name, into: other.name }));
      props.onMerged();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={open}
      onClose={props.onClose}
      title={t('contact.mergeTitle', { name: contact.name })}
      testId="merge-contact-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={!other || busy} onClick={() => void merge()}>
            {other ? t('contact.mergeSubmit', { name: other.name }) : t('contact.mergeSubmitEmpty')}
          </button>
        </>
      }
    >
      <p className="small">{t('contact.mergeIntro')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <label className="field">
          <span>{t('contact.mergeCase')}</span>
          <input
            type="text"
            inputMode="numeric"
            value={caseNumber}
            onChange={(e) => setCaseNumber(e.target.value.replace(/\D/g, ''))}
            data-testid="merge-contact-case"
          />
        </label>
        <button type="submit" className="btn">
          {t('contact.mergeFind')}
        </button>
      </form>
      {other && (
        <p className="notice" data-testid="merge-contact-other">
          {t('contact.mergeWhat', {
            from: contact.name,
            into: other.handle ? `${other.name} (${other.handle})` : other.name,
          })}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

import { useEffect, useState } from 'react';
import { ApiError, api, type Contact, isAbort } from '../../api.ts';
import { StatusPill } from '../../components/Labels.tsx';
import { Link } from '../../components/Link.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { excerpt } from '../inbox/CaseRow.tsx';

/** Who the customer is across networks, and their history: every other case as a link. */
export function ContactPanel(props: { contactId: number; caseId: number; version: string }) {
  const { t, fmt } = useI18n();
  const [contact, setContact] = useState<Contact | null>(null);
  const [failed, setFailed] = useState(false);
  const { contactId, version } = props;

  useEffect(() => {
    const ac = new AbortController();
    // `version` changes when the case does: the history may have moved on too.
    void version;
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
  }, [contactId, version]);

  const others = contact?.cases.filter((c) => c.id !== props.caseId) ?? [];
  return (
    <section className="panel" aria-labelledby="contact-title">
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
          <p className="small muted">{t('contact.firstSeen', { date: fmt.date(contact.first_seen_at) })}</p>
          {contact.notes && (
            <>
              <h3 className="panel-sub">{t('contact.notes')}</h3>
              <p className="contact-notes">{contact.notes}</p>
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
        </>
      )}
    </section>
  );
}

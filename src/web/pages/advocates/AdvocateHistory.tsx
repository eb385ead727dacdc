import { useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { advocatesApi, type ContactAdvocacy } from './advocates-api.ts';

const KIND = {
  thanked: 'advocates.kind.thanked',
  highlighted: 'advocates.kind.highlighted',
  unhighlighted: 'advocates.kind.unhighlighted',
  excluded: 'advocates.kind.excluded',
  included: 'advocates.kind.included',
  asked_to_share: 'advocates.kind.asked_to_share',
} as const satisfies Record<string, MessageKey>;

/**
 * In the customer panel: whether the customer is a highlighted advocate, and what people did about them as an
 * advocate (thanked, highlighted, asked to share). Nothing shows for a customer with no advocate history.
 */
export function AdvocateHistory(props: { contactId: number; version: string }) {
  const { t, fmt } = useI18n();
  const [data, setData] = useState<ContactAdvocacy | null>(null);
  const { contactId, version } = props;
  useEffect(() => {
    const ac = new AbortController();
    void version;
    advocatesApi.contact(contactId, ac.signal).then(setData, (err: unknown) => {
      if (!isAbort(err)) setData(null);
    });
    return () => ac.abort();
  }, [contactId, version]);
  if (!data || (data.actions.length === 0 && data.communities.length === 0)) return null;
  const highlighted = data.communities.find((c) => c.highlighted);
  return (
    <div className="advocate-section" data-testid="advocate-history">
      {highlighted?.highlighted && (
        <p>
          <span className="badge badge-advocate">{t('advocates.highlighted')}</span>{' '}
          <span className="muted small">
            {t('advocates.highlightedBy', { name: highlighted.highlighted.by ?? '—' })}
          </span>
        </p>
      )}
      {data.actions.length > 0 && (
        <>
          <h3 className="panel-sub">{t('advocates.history')}</h3>
          <ul className="advocate-history small">
            {data.actions.slice(0, 5).map((a) => (
              <li key={a.id}>
                {t(KIND[a.kind])} · {fmt.dateTime(a.at)}
                {a.by ? ` · ${a.by}` : ''}
                {a.note ? <span className="muted"> — {a.note}</span> : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

import { useEffect, useId, useState } from 'react';
import { isAbort, request } from '../../api.ts';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { assignablePeople, useReference } from '../../session.tsx';
import { BackupsEditor } from './BackupsEditor.tsx';

/** A community's coverage settings as the API gives them (docs/out-of-hours.md). */
interface Settings {
  community_id: number;
  off_duty_policy: 'stay' | 'backup' | 'team';
  auto_ack: { enabled: boolean; texts: Record<string, { text: string; link: string | null }> };
  paging: { enabled: boolean; on_call_ids: number[]; webhook: { id: number; url: string } | null };
}

const POLICIES = ['stay', 'backup', 'team'] as const;

/**
 * Leaders: per community, what happens to an off-duty person's cases, the acknowledgement sent out of hours
 * (per language, with an information link) and who is paged for urgent cases.
 */
export function CoverageSettings() {
  const { t } = useI18n();
  const { communities, people } = useReference();
  const ids = useId();
  const [all, setAll] = useState<Settings[] | null>(null);
  const [communityId, setCommunityId] = useState<number | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    request<Settings[]>('GET', '/api/v1/coverage/settings', { signal: ac.signal })
      .then((list) => {
        setAll(list);
        setCommunityId((c) => c ?? list[0]?.community_id ?? null);
      })
      .catch((err) => {
        if (!isAbort(err)) setStatus({ error: true, text: errorMessage(t, err) });
      });
    return () => ac.abort();
  }, [t]);

  useEffect(() => {
    const s = all?.find((x) => x.community_id === communityId) ?? null;
    setDraft(s && structuredClone(s));
    setWebhookUrl(s?.paging.webhook?.url ?? '');
    setSecret(null);
  }, [all, communityId]);

  if (!all || !draft) {
    return status ? (
      <p className="form-error" role="alert">
        {status.text}
      </p>
    ) : null;
  }
  const community = communities?.find((c) => c.id === draft.community_id);
  const languages = [...new Set([community?.language ?? 'en', 'en', ...Object.keys(draft.auto_ack.texts)])];
  const onCallChoices = assignablePeople(people, draft.community_id);
  const setText = (lang: string, field: 'text' | 'link', value: string) => {
    const texts = { ...draft.auto_ack.texts };
    const cur = texts[lang] ?? { text: '', link: null };
    texts[lang] = { ...cur, [field]: field === 'link' ? value || null : value };
    setDraft({ ...draft, auto_ack: { ...draft.auto_ack, texts } });
  };

  const save = async () => {
    setStatus(null);
    const texts = Object.fromEntries(Object.entries(draft.auto_ack.texts).filter(([, v]) => v.text.trim() !== ''));
    try {
      const saved = await request<Settings & { pager_secret?: string }>(
        'PUT',
        `/api/v1/coverage/settings/${draft.community_id}`,
        {
          body: {
            off_duty_policy: draft.off_duty_policy,
            auto_ack: { enabled: draft.auto_ack.enabled, texts },
            paging: {
              enabled: draft.paging.enabled,
              on_call_ids: draft.paging.on_call_ids,
              webhook_url: webhookUrl.trim() || null,
            },
          },
        },
      );
      const { pager_secret: newSecret, ...settings } = saved;
      setAll((list) => list?.map((x) => (x.community_id === settings.community_id ? settings : x)) ?? null);
      setSecret(newSecret ?? null);
      setStatus({ error: false, text: t('offHours.saved') });
    } catch (err) {
      setStatus({ error: true, text: errorMessage(t, err) });
    }
  };

  return (
    <section className="card coverage-settings" aria-labelledby={`${ids}-title`} data-testid="coverage-settings">
      <h2 id={`${ids}-title`} className="card-title">
        {t('offHours.title')}
      </h2>
      <p className="small muted">{t('offHours.explain')}</p>
      <div className="field">
        <label htmlFor={`${ids}-community`}>{t('offHours.community')}</label>
        <select
          id={`${ids}-community`}
          value={draft.community_id}
          onChange={(e) => setCommunityId(Number(e.target.value))}
        >
          {all.map((s) => (
            <option key={s.community_id} value={s.community_id}>
              {communities?.find((c) => c.id === s.community_id)?.name ?? s.community_id}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>{t('offHours.offDuty')}</legend>
        {POLICIES.map((p) => (
          <label key={p} className="coverage-choice">
            <input
              type="radio"
              name={`${ids}-policy`}
              checked={draft.off_duty_policy === p}
              onChange={() => setDraft({ ...draft, off_duty_policy: p })}
            />{' '}
            {t(`offHours.policy.${p}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('offHours.autoAck')}</legend>
        <label className="coverage-choice">
          <input
            type="checkbox"
            checked={draft.auto_ack.enabled}
            onChange={(e) => setDraft({ ...draft, auto_ack: { ...draft.auto_ack, enabled: e.target.checked } })}
          />{' '}
          {t('offHours.autoAckEnabled')}
        </label>
        {languages.map((lang) => (
          <div key={lang} className="coverage-ack">
            <div className="field">
              <label htmlFor={`${ids}-text-${lang}`}>{t('offHours.ackText', { lang: lang.toUpperCase() })}</label>
              <textarea
                id={`${ids}-text-${lang}`}
                rows={3}
                maxLength={500}
                value={draft.auto_ack.texts[lang]?.text ?? ''}
                onChange={(e) => setText(lang, 'text', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${ids}-link-${lang}`}>{t('offHours.ackLink')}</label>
              <input
                id={`${ids}-link-${lang}`}
                type="url"
                value={draft.auto_ack.texts[lang]?.link ?? ''}
                onChange={(e) => setText(lang, 'link', e.target.value)}
              />
            </div>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('offHours.paging')}</legend>
        <label className="coverage-choice">
          <input
            type="checkbox"
            checked={draft.paging.enabled}
            onChange={(e) => setDraft({ ...draft, paging: { ...draft.paging, enabled: e.target.checked } })}
          />{' '}
          {t('offHours.pagingEnabled')}
        </label>
        <div className="field">
          <label htmlFor={`${ids}-oncall`}>{t('offHours.onCall')}</label>
          <select
            id={`${ids}-oncall`}
            multiple
            value={draft.paging.on_call_ids.map(String)}
            onChange={(e) =>
              setDraft({
                ...draft,
                paging: { ...draft.paging, on_call_ids: [...e.target.selectedOptions].map((o) => Number(o.value)) },
              })
            }
          >
            {onCallChoices.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-webhook`}>{t('offHours.webhook')}</label>
          <input id={`${ids}-webhook`} type="url" value={webhookUrl} onChange={(e) => setWebhookUrl(e.target.value)} />
        </div>
      </fieldset>
      {secret && (
        <p className="small" role="status">
          {t('offHours.secret')} <code>{secret}</code>
        </p>
      )}
      {status && (
        <p className={status.error ? 'form-error' : 'small muted'} role={status.error ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
      <button type="button" className="primary" onClick={() => void save()}>
        {t('common.save')}
      </button>
      <BackupsEditor communityId={draft.community_id} />
    </section>
  );
}

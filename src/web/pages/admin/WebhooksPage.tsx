import { useCallback, useEffect, useState } from 'react';
import {
  ApiError,
  api,
  isAbort,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
} from '../../api.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';

/** Outgoing webhooks for leaders: where case events are sent, the signing secret once, and how deliveries went. */
export function WebhooksPage() {
  const { t } = useI18n();
  return (
    <Page section="admin_webhooks" title={t('webhooks.title')} leaderOnly>
      <Webhooks />
    </Page>
  );
}

function Webhooks() {
  const { t, fmt } = useI18n();
  const notify = useToast();
  const [list, setList] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Webhook | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  const [openDeliveries, setOpenDeliveries] = useState<number | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setList(await api.webhooks(signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const remove = async (w: Webhook) => {
    try {
      await api.deleteWebhook(w.id);
      notify(t('webhooks.deleted', { url: w.url }));
      setRemoving(null);
      if (created?.id === w.id) setCreated(null);
      await load();
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  return (
    <>
      <p className="muted small">{t('webhooks.intro')}</p>
      <AddWebhook
        onCreated={(w) => {
          setCreated(w);
          void load();
        }}
      />
      {created?.secret && (
        <section className="notice notice-ok secret-box" role="status" data-testid="webhook-secret">
          <p>{t('webhooks.secretOnce', { url: created.url })}</p>
          <p className="secret-line">
            <code>{created.secret}</code>
            <CopyButton text={created.secret} label={t('webhooks.copySecret')} />
          </p>
          <button type="button" className="btn btn-small" onClick={() => setCreated(null)}>
            {t('webhooks.secretSaved')}
          </button>
        </section>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {list === null ? (
        !error && <p className="placeholder">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t('webhooks.none')}</p>
      ) : (
        <ul className="webhook-list">
          {list.map((w) => (
            <li key={w.id} className="card" data-webhook-id={w.id}>
              <div className="webhook-head">
                <code className="webhook-url">{w.url}</code>
                <span className={`pill ${w.active ? 'pill-resolved' : 'pill-waiting_internal'}`}>
                  {w.active ? t('webhooks.active') : t('webhooks.inactive')}
                </span>
                <span className="spacer" />
                <button
                  type="button"
                  className="btn btn-small"
                  aria-expanded={openDeliveries === w.id}
                  onClick={() => setOpenDeliveries(openDeliveries === w.id ? null : w.id)}
                  data-action="deliveries"
                >
                  {t('webhooks.deliveries')}
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  onClick={() => setRemoving(w)}
                  aria-label={t('webhooks.deleteOf', { url: w.url })}
                  data-action="delete-webhook"
                >
                  {t('common.delete')}
                </button>
              </div>
              <p className="small">
                {w.events.map((e) => (
                  <span key={e} className="chip chip-event">
                    {e}
                  </span>
                ))}{' '}
                <span className="muted">{t('webhooks.since', { date: fmt.dateTime(w.created_at) })}</span>
              </p>
              {openDeliveries === w.id && <Deliveries id={w.id} />}
            </li>
          ))}
        </ul>
      )}
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={t('webhooks.deleteTitle')}
        testId="delete-webhook-dialog"
        footer={
          <>
            <button type="button" className="btn" onClick={() => setRemoving(null)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn btn-danger" onClick={() => removing && void remove(removing)}>
              {t('common.delete')}
            </button>
          </>
        }
      >
        {removing && <p>{t('webhooks.deleteConfirm', { url: removing.url })}</p>}
      </Dialog>
    </>
  );
}

function AddWebhook(props: { onCreated(w: Webhook): void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...WEBHOOK_EVENTS]);
  const [urlError, setUrlError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setUrlError(null);
    setError(null);
    if (!/^https?:\/\//i.test(url.trim())) {
      setUrlError(t('webhooks.urlHttp'));
      return;
    }
    if (events.length === 0) {
      setError(t('webhooks.needEvent'));
      return;
    }
    setBusy(true);
    try {
      const w = await api.createWebhook({ url: url.trim(), events });
      setUrl('');
      props.onCreated(w);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'url') setUrlError(err.message.replace(/^url: /, ''));
      else setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="card webhook-form"
      aria-labelledby="webhook-add-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="webhook-add-title" className="card-title">
        {t('webhooks.add')}
      </h2>
      <label className="form-field wide">
        <span className="field-label">{t('webhooks.url')}</span>
        <input
          type="url"
          className="field-control"
          value={url}
          maxLength={2000}
          placeholder="https://"
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? 'webhook-url-error' : 'webhook-url-hint'}
          data-control="webhook-url"
        />
        {urlError ? (
          <span id="webhook-url-error" className="form-error" role="alert">
            {urlError}
          </span>
        ) : (
          <span id="webhook-url-hint" className="muted small">
            {t('webhooks.urlHint')}
          </span>
        )}
      </label>
      <fieldset className="check-group">
        <legend>{t('webhooks.events')}</legend>
        <div className="check-options check-options-column">
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e} className="check-option">
              <input
                type="checkbox"
                checked={events.includes(e)}
                onChange={(ev) => setEvents(ev.target.checked ? [...events, e] : events.filter((x) => x !== e))}
                value={e}
              />
              <code>{e}</code> —{' '}
              {t(`webhooks.event.${e.replace('case.', '') as 'created' | 'assigned' | 'replied' | 'resolved'}`)}
            </label>
          ))}
        </div>
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="card-actions">
        <button type="submit" className="btn btn-primary" disabled={busy} data-action="add-webhook">
          {t('webhooks.addSubmit')}
        </button>
      </div>
    </form>
  );
}

/** The latest deliveries of one webhook: event, outcome, attempts, the receiver's answer or the error. */
function Deliveries(props: { id: number }) {
  const { t, fmt } = useI18n();
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setRows(await api.webhookDeliveries(props.id, signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [props.id, t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);
  return (
    <div className="deliveries" data-testid="deliveries">
      <div className="card-actions">
        <button type="button" className="btn btn-small" onClick={() => void load()} data-action="refresh-deliveries">
          {t('webhooks.refresh')}
        </button>
      </div>
      {error && <p className="form-error">{error}</p>}
      {rows === null ? (
        !error && <p className="muted small">{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="muted small">{t('webhooks.noDeliveries')}</p>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">{t('webhooks.deliveries')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.when')}</th>
              <th scope="col">{t('webhooks.event')}</th>
              <th scope="col">{t('webhooks.outcome')}</th>
              <th scope="col">{t('webhooks.attempts')}</th>
              <th scope="col">{t('webhooks.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                <td>{fmt.dateTime(d.created_at)}</td>
                <td>
                  <code>{d.event}</code>
                </td>
                <td>
                  <span className={`pill pill-delivery-${d.status}`}>{deliveryLabel(t, d.status)}</span>
                  {d.status === 'pending' && d.next_attempt_at && (
                    <span className="muted small">
                      {' '}
                      {t('webhooks.nextAttempt', { time: fmt.time(d.next_attempt_at) })}
                    </span>
                  )}
                  {d.delivered_at && <span className="muted small"> {fmt.time(d.delivered_at)}</span>}
                </td>
                <td>{fmt.number(d.attempts)}</td>
                <td className="small">
                  {d.response_status !== null && <code>HTTP {d.response_status}</code>}
                  {d.last_error && <span className="delivery-error"> {d.last_error}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function deliveryLabel(t: ReturnType<typeof useI18n>['t'], status: string): string {
  switch (status) {
    case 'pending':
      return t('webhooks.status.pending');
    case 'sending':
      return t('webhooks.status.sending');
    case 'delivered':
      return t('webhooks.status.delivered');
    case 'failed':
      return t('webhooks.status.failed');
    default:
      return status;
  }
}

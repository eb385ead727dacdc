import { useState } from 'react';
import { api, type SavedView } from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { navigate } from '../../lib/router.ts';
import { useReference } from '../../session.tsx';
import { type InboxState, inboxHref, stateOfView, viewQueryOf } from './state.ts';

/** The saved view the inbox shows right now (same view, filters, search and order), if any; one's own first. */
export function useCurrentSavedView(href: string): SavedView | undefined {
  const { views } = useReference();
  return views?.find((v) => inboxHref(stateOfView(v.query)) === href);
}

/**
 * "Save view" for the inbox as it is (view, filters, search, order), with a name and the choice to share it;
 * on one's own saved view: rename, share, delete.
 */
export function SaveViewButton(props: { state: InboxState; href: string }) {
  const { t } = useI18n();
  const notify = useToast();
  const { reloadViews } = useReference();
  const current = useCurrentSavedView(props.href);
  const mine = current?.mine ? current : undefined;
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const start = () => {
    setName(mine?.name ?? '');
    setShared(mine?.shared ?? false);
    setError(null);
    setOpen(true);
  };
  const save = async () => {
    if (!name.trim()) {
      setError(t('views.needName'));
      return;
    }
    setBusy(true);
    try {
      if (mine) await api.updateView(mine.id, { name: name.trim(), shared });
      else await api.createView({ name: name.trim(), query: viewQueryOf(props.state), shared });
      notify(t('views.saved', { name: name.trim() }));
      reloadViews();
      setOpen(false);
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!mine) return;
    setBusy(true);
    try {
      await api.deleteView(mine.id);
      notify(t('views.deleted', { name: mine.name }));
      reloadViews();
      setOpen(false);
      navigate(inboxHref(props.state), { replace: true });
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  if (current && !mine) return null;
  return (
    <>
      <button type="button" className="btn btn-small" onClick={start} data-action="save-view" aria-haspopup="dialog">
        {mine ? t('views.manage') : t('views.save')}
      </button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={mine ? t('views.manageTitle', { name: mine.name }) : t('views.saveTitle')}
        testId="save-view-dialog"
        footer={
          <>
            {mine && (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void remove()}>
                {t('views.delete')}
              </button>
            )}
            <span className="spacer" />
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>
              {t('common.save')}
            </button>
          </>
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label className="field">
            <span>{t('views.name')}</span>
            <input
              type="text"
              value={name}
              maxLength={80}
              onChange={(e) => setName(e.target.value)}
              data-control="view-name"
            />
          </label>
          <label className="inline-check">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            {t('views.shareWithAll')}
          </label>
          {!mine && <p className="muted small">{t('views.whatIsSaved')}</p>}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      </Dialog>
    </>
  );
}

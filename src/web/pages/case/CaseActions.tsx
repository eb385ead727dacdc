import { useEffect, useState } from 'react';
import { api, type CaseDetail, type CaseSummary, isAbort } from '../../api.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { StatusPill } from '../../components/Labels.tsx';
import { MenuButton } from '../../components/MenuButton.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { navigate } from '../../lib/router.ts';
import { useSession } from '../../session.tsx';
import { excerpt } from '../inbox/CaseRow.tsx';

type Action = 'merge' | 'split' | 'move';

/** The shape of the case: merge it into another case, split messages off it, move it to another community. */
export function CaseActions(props: { c: CaseDetail; onChanged(): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Action | null>(null);
  const { c } = props;
  if (c.merged_into) return null;
  return (
    <>
      <MenuButton
        className="btn"
        label={t('caseOps.more')}
        actions
        items={[
          { value: 'merge', label: t('caseOps.merge'), checked: false },
          { value: 'split', label: t('caseOps.split'), checked: false },
          { value: 'move', label: t('caseOps.move'), checked: false },
        ]}
        onSelect={(v) => setOpen(v as Action)}
        testId="case-more"
      >
        {t('caseOps.more')} ▾
      </MenuButton>
      <MergeDialog open={open === 'merge'} c={c} onClose={() => setOpen(null)} />
      <SplitDialog open={open === 'split'} c={c} onClose={() => setOpen(null)} />
      <MoveDialog open={open === 'move'} c={c} onClose={() => setOpen(null)} onMoved={props.onChanged} />
    </>
  );
}

function MergeDialog(props: { open: boolean; c: CaseDetail; onClose(): void }) {
  const { t, fmt } = useI18n();
  const notify = useToast();
  const { c, open } = props;
  const [target, setTarget] = useState('');
  const [others, setOthers] = useState<CaseSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setTarget('');
    setError(null);
    const ac = new AbortController();
    // The customer's other open cases of the same community are the likely targets.
    api.contact(c.contact.id, ac.signal).then(
      (contact) =>
        setOthers(
          contact.cases.filter((x) => x.id !== c.id && x.community?.id === c.community?.id && x.status !== 'closed'),
        ),
      (err: unknown) => {
        if (!isAbort(err)) setOthers([]);
      },
    );
    return () => ac.abort();
  }, [open, c.id, c.contact.id, c.community?.id]);
  const into = Number(target);
  const submit = async () => {
    if (!Number.isInteger(into) || into <= 0) {
      setError(t('caseOps.mergeNeedsTarget'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.mergeCase(c.id, into);
      notify(t('caseOps.merged', { id: c.id, into: r.case_id, n: fmt.number(r.moved_messages) }));
      props.onClose();
      navigate(`/cases/${r.case_id}`);
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
      title={t('caseOps.mergeTitle', { id: c.id })}
      testId="merge-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void submit()}>
            {t('caseOps.mergeSubmit')}
          </button>
        </>
      }
    >
      <p className="small">{t('caseOps.mergeIntro')}</p>
      {others && others.length > 0 && (
        <fieldset className="choice-list">
          <legend>{t('caseOps.mergeSuggestions')}</legend>
          {others.map((x) => (
            <label key={x.id} className="choice">
              <input
                type="radio"
                name="merge-target"
                value={x.id}
                checked={target === String(x.id)}
                onChange={() => setTarget(String(x.id))}
              />
              <span className="choice-text">
                <span>
                  <strong>#{x.id}</strong> <StatusPill value={x.status} />
                </span>
                <span className="muted small">{excerpt(x.subject, 120)}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <label className="field">
        <span>{t('caseOps.mergeTarget')}</span>
        <input
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          value={target}
          onChange={(e) => setTarget(e.target.value.replace(/\D/g, ''))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
          data-testid="merge-target"
        />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function SplitDialog(props: { open: boolean; c: CaseDetail; onClose(): void }) {
  const { t, fmt } = useI18n();
  const notify = useToast();
  const { c, open } = props;
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setPicked(new Set());
      setError(null);
    }
  }, [open]);
  const candidates = c.messages.filter((m) => m.direction !== 'note');
  const submit = async () => {
    if (picked.size === 0) {
      setError(t('caseOps.splitNeedsMessages'));
      return;
    }
    if (picked.size === candidates.length) {
      setError(t('caseOps.splitNotAll'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.splitCase(c.id, [...picked]);
      notify(t('caseOps.splitDone', { id: r.case_id, n: fmt.number(r.moved_messages) }));
      props.onClose();
      navigate(`/cases/${r.case_id}`);
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
      title={t('caseOps.splitTitle', { id: c.id })}
      wide
      testId="split-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void submit()}>
            {t('caseOps.splitSubmit', { n: picked.size })}
          </button>
        </>
      }
    >
      <p className="small">{t('caseOps.splitIntro')}</p>
      <fieldset className="choice-list">
        <legend className="visually-hidden">{t('caseOps.splitMessages')}</legend>
        {candidates.map((m) => (
          <label key={m.id} className="choice">
            <input
              type="checkbox"
              checked={picked.has(m.id)}
              onChange={(e) => {
                const next = new Set(picked);
                if (e.target.checked) next.add(m.id);
                else next.delete(m.id);
                setPicked(next);
              }}
              data-message-id={m.id}
            />
            <span className="choice-text">
              <span className="small">
                <strong>{m.direction === 'in' ? m.author.name || m.author.handle : m.author.handle}</strong>{' '}
                <span className="muted">{fmt.dateTime(m.created_at)}</span>
              </span>
              <span className="split-text">{excerpt(m.text, 240)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function MoveDialog(props: { open: boolean; c: CaseDetail; onClose(): void; onMoved(): void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const notify = useToast();
  const { c, open } = props;
  const choices = me.communities.filter((x) => x.id !== c.community?.id);
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setTarget('');
      setError(null);
    }
  }, [open]);
  const submit = async () => {
    if (!target) {
      setError(t('caseOps.moveNeedsTarget'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.moveCase(c.id, Number(target));
      const name = choices.find((x) => String(x.id) === target)?.name ?? '';
      notify(t('caseOps.moved', { id: c.id, community: name }));
      props.onClose();
      props.onMoved();
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
      title={t('caseOps.moveTitle', { id: c.id })}
      testId="move-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void submit()}>
            {t('caseOps.moveSubmit')}
          </button>
        </>
      }
    >
      <p className="small">{t('caseOps.moveIntro', { community: c.community?.name ?? '' })}</p>
      <label className="field">
        <span>{t('label.community')}</span>
        <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="move-target">
          <option value="">{t('caseOps.moveChoose')}</option>
          {choices.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/index.ts';

const INBOX: [string[], MessageKey][] = [
  [['j', '↓'], 'shortcuts.next'],
  [['k', '↑'], 'shortcuts.prev'],
  [['Enter', 'o'], 'shortcuts.open'],
  [['r'], 'shortcuts.reply'],
  [['e'], 'shortcuts.resolve'],
  [['a'], 'shortcuts.assign'],
  [['x'], 'shortcuts.select'],
  [['/'], 'shortcuts.search'],
  [['1', '…', '5'], 'shortcuts.views'],
];

const CASE: [string[], MessageKey][] = [
  [['r'], 'shortcuts.reply'],
  [['e'], 'shortcuts.resolve'],
  [['a'], 'shortcuts.assign'],
  [['j'], 'shortcuts.next'],
  [['k'], 'shortcuts.prev'],
  [['Esc', 'u'], 'shortcuts.back'],
  [['Ctrl', '+', 'Enter'], 'shortcuts.send'],
  [['?'], 'shortcuts.help'],
];

function Rows(props: { rows: [string[], MessageKey][] }) {
  const { t } = useI18n();
  return (
    <dl className="shortcut-list">
      {props.rows.map(([keys, label]) => (
        <div key={label + keys.join()} className="shortcut-row">
          <dt>{keys.map((k) => (k === '…' || k === '+' ? <span key={k}> {k} </span> : <kbd key={k}>{k}</kbd>))}</dt>
          <dd>{t(label)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ShortcutsDialog(props: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={props.onClose}>
      <div className="dialog-head">
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <button type="button" className="btn btn-quiet" onClick={props.onClose}>
          {t('common.close')}
        </button>
      </div>
      <div className="dialog-body shortcut-columns">
        <section>
          <h3>{t('shortcuts.inbox')}</h3>
          <Rows rows={INBOX} />
        </section>
        <section>
          <h3>{t('shortcuts.case')}</h3>
          <Rows rows={CASE} />
        </section>
      </div>
    </dialog>
  );
}

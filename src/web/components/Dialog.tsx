import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n/context.tsx';

/** A modal dialog on the native <dialog>: focus kept inside, Escape closes, focus returns to where it was. */
export function Dialog(props: {
  open: boolean;
  onClose(): void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { open } = props;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
      // The first field (or button) of the body takes the focus.
      const first = d.querySelector<HTMLElement>(
        '.dialog-body input:not([disabled]), .dialog-body select, .dialog-body textarea, .dialog-body button',
      );
      first?.focus();
      return () => {
        if (d.open) d.close();
        before?.focus();
      };
    }
    if (!open && d.open) d.close();
    return undefined;
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? ' dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onClose={props.onClose}
      data-testid={props.testId}
    >
      {open && (
        <>
          <div className="dialog-head">
            <h2 id={titleId}>{props.title}</h2>
            <button type="button" className="btn btn-quiet" onClick={props.onClose}>
              {t('common.close')}
            </button>
          </div>
          <div className="dialog-body">{props.children}</div>
          {props.footer && <div className="dialog-foot">{props.footer}</div>}
        </>
      )}
    </dialog>
  );
}

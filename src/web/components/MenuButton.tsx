import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

export interface MenuItem {
  value: string;
  label: string;
  checked: boolean;
}

/**
 * A button that opens a menu of choices (WAI-ARIA menu button): arrows, Home/End and the first letter move,
 * Enter or Space choose, Escape or Tab close and give the focus back to the button. Single choice closes the
 * menu; `multiple` keeps it open so several items can be toggled.
 */
export function MenuButton(props: {
  /** The button's accessible name. */
  label: string;
  title?: string | undefined;
  className?: string;
  children: ReactNode;
  items: MenuItem[];
  multiple?: boolean;
  /** Plain commands (role menuitem), not choices. */
  actions?: boolean;
  disabled?: boolean;
  onSelect(value: string): void;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLDivElement | null)[]>([]);
  const menuId = useId();
  const { items } = props;

  const openMenu = (at?: number) => {
    const checked = items.findIndex((i) => i.checked);
    setActive(at ?? Math.max(checked, 0));
    setOpen(true);
  };
  const close = (focusButton = true) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const choose = (i: number) => {
    const item = items[i];
    if (!item) return;
    props.onSelect(item.value);
    if (!props.multiple) close();
  };

  const onMenuKey = (e: React.KeyboardEvent) => {
    const n = items.length;
    // Keys in the menu are the menu's: never the page's shortcuts.
    if (e.key !== 'Tab') e.stopPropagation();
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setActive((a) => (a + 1) % n);
        return;
      case 'ArrowUp':
        e.preventDefault();
        setActive((a) => (a - 1 + n) % n);
        return;
      case 'Home':
        e.preventDefault();
        setActive(0);
        return;
      case 'End':
        e.preventDefault();
        setActive(n - 1);
        return;
      case 'Enter':
      case ' ':
        e.preventDefault();
        choose(active);
        return;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        close();
        return;
      case 'Tab':
        close(false);
        return;
      default:
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const k = e.key.toLowerCase();
          for (let step = 1; step <= n; step++) {
            const i = (active + step) % n;
            if (items[i]!.label.toLowerCase().startsWith(k)) {
              setActive(i);
              break;
            }
          }
        }
    }
  };

  return (
    <span className="menu-wrap">
      <button
        ref={button}
        type="button"
        className={props.className}
        title={props.title}
        aria-label={props.label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={props.disabled}
        data-testid={props.testId}
        onClick={() => (open ? close() : openMenu())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            openMenu(e.key === 'ArrowUp' ? items.length - 1 : undefined);
          }
        }}
      >
        {props.children}
      </button>
      {open && (
        <div ref={menu} id={menuId} role="menu" aria-label={props.label} className="menu">
          {items.map((item, i) => (
            // biome-ignore lint/a11y/noStaticElementInteractions: its role (menuitem, menuitemradio, menuitemcheckbox) comes from the props.
            // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-checked is set only for menuitemradio and menuitemcheckbox.
            <div
              key={item.value}
              ref={(el) => {
                itemRefs.current[i] = el;
              }}
              role={props.actions ? 'menuitem' : props.multiple ? 'menuitemcheckbox' : 'menuitemradio'}
              aria-checked={props.actions ? undefined : item.checked}
              tabIndex={i === active ? 0 : -1}
              className={`menu-item${item.checked ? ' is-checked' : ''}`}
              data-value={item.value}
              onClick={() => choose(i)}
              onKeyDown={onMenuKey}
              onMouseMove={() => {
                if (active !== i) setActive(i);
              }}
            >
              {!props.actions && (
                <span className="menu-check" aria-hidden="true">
                  {item.checked ? '✓' : ''}
                </span>
              )}
              {item.label}
            </div>
          ))}
        </div>
      )}
    </span>
  );
}

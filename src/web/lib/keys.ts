/** Keyboard shortcuts never fire while someone types or moves in a menu, nor with modifier keys, nor behind a dialog. */
export function isShortcutEvent(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  const el = e.target instanceof Element ? e.target : null;
  if (el) {
    if (
      el.closest(
        'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="menu"], [data-no-shortcuts]',
      )
    )
      return false;
    if (el.closest('dialog[open]')) return false;
  }
  return document.querySelector('dialog[open]') === null;
}

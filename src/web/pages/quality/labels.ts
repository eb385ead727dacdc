import type { MessageKey, Translate } from '../../i18n/index.ts';

const STANDARD = new Set(['answered', 'tone', 'accuracy', 'personalization', 'account_language']);
const GUIDELINE_KINDS = new Set(['terms', 'pii', 'all_caps', 'blame', 'links', 'language']);

/**
 * A criterion's name: the standard ones translated; a guideline's as its policy message states it, else its kind
 * translated with its id.
 */
export function criterionLabel(
  t: Translate,
  c: { id: string; label: string; guideline_kind?: string | undefined; message?: string | undefined },
): string {
  if (STANDARD.has(c.id)) return t(`quality.criterion.${c.id}` as MessageKey);
  if (c.message) return c.message;
  if (c.guideline_kind && GUIDELINE_KINDS.has(c.guideline_kind))
    return `${t(`quality.guideline.${c.guideline_kind}` as MessageKey)} (${c.id.replace(/^guideline:/, '')})`;
  return c.label;
}

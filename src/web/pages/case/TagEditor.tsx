import { useState } from 'react';
import { useI18n } from '../../i18n/context.tsx';

/** The case's tags as small labels; people who work the case remove one with its × or add one. */
export function TagEditor(props: { tags: string[]; editable: boolean; onChange(tags: string[]): void }) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const [text, setText] = useState('');
  const { tags } = props;
  const add = () => {
    const tag = text.trim().slice(0, 50);
    setText('');
    setAdding(false);
    if (tag && !tags.includes(tag)) props.onChange([...tags, tag]);
  };
  if (tags.length === 0 && !props.editable) return null;
  return (
    <span className="case-tags" data-testid="case-tags">
      <span className="visually-hidden">{t('common.labelled', { label: t('label.tags'), value: '' })}</span>
      {tags.map((tag) => (
        <span key={tag} className="tag" data-tag={tag}>
          <span className="tag-text">{tag}</span>
          {props.editable && (
            <button
              type="button"
              className="tag-remove"
              aria-label={t('common.removeItem', { item: tag })}
              onClick={() => props.onChange(tags.filter((x) => x !== tag))}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {props.editable &&
        (adding ? (
          <input
            type="text"
            className="tag-new"
            // biome-ignore lint/a11y/noAutofocus: opened on purpose by the "add a tag" button.
            autoFocus
            value={text}
            maxLength={50}
            aria-label={t('case.newTag')}
            placeholder={t('case.newTag')}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                setText('');
                setAdding(false);
              }
            }}
            onBlur={add}
          />
        ) : (
          <button type="button" className="btn btn-quiet btn-small tag-add" onClick={() => setAdding(true)}>
            {t('case.addTag')}
          </button>
        ))}
    </span>
  );
}

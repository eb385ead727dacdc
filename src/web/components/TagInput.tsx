import { useId, useState } from 'react';
import { useI18n } from '../i18n/context.tsx';

/**
 * A list of short words (tags, keywords, handles): each shown with a remove button; a new one is added with
 * Enter or a comma. Pasting "a, b, c" adds three.
 */
export function TagInput(props: {
  label: string;
  values: string[];
  onChange(values: string[]): void;
  placeholder?: string;
  disabled?: boolean;
  hint?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const id = useId();
  const add = (raw: string) => {
    const words = raw
      .split(',')
      .map((w) => w.trim())
      .filter((w) => w !== '' && !props.values.includes(w));
    if (words.length > 0) props.onChange([...props.values, ...new Set(words)]);
    setText('');
  };
  return (
    <div className="tag-input" data-testid={props.testId}>
      <label htmlFor={id} className="field-label">
        {props.label}
      </label>
      <div className="tag-input-box">
        {props.values.map((v) => (
          <span key={v} className="token">
            <span className="token-text">{v}</span>
            <button
              type="button"
              className="token-remove"
              disabled={props.disabled}
              aria-label={t('common.removeItem', { item: v })}
              onClick={() => props.onChange(props.values.filter((x) => x !== v))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          className="tag-input-text"
          type="text"
          value={text}
          disabled={props.disabled}
          placeholder={props.placeholder}
          aria-describedby={props.hint ? `${id}-hint` : undefined}
          onChange={(e) => {
            const v = e.target.value;
            if (v.includes(',')) add(v);
            else setText(v);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add(text);
            } else if (e.key === 'Backspace' && text === '' && props.values.length > 0) {
              props.onChange(props.values.slice(0, -1));
            }
          }}
          onBlur={() => {
            if (text.trim()) add(text);
          }}
        />
      </div>
      {props.hint && (
        <p id={`${id}-hint`} className="muted small">
          {props.hint}
        </p>
      )}
    </div>
  );
}

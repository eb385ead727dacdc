import type { ReactNode } from 'react';

/**
 * Plain text with some ranges marked: the text is sliced at the given offsets and each slice rendered as
 * text, so nothing in it is ever read as markup. Offsets out of range or overlapping are ignored.
 */
export function Highlighted(props: { text: string; matches: readonly (readonly [number, number])[] }) {
  const { text } = props;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of [...props.matches].sort((a, b) => a[0] - b[0])) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < at || end <= start || end > text.length) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

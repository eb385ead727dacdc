const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * The plain text of a status's HTML `content` (https://docs.joinmastodon.org/entities/Status/#content):
 * paragraphs become blank lines, `<br>` line breaks, tags go, entities are decoded. Customer text is shown as
 * text, never rendered as HTML.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return safeChar(Number.parseInt(code.slice(2), 16), whole);
      if (code.startsWith('#')) return safeChar(Number.parseInt(code.slice(1), 10), whole);
      return ENTITIES[code.toLowerCase()] ?? whole;
    })
    .trim();
}

function safeChar(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

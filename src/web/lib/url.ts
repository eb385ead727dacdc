/**
 * A customer-supplied URL may become a link only when it is plain http(s): never javascript:, data:, or
 * anything a browser would run or download on click. Returns the normalized URL or null.
 */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2048) return null;
  const trimmed = raw.trim();
  // Control characters and whitespace inside a URL are a sign of obfuscation.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u001f\u007f\s]/.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

import { z } from 'zod';
import { fieldIssues, ValidationError } from '../validation.ts';

/** Longest customer text stored; longer bodies are refused with a clear error (and kept as dead letters). */
export const MAX_TEXT_LENGTH = 100_000;

/**
 * Customer text is untrusted: PostgreSQL cannot store NUL, and JSON may carry lone surrogates; both are
 * replaced (not dropped) so nothing of the message is silently lost.
 */
export function cleanText(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what must be replaced.
  return value.toWellFormed().replace(/\u0000/g, '\uFFFD');
}

/**
 * At most `max` UTF-16 units of `value`, never ending on half of a surrogate pair (an emoji cut in two is a
 * lone surrogate, which PostgreSQL's JSON refuses), with `…` when something was cut.
 */
export function truncateText(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

const cleanString = (max: number) =>
  z
    .string()
    .max(max)
    .transform((v) => cleanText(v));

/** The body of `POST /api/v1/messages` (contract) and of each `passeur import` line. */
export const inboundMessageSchema = z.strictObject({
  channel: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a network name: lower-case letters, digits, "_" or "-" (e.g. "bluesky")'),
  external_id: cleanString(512).pipe(z.string().min(1)),
  account: cleanString(256).optional(),
  author: z.object({
    handle: cleanString(512).pipe(z.string().min(1)),
    name: cleanString(512).optional(),
  }),
  text: cleanString(MAX_TEXT_LENGTH),
  created_at: z.iso.datetime({ offset: true }).optional(),
  in_reply_to: cleanString(512).pipe(z.string().min(1)).optional(),
  /** Not in the contract: what a connector knows about the message (kind, links, language…). */
  meta: z
    .object({
      kind: z.enum(['post', 'reply', 'dm', 'email', 'article', 'mention']).optional(),
      lang: z
        .string()
        .regex(/^[a-z]{2}$/)
        .optional(),
      url: z.string().max(2048).optional(),
      title: z.string().max(1024).optional(),
    })
    .passthrough()
    .transform((meta) => cleanDeep(meta) as typeof meta)
    .optional(),
});

/** Every string inside a connector's metadata, cleaned as customer text is (it is stored as JSON). */
function cleanDeep(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanDeep(v)]));
  }
  return value;
}

export type InboundMessage = z.output<typeof inboundMessageSchema>;

export function parseInbound(body: unknown): InboundMessage {
  const result = inboundMessageSchema.safeParse(body);
  if (!result.success) throw new ValidationError(fieldIssues(result.error));
  return result.data;
}

export interface IngestResult {
  message_id: number;
  case_id: number;
  /** False when the same (channel, external_id) had already been stored. */
  created: boolean;
}

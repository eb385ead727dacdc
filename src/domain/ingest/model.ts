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
  external_id: z.string().min(1).max(512),
  account: cleanString(256).optional(),
  author: z.object({
    handle: cleanString(512).pipe(z.string().min(1)),
    name: cleanString(512).optional(),
  }),
  text: cleanString(MAX_TEXT_LENGTH),
  created_at: z.iso.datetime({ offset: true }).optional(),
  in_reply_to: z.string().min(1).max(512).optional(),
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
    .optional(),
});

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

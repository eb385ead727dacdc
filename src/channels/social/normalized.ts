import { type InboundMessage, inboundMessageSchema } from '../../domain/ingest/model.ts';
import { fieldIssues } from '../../domain/validation.ts';
import type { ChannelRuntime } from '../connector.ts';

/** A message as a connector understood it, with the network's own payload it came from. */
export interface Candidate {
  raw: unknown;
  message: unknown;
  /** Why the connector could not make a message of it (kept as a dead letter with this reason). */
  refused?: string;
}

/**
 * Validates what a connector made of each network payload: valid messages are ingested (idempotently); an
 * invalid one is kept as a dead letter with the reason and the network's raw payload, so nothing is lost
 * silently and an operator can see what the network sent.
 */
export async function ingestCandidates(
  rt: ChannelRuntime,
  source: string,
  candidates: readonly Candidate[],
): Promise<{ ingested: number; refused: number }> {
  const valid: InboundMessage[] = [];
  let refused = 0;
  for (const c of candidates) {
    if (c.refused !== undefined) {
      refused++;
      await rt.deadLetter(source, c.refused, c.raw);
      continue;
    }
    const r = inboundMessageSchema.safeParse(c.message);
    if (r.success) {
      valid.push(r.data);
      continue;
    }
    refused++;
    const reason = fieldIssues(r.error)
      .map((i) => `${i.field}: ${i.message}`)
      .join('; ');
    await rt.deadLetter(source, reason, c.raw);
  }
  if (valid.length > 0) await rt.ingest(source, valid);
  return { ingested: valid.length, refused };
}

/** An ISO time from epoch seconds or milliseconds (networks use both); undefined when absent or invalid. */
export function isoTime(value: unknown): string | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n) && n > 0) {
    return new Date(n > 1e12 ? n : n * 1000).toISOString();
  }
  if (typeof value === 'string') {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return new Date(t).toISOString();
  }
  return undefined;
}

/** A two-letter language code when the network gave one ("fr", "fr-CH" → "fr"); "und" and others are dropped. */
export function languageCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^([a-z]{2})(?:[-_].*)?$/i.exec(value);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** A plain object or an empty one: payload fields are read defensively and validated afterwards. */
export function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

import type { FastifyInstance } from 'fastify';

/**
 * In this plugin scope only, JSON bodies arrive as the raw bytes: webhook signatures are computed over exactly
 * the bytes sent, which a parse and re-serialisation would not reproduce. Handlers parse after verifying.
 */
export function receiveRawJson(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

/** The raw body of a request in a `receiveRawJson` scope (empty when there was none). */
export function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** Parses verified bytes; `undefined` when they are not JSON. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

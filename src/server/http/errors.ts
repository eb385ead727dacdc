import type { FastifyError, FastifyInstance } from 'fastify';
import { type FieldIssue, ValidationError } from '../../domain/validation.ts';

/** An error that maps to an HTTP status with a stable machine-readable `error` code. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  /** Extra fields of the error body (e.g. the guideline findings of a refused reply). */
  readonly details: Record<string, unknown>;
  constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.details = details;
  }
}

export const unauthorized = () => new HttpError(401, 'unauthorized', 'sign in or send a valid API token');
export const forbidden = (what = 'this action') => new HttpError(403, 'forbidden', `you may not perform ${what}`);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

/** PostgreSQL unreachable or shutting down: the client should retry; nothing was accepted. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08006',
  '08001',
]);

/**
 * node-postgres reports a connection that died under a query (database restarted, network cut) with a plain
 * Error and no code: it is an outage like a refused connection, not a bug.
 */
function isConnectionLoss(err: Error): boolean {
  return /^Connection terminated|^Client has encountered a connection error|^timeout exceeded when trying to connect|^Connection ended/.test(
    err.message,
  );
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError | ValidationError | Error, req, reply) => {
    if (err instanceof ValidationError) {
      return reply.status(400).send(validationBody(err.issues));
    }
    if (err instanceof HttpError) {
      return reply
        .status(err.status)
        .headers(err.headers)
        .send({ ...err.details, error: err.code, message: err.message });
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .status(413)
        .send({ error: 'payload_too_large', message: `the body exceeds ${app.initialConfig.bodyLimit} bytes` });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: 'unsupported_media_type', message: 'send application/json' });
    }
    if (
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err instanceof SyntaxError
    ) {
      return reply.status(400).send({ error: 'invalid_json', message: `the body is not valid JSON: ${err.message}` });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: fe.code ?? 'bad_request', message: err.message });
    }
    const code = (err as { code?: string }).code;
    if ((code && UNAVAILABLE_CODES.has(code)) || isConnectionLoss(err)) {
      req.log.warn({ err: err.message, code }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send({ error: 'unavailable', message: 'the database is unavailable; retry shortly' });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: 'internal', message: 'internal error' });
  });
}

export function validationBody(issues: FieldIssue[]) {
  const first = issues[0];
  return {
    error: 'invalid_body',
    message: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
    field: first?.field,
    issues,
  };
}

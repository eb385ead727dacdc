import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PersonPrincipal, Principal, TokenPrincipal } from '../../domain/access/principal.ts';
import { SESSION_COOKIE, sessionPrincipal, tokenPrincipal } from '../../domain/access/service.ts';
import type { AppContext } from '../context.ts';
import { forbidden, HttpError, unauthorized } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a session that must first set up a second factor may reach: who am I, the set-up, signing out. */
const ENROLMENT_ROUTES = new Set([
  'GET /api/v1/me',
  'POST /api/v1/auth/logout',
  'GET /api/v1/me/totp',
  'POST /api/v1/me/totp/setup',
  'POST /api/v1/me/totp/enable',
]);

/**
 * Resolves the caller from a bearer token or the session cookie. Cookie-authenticated writes must carry
 * the `x-requested-with` header the web app sends: a cross-site form cannot, which stops CSRF.
 */
export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  if (req.principal) return req.principal;
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await tokenPrincipal(ctx.pool, match[1]!) : undefined;
    if (!principal) throw unauthorized();
    req.principal = principal;
    return principal;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  const principal = cookie ? await sessionPrincipal(ctx.pool, cookie) : undefined;
  if (!principal) throw unauthorized();
  if (!SAFE_METHODS.has(req.method) && req.headers['x-requested-with'] !== 'passeur') {
    throw new HttpError(403, 'csrf', 'cookie-authenticated writes need the header x-requested-with: passeur');
  }
  if (principal.enrolOnly && !ENROLMENT_ROUTES.has(`${req.method} ${req.routeOptions.url}`)) {
    throw new HttpError(
      403,
      'totp_enrolment_required',
      'set up an authenticator app first: your organization requires a second factor for your role',
    );
  }
  req.principal = principal;
  return principal;
}

export async function requirePerson(ctx: AppContext, req: FastifyRequest): Promise<PersonPrincipal> {
  const p = await authenticate(ctx, req);
  if (p.kind !== 'person') throw forbidden('this action with an API token');
  return p;
}

export async function requireToken(ctx: AppContext, req: FastifyRequest): Promise<TokenPrincipal> {
  const p = await authenticate(ctx, req);
  if (p.kind !== 'token') throw forbidden('this action without an API token');
  return p;
}

export function sessionCookieOptions(ctx: AppContext, req: FastifyRequest, maxAgeSeconds: number) {
  const secure = ctx.config.secureCookies ?? req.protocol === 'https';
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeSeconds };
}

export type Reply = FastifyReply;

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { transaction } from '../../server/db/database.ts';
import { requirePerson, sessionCookieOptions } from '../../server/http/auth.ts';
import { forbidden, HttpError, notFound } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { RateLimiter } from '../../server/http/rate-limit.ts';
import { parse } from '../../server/http/validate.ts';
import { audit } from '../audit/log.ts';
import { finishOidc, OidcError, startOidc } from './oidc.ts';
import { canAdminister } from './policy.ts';
import { presentMe } from './routes.ts';
import {
  beginEnrolment,
  checkSecondFactor,
  confirmEnrolment,
  createFlow,
  disableTotp,
  dropFlow,
  FLOW_MINUTES,
  failFlow,
  findFlow,
  resetTotp,
  totpState,
} from './second-factor.ts';
import { countFailedSignIn, openPersonSession, SESSION_COOKIE } from './service.ts';
import {
  loadSignInSettings,
  oidcReady,
  presentSignInSettings,
  saveSignInSettings,
  signInSettingsBody,
  totpRequiredFor,
} from './sign-in-settings.ts';

/** The cookie of a password sign-in waiting for its second factor. */
export const SECOND_FACTOR_COOKIE = 'passeur_signin';
/** The cookie binding an OpenID Connect round trip to the browser that started it. */
const OIDC_COOKIE = 'passeur_oidc';
const OIDC_PATH = '/api/v1/auth/oidc';

const codeBody = z.strictObject({ code: z.string().regex(/^\s*\d{3}\s?\d{3}\s*$/, 'six digits') });
const secondFactorBody = z.union([
  z.strictObject({ code: z.string().regex(/^\s*\d{3}\s?\d{3}\s*$/, 'six digits') }),
  z.strictObject({ recovery_code: z.string().min(10).max(20) }),
]);
const disableBody = z.union([
  z.strictObject({ code: z.string().regex(/^\s*\d{3}\s?\d{3}\s*$/, 'six digits') }),
  z.strictObject({ recovery_code: z.string().min(10).max(20) }),
  z.strictObject({ password: z.string().min(1).max(1000) }),
]);
const startQuery = z.strictObject({ next: z.string().max(500).optional() });
const personParams = z.strictObject({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

/** Only paths of this site are followed after sign-in (never another site: no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

function flowCookieOptions(ctx: AppContext, req: FastifyRequest, path: string) {
  return { ...sessionCookieOptions(ctx, req, FLOW_MINUTES * 60), path };
}

function redirectUri(ctx: AppContext, req: FastifyRequest): string {
  const base = ctx.config.publicUrlFromEnv ? ctx.config.publicUrl.replace(/\/$/, '') : `${req.protocol}://${req.host}`;
  return `${base}${OIDC_PATH}/callback`;
}

export function signInRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Per address: a code step needs the account's password first, and each step allows five codes before the
  // password is asked again (wrong codes also count towards the account's lock-out); this bounds the rest.
  const perAddress = new RateLimiter(2, 60);
  // Provider round trips cannot be guessed (the code comes from the provider); this only bounds the load, and
  // leaves room for a whole office signing in at nine from one address.
  const oidcPerAddress = new RateLimiter(10, 200);

  app.get(
    '/api/v1/auth/providers',
    { schema: { summary: 'How one may sign in here (shown on the sign-in page)', tags: ['auth'] } },
    async () => {
      const s = await loadSignInSettings(ctx.pool, ctx.directory().orgId);
      return { password: true, oidc: oidcReady(s) ? { name: s.oidc.name || 'SSO' } : null };
    },
  );

  app.post(
    '/api/v1/auth/totp',
    {
      schema: {
        summary: 'Second step of a password sign-in: an authenticator code or a recovery code',
        tags: ['auth'],
        body: doc(secondFactorBody),
      },
    },
    async (req, reply) => {
      perAddress.take(`totp:${req.ip}`);
      const body = parse(secondFactorBody, req.body);
      const flow = await findFlow(ctx.pool, 'totp', req.cookies[SECOND_FACTOR_COOKIE]);
      if (!flow?.person_id) {
        throw new HttpError(401, 'sign_in_expired', 'sign in with your password again (the code step expired)');
      }
      const state = await totpState(ctx.pool, flow.person_id);
      if (!state.active) {
        await dropFlow(ctx.pool, flow.id);
        throw new HttpError(401, 'sign_in_expired', 'sign in with your password again (the code step expired)');
      }
      if (state.locked_until && state.locked_until.getTime() > Date.now()) {
        const wait = Math.ceil((state.locked_until.getTime() - Date.now()) / 1000);
        throw new HttpError(429, 'locked', 'too many failed sign-ins; try again later', {
          'retry-after': String(wait),
        });
      }
      const proof = await checkSecondFactor(ctx.pool, ctx.keyring, flow.person_id, body);
      const person = { id: flow.person_id, org_id: flow.org_id };
      if (!proof) {
        await failFlow(ctx.pool, flow);
        await countFailedSignIn(ctx.pool, person, ctx.config.loginAttempts, 'auth.totp_failed', { ip: req.ip });
        throw new HttpError(401, 'invalid_code', 'wrong or already used code');
      }
      await dropFlow(ctx.pool, flow.id);
      const opened = await openPersonSession(ctx.pool, person, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? '',
        sessionHours: ctx.config.sessionHours,
        method: 'password+totp',
      });
      if (proof === 'recovery_code') {
        const personId = flow.person_id;
        await transaction(ctx.pool, (tx) =>
          audit(tx, {
            orgId: flow.org_id,
            action: 'auth.recovery_code_used',
            actorPersonId: personId,
            subjectType: 'person',
            subjectId: personId,
          }),
        );
      }
      reply.clearCookie(SECOND_FACTOR_COOKIE, { path: '/api/v1/auth' });
      reply.setCookie(SESSION_COOKIE, opened.cookie, sessionCookieOptions(ctx, req, ctx.config.sessionHours * 3600));
      return { person: presentMe(ctx, opened.principal) };
    },
  );

  app.get(
    `${OIDC_PATH}/start`,
    {
      schema: {
        summary: "Sign in with the organization's OpenID Connect provider (redirects there)",
        tags: ['auth'],
        querystring: doc(startQuery),
      },
    },
    async (req, reply) => {
      oidcPerAddress.take(`oidc:${req.ip}`);
      const q = parse(startQuery, req.query);
      const orgId = ctx.directory().orgId;
      const s = await loadSignInSettings(ctx.pool, orgId);
      try {
        const { url, cookie } = await startOidc(
          ctx.pool,
          ctx.keyring,
          orgId,
          s,
          redirectUri(ctx, req),
          safeNext(q.next),
        );
        reply.setCookie(OIDC_COOKIE, cookie, flowCookieOptions(ctx, req, OIDC_PATH));
        return reply.redirect(url, 302);
      } catch (err) {
        return refuse(ctx, req, reply, err, orgId);
      }
    },
  );

  app.get(
    `${OIDC_PATH}/callback`,
    { schema: { summary: 'Where the OpenID Connect provider sends the browser back', tags: ['auth'] } },
    async (req, reply) => {
      oidcPerAddress.take(`oidc:${req.ip}`);
      const orgId = ctx.directory().orgId;
      reply.clearCookie(OIDC_COOKIE, { path: OIDC_PATH });
      try {
        const s = await loadSignInSettings(ctx.pool, orgId);
        const current = new URL(req.url, redirectUri(ctx, req));
        const done = await finishOidc(ctx.pool, ctx.keyring, s, req.cookies[OIDC_COOKIE], current);
        const opened = await openPersonSession(ctx.pool, done.person, {
          ip: req.ip,
          userAgent: req.headers['user-agent'] ?? '',
          sessionHours: ctx.config.sessionHours,
          method: 'oidc',
        });
        reply.setCookie(SESSION_COOKIE, opened.cookie, sessionCookieOptions(ctx, req, ctx.config.sessionHours * 3600));
        return reply.redirect(safeNext(done.next), 302);
      } catch (err) {
        return refuse(ctx, req, reply, err, orgId);
      }
    },
  );

  app.get(
    '/api/v1/me/totp',
    { schema: { summary: 'My authenticator-app second factor', tags: ['auth'] } },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const [state, s] = await Promise.all([totpState(ctx.pool, p.id), loadSignInSettings(ctx.pool, p.orgId)]);
      return {
        enabled: state.totp_enabled,
        required: totpRequiredFor(s, p.role),
        enrolment_required: p.enrolOnly === true,
        recovery_codes_left: state.totp_enabled ? state.recovery_left : 0,
      };
    },
  );

  app.post(
    '/api/v1/me/totp/setup',
    {
      schema: {
        summary: 'Start setting up an authenticator app: its secret, once (otpauth URI, QR code, key)',
        tags: ['auth'],
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      const out = await beginEnrolment(ctx.pool, ctx.keyring, p, ctx.directory().orgName || 'Passeur');
      if (out === 'already_enabled') throw new HttpError(409, 'already_enabled', 'turn the second factor off first');
      return out;
    },
  );

  app.post(
    '/api/v1/me/totp/enable',
    {
      schema: {
        summary: 'Confirm the authenticator app with a code; answers the recovery codes, this once',
        tags: ['auth'],
        body: doc(codeBody),
      },
    },
    async (req, reply) => {
      perAddress.take(`totp-me:${req.ip}`);
      const p = await requirePerson(ctx, req);
      const body = parse(codeBody, req.body);
      const out = await confirmEnrolment(ctx.pool, ctx.keyring, { id: p.id, orgId: p.orgId }, body.code);
      if (out === 'already_enabled') throw new HttpError(409, 'already_enabled', 'the second factor is already on');
      if (out === 'not_started') throw new HttpError(409, 'not_started', 'start with POST /api/v1/me/totp/setup');
      if (out === null)
        throw new HttpError(
          400,
          'invalid_code',
          'wrong code: check the time on your phone',
          {},
          {
            field: 'code',
          },
        );
      if (p.enrolOnly) {
        // The session that could only enrol becomes a full one, under a new id.
        const opened = await openPersonSession(
          ctx.pool,
          { id: p.id, org_id: p.orgId },
          {
            ip: req.ip,
            userAgent: req.headers['user-agent'] ?? '',
            sessionHours: ctx.config.sessionHours,
            method: 'password+totp',
          },
        );
        await ctx.pool.query('delete from sessions where id = $1', [p.sessionId]);
        reply.setCookie(SESSION_COOKIE, opened.cookie, sessionCookieOptions(ctx, req, ctx.config.sessionHours * 3600));
      }
      return { recovery_codes: out };
    },
  );

  app.post(
    '/api/v1/me/totp/disable',
    {
      schema: {
        summary: 'Turn the second factor off (with a code, a recovery code or the password)',
        tags: ['auth'],
        body: doc(disableBody),
      },
    },
    async (req, reply) => {
      perAddress.take(`totp-me:${req.ip}`);
      const p = await requirePerson(ctx, req);
      const body = parse(disableBody, req.body);
      const s = await loadSignInSettings(ctx.pool, p.orgId);
      if (totpRequiredFor(s, p.role)) {
        throw new HttpError(409, 'totp_required', 'your organization requires a second factor for your role');
      }
      const ok = await disableTotp(ctx.pool, ctx.keyring, { id: p.id, orgId: p.orgId }, body);
      if (ok === 'not_enabled') throw new HttpError(409, 'not_enabled', 'the second factor is not on');
      if (!ok) {
        await countFailedSignIn(ctx.pool, { id: p.id, org_id: p.orgId }, ctx.config.loginAttempts, 'auth.totp_failed', {
          ip: req.ip,
        });
        throw new HttpError(401, 'invalid_code', 'wrong code or password');
      }
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/people/:id/totp/reset',
    {
      schema: {
        summary: "Turn a person's second factor off (leaders; a lost phone): their sessions end",
        tags: ['auth'],
        params: doc(personParams),
      },
    },
    async (req, reply) => {
      const p = await requirePerson(ctx, req);
      if (!canAdminister(p)) throw forbidden("resetting someone's second factor");
      const { id } = parse(personParams, req.params);
      const done = await resetTotp(ctx.pool, p.orgId, id, { personId: p.id, via: 'api' });
      if (!done) throw notFound('person');
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/organization/sign-in',
    {
      schema: {
        summary: 'Sign-in settings: OpenID Connect provider and second-factor requirement (the secret is never shown)',
        tags: ['organization'],
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      if (!canAdminister(p)) throw forbidden('reading the sign-in settings');
      return presentSignInSettings(await loadSignInSettings(ctx.pool, p.orgId));
    },
  );

  app.put(
    '/api/v1/organization/sign-in',
    {
      schema: {
        summary: 'Change the sign-in settings (leaders); client_secret is write-only, omitted keeps it',
        tags: ['organization'],
        body: doc(signInSettingsBody),
      },
    },
    async (req) => {
      const p = await requirePerson(ctx, req);
      if (!canAdminister(p)) throw forbidden('changing the sign-in settings');
      const body = parse(signInSettingsBody, req.body);
      if (body.oidc.enabled && (!body.oidc.issuer || !body.oidc.client_id)) {
        throw new HttpError(
          400,
          'invalid_body',
          'oidc.issuer and oidc.client_id are needed to enable sign-on',
          {},
          {
            field: body.oidc.issuer ? 'oidc.client_id' : 'oidc.issuer',
          },
        );
      }
      const known = new Set([...ctx.directory().communities.values()].map((c) => c.slug));
      const unknown = body.oidc.community_rules.find((r) => !known.has(r.community));
      if (unknown) {
        throw new HttpError(
          400,
          'invalid_body',
          `oidc.community_rules: no community "${unknown.community}"`,
          {},
          {
            field: 'oidc.community_rules',
          },
        );
      }
      await transaction(ctx.pool, async (tx) => {
        await saveSignInSettings(tx, ctx.keyring, p.orgId, p.id, body);
        const { client_secret, ...oidc } = body.oidc;
        await audit(tx, {
          orgId: p.orgId,
          action: 'sign_in.changed',
          actorPersonId: p.id,
          subjectType: 'organization',
          subjectId: p.orgId,
          data: {
            totp_required: body.totp_required,
            oidc: { ...oidc, client_secret: client_secret === undefined ? 'kept' : client_secret ? 'set' : 'removed' },
          },
        });
      });
      return presentSignInSettings(await loadSignInSettings(ctx.pool, p.orgId));
    },
  );
}

/** A refused OpenID Connect sign-in: audited, then back to the sign-in page, which explains the reason. */
async function refuse(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, err: unknown, orgId: number) {
  if (!(err instanceof OidcError)) throw err;
  req.log.warn({ reason: err.reason, detail: err.message }, 'single sign-on refused');
  await transaction(ctx.pool, (tx) =>
    audit(tx, {
      orgId,
      action: 'auth.oidc_refused',
      subjectType: 'organization',
      subjectId: orgId,
      data: { reason: err.reason, detail: err.message.slice(0, 300), ip: req.ip },
    }),
  );
  return reply.redirect(`/login?sso_error=${err.reason}`, 302);
}

/** Whether a password sign-in needs the second step, or opens a session that may only enrol. */
export async function secondFactorFor(
  ctx: AppContext,
  person: { id: number; org_id: number; role: string; totp_enabled: boolean },
): Promise<{ challenge: string } | { stage: 'full' | 'enrol' }> {
  if (person.totp_enabled) {
    return {
      challenge: await createFlow(ctx.pool, { kind: 'totp', orgId: person.org_id, personId: person.id, data: {} }),
    };
  }
  const s = await loadSignInSettings(ctx.pool, person.org_id);
  return { stage: totpRequiredFor(s, person.role) ? 'enrol' : 'full' };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../server/context.ts';
import { requirePerson, sessionCookieOptions } from '../../server/http/auth.ts';
import { HttpError } from '../../server/http/errors.ts';
import { doc } from '../../server/http/openapi.ts';
import { RateLimiter } from '../../server/http/rate-limit.ts';
import { parse } from '../../server/http/validate.ts';
import type { PersonPrincipal } from './principal.ts';
import { FLOW_MINUTES } from './second-factor.ts';
import { login, logout, SESSION_COOKIE } from './service.ts';
import { SECOND_FACTOR_COOKIE, secondFactorFor } from './sign-in-routes.ts';

const loginSchema = z.strictObject({
  email: z.string().min(3).max(320),
  password: z.string().min(1).max(1000),
});

export function presentMe(ctx: AppContext, p: PersonPrincipal) {
  const d = ctx.directory();
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    role: p.role,
    locale: p.locale,
    timezone: p.timezone,
    languages: p.languages,
    autonomy: p.autonomy,
    organization: { id: d.orgId, name: d.orgName },
    communities: [...d.communities.values()]
      .filter((c) => p.communityIds.has(c.id))
      .map((c) => ({ id: c.id, slug: c.slug, name: c.name, language: c.language })),
    teams: p.teamIds.map((id) => d.teams.get(id)).filter((t) => t !== undefined),
    /** The organization requires a second factor for this role and it is not set up: only that is possible. */
    totp_enrolment_required: p.enrolOnly === true,
  };
}

export function accessRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Per address, on top of the per-person lock-out: slows down password spraying across accounts.
  // An office behind one NAT address signs in together at 9:00: PASSEUR_LOGIN_RATE raises it.
  const perAddress = new RateLimiter(ctx.config.loginRatePerSecond, ctx.config.loginRatePerSecond * 20);

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        summary: 'Sign in with email and password (sets the session cookie)',
        tags: ['auth'],
        body: doc(loginSchema),
      },
    },
    async (req, reply) => {
      perAddress.take(`login:${req.ip}`);
      const body = parse(loginSchema, req.body);
      const outcome = await login(ctx.pool, {
        email: body.email,
        password: body.password,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? '',
        maxAttempts: ctx.config.loginAttempts,
        sessionHours: ctx.config.sessionHours,
        secondFactor: (person) => secondFactorFor(ctx, person),
      });
      if (outcome.ok === 'second_factor') {
        // The password is right; the session opens once the authenticator code is given (POST /auth/totp).
        reply.setCookie(SECOND_FACTOR_COOKIE, outcome.challenge, {
          ...sessionCookieOptions(ctx, req, FLOW_MINUTES * 60),
          path: '/api/v1/auth',
        });
        return { second_factor: 'totp' };
      }
      if (!outcome.ok) {
        if (outcome.reason === 'locked') {
          throw new HttpError(429, 'locked', 'too many failed sign-ins; try again later', {
            'retry-after': String(outcome.retryAfterSeconds ?? 60),
          });
        }
        throw new HttpError(401, 'invalid_credentials', 'wrong email or password');
      }
      reply.setCookie(SESSION_COOKIE, outcome.cookie, sessionCookieOptions(ctx, req, ctx.config.sessionHours * 3600));
      return { person: presentMe(ctx, outcome.principal) };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { summary: 'Sign out', tags: ['auth'] } }, async (req, reply) => {
    const person = await requirePerson(ctx, req);
    await logout(ctx.pool, person);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/me', { schema: { summary: 'The signed-in person', tags: ['auth'] } }, async (req) => {
    return presentMe(ctx, await requirePerson(ctx, req));
  });
}

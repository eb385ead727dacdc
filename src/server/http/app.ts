import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { accessRoutes } from '../../domain/access/routes.ts';
import { signInRoutes } from '../../domain/access/sign-in-routes.ts';
import { accountRoutes } from '../../domain/accounts/routes.ts';
import { advocateRoutes } from '../../domain/advocates/routes.ts';
import { auditRoutes } from '../../domain/audit/routes.ts';
import { caseOperationRoutes } from '../../domain/cases/operation-routes.ts';
import { caseRoutes } from '../../domain/cases/routes.ts';
import { composerRoutes } from '../../domain/composer/routes.ts';
import { consultRoutes } from '../../domain/consults/routes.ts';
import { contactRoutes } from '../../domain/contacts/routes.ts';
import { correctionRoutes } from '../../domain/corrections/routes.ts';
import { coverageBackupRoutes } from '../../domain/coverage/backup-routes.ts';
import { coverageRoutes } from '../../domain/coverage/routes.ts';
import { crisisRoutes } from '../../domain/crisis/routes.ts';
import { feedbackRoutes } from '../../domain/feedback/routes.ts';
import { governanceRoutes } from '../../domain/governance/routes.ts';
import { handoverRoutes } from '../../domain/handover/routes.ts';
import { ingestRoutes } from '../../domain/ingest/routes.ts';
import { linkRoutes } from '../../domain/links/routes.ts';
import { notificationRoutes } from '../../domain/notifications/routes.ts';
import { peopleRoutes } from '../../domain/organization/people-routes.ts';
import { organizationRoutes } from '../../domain/organization/routes.ts';
import { privacyRoutes } from '../../domain/privacy/routes.ts';
import { publishingRoutes } from '../../domain/publishing/routes.ts';
import { qualityRoutes } from '../../domain/quality/routes.ts';
import { reportRoutes } from '../../domain/reports/routes.ts';
import { retentionRoutes } from '../../domain/retention/routes.ts';
import { routingRoutes } from '../../domain/routing/routes.ts';
import { trainingRoutes } from '../../domain/training/routes.ts';
import { viewRoutes } from '../../domain/views/routes.ts';
import { webhookRoutes } from '../../domain/webhooks/routes.ts';
import type { AppContext } from '../context.ts';
import { realtimeRoutes } from '../realtime/routes.ts';
import { installErrorHandler } from './errors.ts';
import { Metrics } from './metrics.ts';
import { opsRoutes } from './ops.ts';

/**
 * Content Security Policy: scripts and styles only from Passeur itself, no inline script, no framing.
 * Customer content is rendered as text by the web app; this is the second line of defence.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export async function buildHttpApp(
  ctx: AppContext,
  opts: { opsOnly?: boolean } = {},
): Promise<{ app: FastifyInstance; metrics: Metrics }> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // Validation is done by zod in each route; the JSON Schemas attached to routes document them.
    ajv: { customOptions: { strict: false } },
  });
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const metrics = new Metrics();
  const countRequest = metrics.counter('passeur_http_requests_total', 'HTTP requests by status class');
  metrics.gauge('passeur_sse_clients', 'Open Server-Sent Events streams', () => ctx.realtime.subscriberCount);
  metrics.gauge('passeur_ingest_queue_depth', 'Messages waiting to be stored', () => ctx.ingestQueue.depth);
  metrics.gauge('process_resident_memory_bytes', 'Resident memory of this process', () => process.memoryUsage().rss);
  app.addHook('onResponse', async (_req, reply) => {
    countRequest({ status: `${Math.floor(reply.statusCode / 100)}xx` });
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('content-security-policy', CSP);
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (reply.request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    // Draining for shutdown: tell clients not to reuse this connection.
    if (!ctx.accepting) reply.header('connection', 'close');
    return payload;
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Passeur API',
        version: '1',
        description: 'Social customer care: ingest customer messages, work cases, reply from brand accounts.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'API token from `passeur token create`' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'passeur_session' },
        },
      },
      security: [{ sessionCookie: [] }],
    },
  });
  installErrorHandler(app);

  opsRoutes(app, ctx, metrics);
  if (opts.opsOnly) return { app, metrics };
  ingestRoutes(app, ctx);
  accessRoutes(app, ctx);
  signInRoutes(app, ctx);
  caseRoutes(app, ctx);
  caseOperationRoutes(app, ctx);
  viewRoutes(app, ctx);
  composerRoutes(app, ctx);
  linkRoutes(app, ctx);
  webhookRoutes(app, ctx);
  contactRoutes(app, ctx);
  privacyRoutes(app, ctx);
  correctionRoutes(app, ctx);
  organizationRoutes(app, ctx);
  peopleRoutes(app, ctx);
  routingRoutes(app, ctx);
  governanceRoutes(app, ctx);
  notificationRoutes(app, ctx);
  realtimeRoutes(app, ctx);
  accountRoutes(app, ctx);
  retentionRoutes(app, ctx);
  consultRoutes(app, ctx);
  auditRoutes(app, ctx);
  reportRoutes(app, ctx);
  crisisRoutes(app, ctx);
  publishingRoutes(app, ctx);
  handoverRoutes(app, ctx);
  feedbackRoutes(app, ctx);
  advocateRoutes(app, ctx);
  coverageBackupRoutes(app, ctx);
  coverageRoutes(app, ctx);
  trainingRoutes(app, ctx);
  qualityRoutes(app, ctx);
  // Each network's webhooks in a scope of their own (they may parse bodies as raw bytes to verify signatures).
  for (const connector of ctx.connectors.list()) {
    if (connector.routes) await app.register(async (scope) => connector.routes!(scope, ctx.channels));
  }
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webRoot = ctx.config.webDir;
  const hasWeb = fs.existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // Paths with a file extension are assets: a missing one is a 404, not the app page.
    if (req.method !== 'GET' || path.startsWith('/api/') || /\.[a-z0-9]+$/i.test(path)) {
      return reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
    }
    if (!hasWeb) {
      return reply
        .status(503)
        .type('text/plain')
        .send('The web app is not built: run `npm run build:web` (npm ci does it through `prepare`).');
    }
    // The single-page app handles its own routes.
    return reply.type('text/html').sendFile('index.html');
  });
  return { app, metrics };
}

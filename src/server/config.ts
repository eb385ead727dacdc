import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/**
 * Configuration is read from the environment once, validated here, and passed down as a typed object;
 * nothing else in the code base reads `process.env`.
 */
const booleanFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  PASSEUR_DATA: z.string().default('data'),
  /** api: HTTP only; worker: background work only (with /healthz, /readyz, /metrics); all: both. */
  PASSEUR_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  DATABASE_URL: z.string().url().optional(),
  PASSEUR_DEMO_STREAM: booleanFlag.default(true),
  /** Messages per minute fed by the demo stream. */
  PASSEUR_DEMO_RATE: z.coerce.number().min(0).max(600_000).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PASSEUR_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Requests per second per integration token (token bucket refill); bursts up to 2× this. */
  PASSEUR_TOKEN_RATE: z.coerce.number().int().min(1).default(2000),
  /** Password sign-ins per second per client address (bursts of 20 times that), on top of the per-person lock-out. */
  PASSEUR_LOGIN_RATE: z.coerce.number().positive().default(1),
  /** Failed sign-ins per account and per address before a temporary lock-out. */
  PASSEUR_LOGIN_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  /** Set when Passeur is served over HTTPS (directly or behind a TLS-terminating proxy). */
  PASSEUR_SECURE_COOKIES: booleanFlag.optional(),
  PASSEUR_TRUST_PROXY: booleanFlag.default(false),
  PASSEUR_SESSION_HOURS: z.coerce.number().min(1).default(12),
  /** Delay before a reply leaves the outbox, during which it can be undone. */
  PASSEUR_SEND_DELAY_MS: z.coerce.number().int().min(0).default(10_000),
  PASSEUR_PUBLIC_URL: z.string().url().optional(),
  /** Key(s) encrypting channel credentials: base64 of 32 bytes, or `id:base64` lines (first encrypts). */
  PASSEUR_SECRET_KEY: z.string().optional(),
  /** File holding the keys (default `<data>/secret.key`, created on first start). */
  PASSEUR_SECRET_KEY_FILE: z.string().optional(),
  /** Let connectors fetch private and loopback addresses (for feeds and peers on the local network). */
  PASSEUR_ALLOW_PRIVATE_FETCH: booleanFlag.default(false),
  /** Let outgoing webhooks target private and loopback addresses (an integration on the local network). */
  PASSEUR_ALLOW_PRIVATE_WEBHOOKS: booleanFlag.default(false),
  /** SMTP server for notification emails, e.g. smtp://user:pass@mail.example:587; unset: no email is sent. */
  PASSEUR_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL')
    .optional(),
  PASSEUR_MAIL_FROM: z.string().min(3).default('Passeur <passeur@localhost>'),
  /**
   * The mailbox where experts' replies to consult emails arrive: imap:// (STARTTLS, or cleartext on loopback) or
   * imaps:// with the login in the URL (percent-encoded), optionally the folder as its path. Unset: no Reply-To.
   */
  PASSEUR_REPLY_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\/[^\s]+@[^\s]+$/, 'an imap:// or imaps:// URL with user and password')
    .optional(),
  /** The address of that mailbox; replies go to `<local>+<consult>.<tag>@<domain>` (plus-addressing). */
  PASSEUR_REPLY_ADDRESS: z.email().optional(),
  /** How often the reply mailbox is read. */
  PASSEUR_REPLY_POLL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How often SLA clocks are checked for warnings, breaches and escalations; 0 turns the timer off. */
  PASSEUR_SLA_SWEEP_MS: z.coerce.number().int().min(0).default(10_000),
  /** How often off-duty cases are moved and out-of-hours messages acknowledged and paged; 0 turns it off. */
  PASSEUR_COVERAGE_SWEEP_MS: z.coerce.number().int().min(0).default(5_000),
  /** How often the handover timer looks for briefs to generate and publish at shift changes; 0 turns it off. */
  PASSEUR_HANDOVER_MS: z.coerce.number().int().min(0).default(60_000),
  /** The built web app (`npm run build:web` writes dist/web). */
  PASSEUR_WEB_DIR: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  role: 'all' | 'api' | 'worker';
  dataDir: string;
  databaseUrl: string | undefined;
  demoStream: boolean;
  demoRatePerMinute: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimit: number;
  tokenRatePerSecond: number;
  loginRatePerSecond: number;
  loginAttempts: number;
  /** Undefined: decided per request from its protocol. */
  secureCookies: boolean | undefined;
  trustProxy: boolean;
  sessionHours: number;
  sendDelayMs: number;
  publicUrl: string;
  /** Whether PASSEUR_PUBLIC_URL was given (else sign-in redirects are built from the request's own address). */
  publicUrlFromEnv?: boolean;
  secretKey: string | undefined;
  secretKeyFile: string | undefined;
  allowPrivateFetch: boolean;
  allowPrivateWebhooks: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Answering consults by email: both set, or neither (see docs/consults.md). */
  replyImapUrl: string | undefined;
  replyAddress: string | undefined;
  replyPollMs: number;
  slaSweepMs: number;
  handoverMs: number;
  coverageSweepMs: number;
  webDir: string;
}

export interface ConfigOverrides {
  port?: number;
  dataDir?: string;
  demoStream?: boolean;
  databaseUrl?: string;
  role?: Config['role'];
  logLevel?: Config['logLevel'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  if ((e.PASSEUR_REPLY_IMAP_URL === undefined) !== (e.PASSEUR_REPLY_ADDRESS === undefined)) {
    throw new Error('invalid configuration: PASSEUR_REPLY_IMAP_URL and PASSEUR_REPLY_ADDRESS go together');
  }
  const port = overrides.port ?? e.PORT;
  return {
    port,
    host: e.HOST,
    role: overrides.role ?? e.PASSEUR_ROLE,
    dataDir: path.resolve(overrides.dataDir ?? e.PASSEUR_DATA),
    databaseUrl: overrides.databaseUrl ?? e.DATABASE_URL,
    demoStream: overrides.demoStream ?? e.PASSEUR_DEMO_STREAM,
    demoRatePerMinute: e.PASSEUR_DEMO_RATE,
    logLevel: overrides.logLevel ?? e.LOG_LEVEL,
    bodyLimit: e.PASSEUR_BODY_LIMIT,
    tokenRatePerSecond: e.PASSEUR_TOKEN_RATE,
    loginRatePerSecond: e.PASSEUR_LOGIN_RATE,
    loginAttempts: e.PASSEUR_LOGIN_ATTEMPTS,
    secureCookies: e.PASSEUR_SECURE_COOKIES,
    trustProxy: e.PASSEUR_TRUST_PROXY,
    sessionHours: e.PASSEUR_SESSION_HOURS,
    sendDelayMs: e.PASSEUR_SEND_DELAY_MS,
    publicUrl: e.PASSEUR_PUBLIC_URL ?? `http://localhost:${port}`,
    publicUrlFromEnv: e.PASSEUR_PUBLIC_URL !== undefined,
    secretKey: e.PASSEUR_SECRET_KEY,
    secretKeyFile: e.PASSEUR_SECRET_KEY_FILE,
    allowPrivateFetch: e.PASSEUR_ALLOW_PRIVATE_FETCH,
    allowPrivateWebhooks: e.PASSEUR_ALLOW_PRIVATE_WEBHOOKS,
    smtpUrl: e.PASSEUR_SMTP_URL,
    mailFrom: e.PASSEUR_MAIL_FROM,
    replyImapUrl: e.PASSEUR_REPLY_IMAP_URL,
    replyAddress: e.PASSEUR_REPLY_ADDRESS?.toLowerCase(),
    replyPollMs: e.PASSEUR_REPLY_POLL_MS,
    slaSweepMs: e.PASSEUR_SLA_SWEEP_MS,
    handoverMs: e.PASSEUR_HANDOVER_MS,
    coverageSweepMs: e.PASSEUR_COVERAGE_SWEEP_MS,
    webDir: path.resolve(e.PASSEUR_WEB_DIR ?? DEFAULT_WEB_DIR),
  };
}

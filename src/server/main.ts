import pino, { type Logger } from 'pino';
import type { AnyConnector } from '../channels/connector.ts';
import { defaultRegistry } from '../channels/registry.ts';
import { createChannelRuntime } from '../channels/runtime.ts';
import { ensureDemoFeedback } from '../demo/feedback.ts';
import { seedDemoHistory } from '../demo/history.ts';
import { AIRSOCIAL, DEMO_PASSWORD } from '../demo/organization.ts';
import { DemoStream } from '../demo/stream.ts';
import { accountContexts } from '../domain/accounts/store.ts';
import { organizationTriager } from '../domain/corrections/model-store.ts';
import { ensureFirstBriefs } from '../domain/handover/service.ts';
import { createIngestQueue, type IngestDeps, ingest } from '../domain/ingest/service.ts';
import { CONFIG_CHANNEL } from '../domain/organization/config-events.ts';
import { type Directory, loadDirectory } from '../domain/organization/directory.ts';
import { seedOrganization } from '../domain/organization/seed.ts';
import { OutboxWorker } from '../domain/outbox/worker.ts';
import { seedDemoReviews } from '../domain/quality/demo.ts';
import { RoutingEngine } from '../domain/routing/router.ts';
import { currentPolicy } from '../domain/routing/store.ts';
import { loadSlaContext, type SlaContext } from '../domain/sla/deadlines.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDatabase } from './db/database.ts';
import { buildHttpApp } from './http/app.ts';
import { RealtimeHub } from './realtime/hub.ts';
import { loadKeyring } from './secrets/keyring.ts';
import { startWorkers } from './workers.ts';

export interface RunningPasseur {
  url: string;
  ctx: AppContext;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Print the demo logins banner (the CLI does; tests do not). */
  banner?: (lines: string[]) => void;
  /** Extra connectors (tests register peers of their own). */
  connectors?: AnyConnector[];
}

/** How long the demo stream runs before the demo's first handover briefs are generated. */
const DEMO_BRIEF_DELAY_MS = 90_000;

/** The composition root: opens the database, wires the services, starts HTTP, the workers and the demo. */
export async function startPasseur(config: Config, opts: StartOptions = {}): Promise<RunningPasseur> {
  const log = opts.log ?? pino({ level: config.logLevel });
  const started = Date.now();
  const database = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    log: (msg) => log.info(msg),
  });
  try {
    const seeded = await seedOrganization(database.pool, AIRSOCIAL, DEMO_PASSWORD);
    let directory: Directory = await loadDirectory(database.pool, seeded.orgId);
    let routing = new RoutingEngine(directory, await currentPolicy(database.pool, seeded.orgId));
    let triager = await organizationTriager(database.pool, seeded.orgId);
    let sla: SlaContext = await loadSlaContext(database.pool, seeded.orgId);
    let reloadsStarted = 0;
    let reloadApplied = 0;
    let triagerLoadsStarted = 0;
    let triagerApplied = 0;
    const ingestDeps: IngestDeps = {
      pool: database.pool,
      directory: () => directory,
      triager: () => triager,
      router: () => routing,
      sla: () => sla,
    };
    const realtime = new RealtimeHub(database.url, log);
    await realtime.start();
    const registry = defaultRegistry();
    for (const c of opts.connectors ?? []) registry.register(c);
    const keyring = loadKeyring({ envKey: config.secretKey, keyFile: config.secretKeyFile, dataDir: config.dataDir });
    const channels = createChannelRuntime({
      pool: database.pool,
      orgId: () => directory.orgId,
      keyring,
      ingest: (batch) => ingest(ingestDeps, batch),
      log,
      allowPrivateFetch: config.allowPrivateFetch,
    });
    const outbox = new OutboxWorker({
      pool: database.pool,
      registry,
      directory: () => directory,
      accounts: (id) => accountContexts(database.pool, keyring, { orgId: directory.orgId, id }),
      log,
      rt: channels,
    });
    const ctx: AppContext = {
      config,
      log,
      database,
      pool: database.pool,
      triager: () => triager,
      reloadTriager: async () => {
        const generation = ++triagerLoadsStarted;
        const next = await organizationTriager(database.pool, directory.orgId);
        if (generation < triagerApplied) return;
        triagerApplied = generation;
        triager = next;
      },
      directory: () => directory,
      routing: () => routing,
      sla: () => sla,
      reloadDirectory: async () => {
        // Reloads overlap (an API change reloads at once, its NOTIFY reloads again): a reload that started
        // earlier read older rows, so it must never overwrite the result of one that started later.
        const generation = ++reloadsStarted;
        const next = await loadDirectory(database.pool, directory.orgId);
        const nextSla = await loadSlaContext(database.pool, next.orgId);
        const nextRouting = new RoutingEngine(next, await currentPolicy(database.pool, next.orgId));
        if (generation < reloadApplied) return;
        reloadApplied = generation;
        sla = nextSla;
        routing = nextRouting;
        directory = next;
      },
      ingestDeps,
      ingestQueue: createIngestQueue(ingestDeps),
      realtime,
      connectors: registry,
      keyring,
      channels,
      kickOutbox: () => outbox.kick(),
      accepting: true,
    };
    let onAccountsChanged = () => {};
    await realtime.on(CONFIG_CHANNEL, (what) => {
      const reload = what === 'triage' ? ctx.reloadTriager() : ctx.reloadDirectory();
      // A new account starts only once the directory knows it, so its first messages find its community.
      reload
        .then(() => {
          if (what === 'accounts') onAccountsChanged();
        })
        .catch((err: unknown) => log.warn({ err, what }, 'reload failed'));
    });
    const workers = config.role === 'api' ? undefined : await startWorkers(ctx, outbox);
    if (workers) {
      onAccountsChanged = () =>
        void workers.channels.refresh().catch((err: unknown) => log.warn({ err }, 'channel refresh failed'));
    }

    const { app } = await buildHttpApp(ctx, { opsOnly: config.role === 'worker' });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      // The port is taken (another Passeur?): stop what already runs, so the process ends with the error.
      await app.close().catch(() => {});
      await workers?.stop();
      await realtime.stop();
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    log.info({ url, db: database.kind, role: config.role, ms: Date.now() - started }, 'Passeur is ready');

    const demo =
      config.demoStream && config.role !== 'api'
        ? new DemoStream((batch) => ingest(ingestDeps, batch), config.demoRatePerMinute, log)
        : undefined;
    // With the demo stream, the organization also has a past (resolved cases with their answers): reports have a
    // history and training sessions something to replay at once.
    if (demo) {
      await seedDemoHistory({
        pool: database.pool,
        directory: ctx.directory(),
        ingest: (batch) => ingest(ingestDeps, batch),
      }).catch((err: unknown) => log.warn({ err }, 'demo history not seeded'));
    }
    demo?.start();
    // With the demo stream, the demo organization gets its first quality reviews (once).
    if (demo) {
      seedDemoReviews({ pool: database.pool, directory: ctx.directory(), ingestDeps }).catch((err: unknown) =>
        log.warn({ err }, 'demo quality reviews not seeded'),
      );
    }
    // With the demo stream, every community gets a first handover brief once some cases have come in, and the
    // backlog its first ideas and incidents once the stream has brought complaints and suggestions to link (it
    // tries again until it has some).
    let demoTimer: NodeJS.Timeout | undefined;
    const demoLater = (attempt: number) => {
      demoTimer = setTimeout(async () => {
        if (attempt === 0) {
          await ensureFirstBriefs({ pool: database.pool, directory: ctx.directory() }).catch((err: unknown) =>
            log.warn({ err }, 'demo handover briefs not generated'),
          );
        }
        const made = await ensureDemoFeedback(database.pool).catch((err: unknown) => {
          log.warn({ err }, 'demo ideas and incidents not created');
          return undefined;
        });
        if (made && made.ideas + made.incidents === 0 && attempt < 20) demoLater(attempt + 1);
      }, DEMO_BRIEF_DELAY_MS);
    };
    if (demo) demoLater(0);

    if (opts.banner) {
      const lines = [
        `Passeur is serving ${url} (${database.kind === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'external PostgreSQL'})`,
        seeded.created ? 'The demo organization AirSocial was created.' : 'Demo organization: AirSocial.',
        `Demo logins (password for all: ${DEMO_PASSWORD}):`,
        ...AIRSOCIAL.people.map((p) => `  ${p.role.padEnd(9)} ${p.email.padEnd(28)} ${p.name}`),
        demo
          ? `A demo stream feeds about ${config.demoRatePerMinute} messages a minute (--no-demo-stream to turn it off).`
          : 'Demo stream: off.',
      ];
      opts.banner(lines);
    }

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        ctx.accepting = false;
        clearTimeout(demoTimer);
        demo?.stop();
        realtime.endStreams();
        // Keep-alive connections that finish their last request while we drain would hold the close for the
        // keep-alive timeout: close each as soon as it goes idle.
        const idle = setInterval(() => app.server.closeIdleConnections(), 50);
        await app.close().finally(() => clearInterval(idle));
        await ctx.ingestQueue.drain();
        await demo?.drain();
        await workers?.stop();
        await realtime.stop();
        await database.close();
        log.info('Passeur stopped');
      })();
      return closing;
    };
    return { url, ctx, close };
  } catch (err) {
    await database.close();
    throw err;
  }
}

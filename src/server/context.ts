import type pg from 'pg';
import type { Logger } from 'pino';
import type { ChannelRuntime } from '../channels/connector.ts';
import type { ConnectorRegistry } from '../channels/registry.ts';
import type { IngestQueue } from '../domain/ingest/queue.ts';
import type { IngestDeps } from '../domain/ingest/service.ts';
import type { Directory } from '../domain/organization/directory.ts';
import type { RoutingEngine } from '../domain/routing/router.ts';
import type { SlaContext } from '../domain/sla/deadlines.ts';
import type { Triager } from '../triage/types.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { RealtimeHub } from './realtime/hub.ts';
import type { Keyring } from './secrets/keyring.ts';

/** The services a request or a job may use, wired once by the composition root (main.ts). */
export interface AppContext {
  config: Config;
  log: Logger;
  database: Database;
  pool: pg.Pool;
  /** The triage pipeline in force (the organization's trained model once there is one). */
  triager(): Triager;
  /** Loads the newest trained model of the organization (after a retraining, in every process). */
  reloadTriager(): Promise<void>;
  directory(): Directory;
  /** The routing policy in force, compiled. */
  routing(): RoutingEngine;
  /** SLA policies and calendars of the organization, reloaded with the directory. */
  sla(): SlaContext;
  /** Reloads the organization's directory and policies (after an admin change, in every process). */
  reloadDirectory(): Promise<void>;
  ingestDeps: IngestDeps;
  ingestQueue: IngestQueue;
  realtime: RealtimeHub;
  /** The networks Passeur can publish to. */
  connectors: ConnectorRegistry;
  /** Encrypts and decrypts channel credentials. */
  keyring: Keyring;
  /** What connectors use to ingest and fetch (their webhooks, pollers and streams). */
  channels: ChannelRuntime;
  /** Wakes the outbox worker after a reply is queued. */
  kickOutbox(): void;
  /** False once shutdown started: new work is refused with 503. */
  accepting: boolean;
}

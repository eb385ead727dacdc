import pg from 'pg';
import type { Logger } from 'pino';
import { EVENTS_CHANNEL, type RealtimeEvent } from './events.ts';

export type Subscriber = (events: RealtimeEvent[]) => void;

/**
 * One LISTEN connection per process fans PostgreSQL notifications out to this process's SSE clients, so an
 * event written by any Passeur process reaches every browser. Reconnects after a lost connection.
 */
export class RealtimeHub {
  private client: pg.Client | undefined;
  private readonly subscribers = new Set<Subscriber>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private stopped = false;
  private readonly streams = new Set<{ end(): void }>();
  private readonly url: string;
  private readonly log: Logger;
  connected = false;

  constructor(url: string, log: Logger) {
    this.url = url;
    this.log = log;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (!n.payload) return;
      if (n.channel === EVENTS_CHANNEL) {
        let events: RealtimeEvent[];
        try {
          events = JSON.parse(n.payload) as RealtimeEvent[];
        } catch {
          return;
        }
        for (const s of this.subscribers) s(events);
      } else {
        for (const l of this.listeners.get(n.channel) ?? []) l(n.payload);
      }
    });
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'realtime connection lost; reconnecting');
      this.connected = false;
      void client.end().catch(() => {});
      if (!this.stopped) setTimeout(() => void this.start().catch(() => this.retry()), 500);
    });
    await client.connect();
    await client.query(`listen ${EVENTS_CHANNEL}`);
    for (const channel of this.listeners.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    this.client = client;
    this.connected = true;
  }

  private retry(): void {
    if (!this.stopped) setTimeout(() => void this.start().catch(() => this.retry()), 1000);
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  /** Listens on another channel (e.g. outbox wake-ups, configuration changes). */
  async on(channel: string, listener: (payload: string) => void): Promise<void> {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    if (!this.listeners.has(channel)) {
      this.listeners.set(channel, set);
      await this.client?.query(`listen ${pg.escapeIdentifier(channel)}`);
    }
  }

  /** Keeps track of an open SSE response so shutdown can end it. */
  track(stream: { end(): void }): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  endStreams(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => {});
  }
}

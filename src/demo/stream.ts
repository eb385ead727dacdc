import type { Logger } from 'pino';
import type { InboundMessage, IngestResult } from '../domain/ingest/model.ts';
import { createDemoStream } from './corpus.ts';

const TICK_MS = 1000;

/**
 * Feeds the demo organization with realistic customer messages through the normal ingest path, at a
 * steady rate with some jitter, until stopped. Each start uses a new seed so ids never collide with
 * those of an earlier run.
 */
export class DemoStream {
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<unknown> = Promise.resolve();
  private owed = 0;
  private readonly stream: ReturnType<typeof createDemoStream>;
  private readonly ingest: (batch: InboundMessage[]) => Promise<IngestResult[]>;
  private readonly perMinute: number;
  private readonly log: Logger;

  constructor(ingest: (batch: InboundMessage[]) => Promise<IngestResult[]>, perMinute: number, log: Logger) {
    this.ingest = ingest;
    this.perMinute = perMinute;
    this.log = log;
    this.stream = createDemoStream({ seed: Math.floor(Date.now() / 1000) % 2_147_483_647 });
  }

  start(): void {
    // A first handful at once, so the inbox is not empty when someone signs in.
    this.owed = Math.min(8, this.perMinute);
    this.tick();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** The next `n` messages, stamped now (exported for `passeur demo` and tests). */
  take(n: number): InboundMessage[] {
    const now = new Date();
    return Array.from({ length: n }, () => ({ ...this.stream.next(now), created_at: now.toISOString() }));
  }

  private tick(): void {
    this.owed += (this.perMinute / 60) * (0.4 + Math.random() * 1.2);
    const n = Math.floor(this.owed);
    if (n === 0) return;
    this.owed -= n;
    const batch = this.take(n);
    this.inflight = this.inflight
      .then(() => this.ingest(batch))
      .catch((err: unknown) => this.log.warn({ err }, 'demo stream: messages not stored'));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  drain(): Promise<unknown> {
    return this.inflight;
  }
}

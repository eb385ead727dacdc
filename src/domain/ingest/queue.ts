import type { InboundMessage, IngestResult } from './model.ts';

/**
 * Group commit for requests that arrive one message at a time (the HTTP API, webhooks): while a batch is
 * being stored, newly arriving messages wait and go together in the next batch. Under light load a
 * message is stored alone and at once; under heavy load batches grow and throughput follows.
 */
export class IngestQueue {
  private pending: { m: InboundMessage; resolve: (r: IngestResult) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private readonly store: (batch: InboundMessage[]) => Promise<IngestResult[]>;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private idleWaiters: (() => void)[] = [];

  constructor(
    store: (batch: InboundMessage[]) => Promise<IngestResult[]>,
    opts: { maxBatch?: number; concurrency?: number } = {},
  ) {
    this.store = store;
    // Measured with 20,000 demo messages: batches of 2,000 cost the database ~25 % less CPU per message than
    // batches of 500 (fewer statements and commits for the same rows); under light load batches stay small.
    this.maxBatch = opts.maxBatch ?? 2000;
    this.concurrency = opts.concurrency ?? 1;
  }

  submit(m: InboundMessage): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ m, resolve, reject });
      this.pump();
    });
  }

  /** Resolves once every submitted message has been stored or refused (graceful shutdown). */
  drain(): Promise<void> {
    if (this.running === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get depth(): number {
    return this.pending.length;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.running++;
      this.run(batch).finally(() => {
        this.running--;
        if (this.pending.length > 0) this.pump();
        else if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async run(batch: typeof this.pending): Promise<void> {
    try {
      const results = await this.store(batch.map((b) => b.m));
      for (const [i, b] of batch.entries()) b.resolve(results[i]!);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One bad message must not fail its neighbours: store them one by one to isolate it.
      for (const b of batch) {
        try {
          const [r] = await this.store([b.m]);
          b.resolve(r!);
        } catch (e) {
          b.reject(e);
        }
      }
    }
  }
}

import type pg from 'pg';
import type { Logger } from 'pino';
import { enqueueDuePosts } from './service.ts';

/**
 * Hands due scheduled posts to the outbox (which publishes them through their network). Each pass claims what
 * is due at the clock's time; a post is enqueued once whatever the number of processes or restarts.
 */
export class PublishingWorker {
  private readonly opts: { pool: pg.Pool; log: Logger; intervalMs: number; now?: () => Date };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(opts: { pool: pg.Pool; log: Logger; intervalMs: number; now?: () => Date }) {
    this.opts = opts;
  }

  /** One pass: every post due now goes to the outbox; returns their ids. */
  async pass(): Promise<number[]> {
    const ids: number[] = [];
    for (;;) {
      const batch = await enqueueDuePosts(this.opts.pool, this.opts.now?.() ?? new Date());
      ids.push(...batch);
      if (batch.length === 0) return ids;
    }
  }

  start(): void {
    if (this.opts.intervalMs <= 0) return;
    const tick = () => {
      this.running = this.running
        .then(() => this.pass())
        .then((ids) => {
          if (ids.length > 0) this.opts.log.info({ posts: ids }, 'scheduled posts handed to the outbox');
        })
        .catch((err: unknown) => this.opts.log.warn({ err }, 'publishing pass failed'));
    };
    this.timer = setInterval(tick, this.opts.intervalMs);
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

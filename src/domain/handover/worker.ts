import type pg from 'pg';
import type { Logger } from 'pino';
import type { Directory } from '../organization/directory.ts';
import { runHandovers } from './service.ts';

/** The handover timer: a pass every `intervalMs` (a minute by default) generates and publishes the due briefs. */
export class HandoverWorker {
  private readonly opts: { pool: pg.Pool; directory: () => Directory; log: Logger; intervalMs: number };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(opts: { pool: pg.Pool; directory: () => Directory; log: Logger; intervalMs: number }) {
    this.opts = opts;
  }

  start(): void {
    if (this.opts.intervalMs <= 0) return;
    const pass = () => {
      this.running = this.running
        .then(() => runHandovers({ pool: this.opts.pool, directory: this.opts.directory() }))
        .then((r) => {
          if (r.generated + r.published > 0) this.opts.log.info(r, 'handover briefs');
        })
        .catch((err: unknown) => this.opts.log.warn({ err }, 'handover pass failed'));
    };
    this.timer = setInterval(pass, this.opts.intervalMs);
    pass();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

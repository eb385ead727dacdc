import type pg from 'pg';
import type { Logger } from 'pino';
import type { Directory } from '../organization/directory.ts';
import { sweepOffDuty } from './backups.ts';
import { runOutOfHours } from './out-of-hours.ts';

/**
 * The coverage timer of a worker process: moves off-duty people's cases (their community's policy), then
 * acknowledges and pages out of hours. Every process may run it: advisory locks keep each pass single.
 */
export class CoverageWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly deps: {
    pool: pg.Pool;
    directory: () => Directory;
    publicUrl: string;
    log: Logger;
    intervalMs: number;
    /** The time duty is computed at; the clock, except in tests. */
    now?: () => Date;
  };

  constructor(deps: CoverageWorker['deps']) {
    this.deps = deps;
  }

  /** One pass: off-duty moves, then out-of-hours acknowledgements and pages. */
  async runOnce(): Promise<void> {
    const { pool, directory, publicUrl } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const orgId = directory().orgId;
    await sweepOffDuty(pool, orgId, now);
    await runOutOfHours({ pool, directory, publicUrl }, now);
  }

  start(): void {
    if (this.deps.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((err: unknown) => this.deps.log.warn({ err }, 'coverage pass failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.deps.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

import type { Logger } from 'pino';
import { registerFeedbackKpis } from '../feedback/kpis.ts';
import { qualityKpi } from '../quality/scores.ts';
import { registerKpiExtension } from './extensions.ts';
import { refreshAllRollups } from './rollup.ts';
import { type DeliveryDeps, runDueReports } from './schedules.ts';

/**
 * The reports timer: a pass every `intervalMs` (a minute) rebuilds the report rollups of the hours changed
 * since, then sends the scheduled reports that are due.
 */
export class ReportScheduleWorker {
  private readonly opts: { deps: () => DeliveryDeps; log: Logger; intervalMs: number };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(opts: { deps: () => DeliveryDeps; log: Logger; intervalMs?: number }) {
    this.opts = { ...opts, intervalMs: opts.intervalMs ?? 60_000 };
  }

  start(): void {
    if (this.opts.intervalMs <= 0) return;
    // A worker-only process registers no routes: the KPI extensions the PDF shows are registered here too
    // (registering again under the same name is harmless).
    registerFeedbackKpis();
    registerKpiExtension({ name: 'quality', compute: qualityKpi });
    const pass = () => {
      this.running = this.running
        // Rollups first: the reports sent next read them, and readers find little left to rebuild.
        .then(() => refreshAllRollups(this.opts.deps().pool))
        .then((hours) => {
          if (hours > 0) this.opts.log.debug({ hours }, 'report rollups rebuilt');
        })
        .catch((err: unknown) => this.opts.log.warn({ err }, 'report rollups pass failed'))
        .then(() => runDueReports(this.opts.deps()))
        .then((r) => {
          if (r.sent + r.failed > 0) this.opts.log.info(r, 'scheduled reports');
        })
        .catch((err: unknown) => this.opts.log.warn({ err }, 'scheduled reports pass failed'));
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

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import type { Logger } from 'pino';
import { transaction } from '../../server/db/database.ts';
import type { LearnExample, LearnResult } from '../../triage/learn.ts';
import { audit } from '../audit/log.ts';
import { CONFIG_CHANNEL } from '../organization/config-events.ts';
import { correctedExamples } from './examples.ts';
import { readModelFiles } from './model-store.ts';

const RETRAIN_LOCK = 7_311_030;
/** Fewer corrections than this teach the model nothing reliable. */
export const MIN_EXAMPLES = 10;

function train(examples: LearnExample[], modelDir: string): Promise<LearnResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./retrain-worker.ts', import.meta.url), { workerData: { examples, modelDir } });
    worker.once('message', (m: { ok: boolean; result?: LearnResult; error?: string }) => {
      if (m.ok) resolve(m.result!);
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export type RetrainOutcome =
  | { trained: true; model_id: string; examples: number; result: LearnResult }
  | { trained: false; reason: 'busy' | 'too_few' | 'up_to_date'; examples: number };

/**
 * Retrains the organization's model from all its corrections, stores it as the active model and tells every
 * process to load it. One retraining at a time per organization, across processes.
 */
export async function retrain(
  pool: pg.Pool,
  orgId: number,
  opts: { personId?: number | null; force?: boolean; log?: Logger } = {},
): Promise<RetrainOutcome> {
  const lock = await pool.connect();
  try {
    const got = await lock.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [RETRAIN_LOCK, orgId]);
    if (!got.rows[0]?.ok) return { trained: false, reason: 'busy', examples: 0 };
    try {
      const { examples, lastId } = await correctedExamples(pool, orgId);
      if (examples.length < MIN_EXAMPLES) return { trained: false, reason: 'too_few', examples: examples.length };
      const prev = await pool.query<{ last: number }>(
        'select coalesce(max(last_correction_id), 0)::bigint as last from triage_models where org_id = $1',
        [orgId],
      );
      if (!opts.force && prev.rows[0]!.last >= lastId)
        return { trained: false, reason: 'up_to_date', examples: examples.length };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-learn-'));
      try {
        const started = Date.now();
        const result = await train(examples, dir);
        opts.log?.info(
          { examples: examples.length, ms: Date.now() - started, model: result.modelId },
          'triage model retrained',
        );
        const files = readModelFiles(dir);
        await transaction(pool, async (tx) => {
          await tx.query('update triage_models set active = false where org_id = $1 and active', [orgId]);
          const r = await tx.query<{ id: number }>(
            `insert into triage_models (org_id, model_id, examples, last_correction_id, result, files)
             values ($1, $2, $3, $4, $5, $6) returning id`,
            [orgId, result.modelId, examples.length, lastId, JSON.stringify(result), JSON.stringify(files)],
          );
          await audit(tx, {
            orgId,
            action: 'triage.model_trained',
            actorPersonId: opts.personId ?? null,
            subjectType: 'triage_model',
            subjectId: r.rows[0]!.id,
            data: { examples: examples.length, model_id: result.modelId },
          });
          await tx.query('select pg_notify($1, $2)', [CONFIG_CHANNEL, 'triage']);
        });
        return { trained: true, model_id: result.modelId, examples: examples.length, result };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await lock.query('select pg_advisory_unlock($1, $2)', [RETRAIN_LOCK, orgId]);
    }
  } finally {
    lock.release();
  }
}

/** Retrains on a schedule once enough new corrections have come in. */
export class RetrainScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly deps: { pool: pg.Pool; orgId: () => number; log: Logger; everyMs: number; minNew: number };

  constructor(deps: { pool: pg.Pool; orgId: () => number; log: Logger; everyMs?: number; minNew?: number }) {
    this.deps = { everyMs: 10 * 60_000, minNew: 20, ...deps };
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.everyMs);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      const { pool, orgId, log, minNew } = this.deps;
      const r = await pool.query<{ pending: number }>(
        `select count(*)::int as pending from triage_corrections
         where org_id = $1 and id > (select coalesce(max(last_correction_id), 0) from triage_models where org_id = $1)`,
        [orgId()],
      );
      if ((r.rows[0]?.pending ?? 0) >= minNew) await retrain(pool, orgId(), { log });
    })()
      .catch((err: unknown) => this.deps.log.warn({ err }, 'triage retraining failed'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

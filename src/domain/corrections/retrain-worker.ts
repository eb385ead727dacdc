/** Trains an organization model off the main thread (training takes seconds of CPU). */
import { parentPort, workerData } from 'node:worker_threads';
import { type LearnExample, learn } from '../../triage/learn.ts';

const { examples, modelDir } = workerData as { examples: LearnExample[]; modelDir: string };
learn(examples, { modelDir }).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);

import { createLabeledCrisisSurge, createLabeledDemoStream, DEMO_COMMUNITIES } from '../../demo/corpus.ts';
import type { InboundMessage } from '../ingest/model.ts';

/**
 * A volcano-style surge for the demo organization, played through the normal ingest path (`passeur demo crisis`,
 * and the leaders' button in the crisis page): first the community's usual traffic of the last hour and a half
 * (dated in the past, so the detector has a baseline), then a few minutes of messages about an ash cloud.
 */
export interface CrisisDemoOptions {
  /** Community slug of the demo organization, e.g. `airsocial-it`. */
  community: string;
  now?: Date;
  backfillMinutes?: number;
  /** Usual messages per minute of the backfill. */
  baseRate?: number;
  surgeMinutes?: number;
  surgeRate?: number;
  seed?: number;
}

export interface CrisisDemoTraffic {
  backfill: InboundMessage[];
  /** Offsets (ms from the start of the surge) and messages; dated when sent. */
  surge: { offsetMs: number; message: InboundMessage }[];
}

export function crisisDemoTraffic(opts: CrisisDemoOptions): CrisisDemoTraffic {
  const target = DEMO_COMMUNITIES.find((c) => c.key === opts.community);
  if (!target) {
    throw new RangeError(
      `unknown demo community "${opts.community}" (one of ${DEMO_COMMUNITIES.map((c) => c.key).join(', ')})`,
    );
  }
  const now = (opts.now ?? new Date()).getTime();
  const seed = opts.seed ?? Math.floor(now / 1000) % 2_147_483_647;
  const backfillMinutes = opts.backfillMinutes ?? 90;
  const baseRate = opts.baseRate ?? 3;
  const stream = createLabeledDemoStream({ seed });
  const backfill: InboundMessage[] = [];
  const total = Math.round(backfillMinutes * baseRate);
  const start = now - backfillMinutes * 60_000;
  for (let i = 0, guard = 0; backfill.length < total && guard < total * 200; guard++) {
    const at = new Date(start + Math.floor(((i + 0.5) / total) * backfillMinutes * 60_000));
    const { message, label } = stream.next(at);
    if (label.community !== target.key) continue;
    i++;
    const { in_reply_to: _parent, ...rest } = message;
    backfill.push({ ...rest, external_id: `${message.external_id}-b`, account: target.handle });
  }
  const surgeMinutes = opts.surgeMinutes ?? 5;
  const surge = createLabeledCrisisSurge({
    seed,
    start: new Date(now),
    minutes: surgeMinutes,
    perMinute: opts.surgeRate ?? 30,
    languages: [target.lang],
  }).map(({ message }) => {
    const { in_reply_to: _parent, ...rest } = message;
    return {
      offsetMs: Date.parse(message.created_at) - now,
      message: { ...rest, account: target.handle } as InboundMessage,
    };
  });
  return { backfill, surge };
}

/**
 * Sends the traffic: the backfill at once (in batches), then each surge message at its time (divided by `speed`),
 * dated when it is sent. Stops early when `signal` aborts.
 */
export async function playCrisisDemo(
  ingest: (batch: InboundMessage[]) => Promise<unknown>,
  traffic: CrisisDemoTraffic,
  opts: { speed?: number; signal?: AbortSignal; pauseMs?: number } = {},
): Promise<{ backfill: number; surge: number }> {
  for (let i = 0; i < traffic.backfill.length; i += 100) await ingest(traffic.backfill.slice(i, i + 100));
  // Leave the detector a pass to learn the baseline before the surge starts.
  await sleep(opts.pauseMs ?? 4_000, opts.signal);
  const speed = opts.speed ?? 1;
  const t0 = Date.now();
  let sent = 0;
  for (const s of traffic.surge) {
    if (opts.signal?.aborted) break;
    const wait = t0 + s.offsetMs / speed - Date.now();
    if (wait > 0) await sleep(wait, opts.signal);
    if (opts.signal?.aborted) break;
    await ingest([{ ...s.message, created_at: new Date().toISOString() }]);
    sent++;
  }
  return { backfill: traffic.backfill.length, surge: sent };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

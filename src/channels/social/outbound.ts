import { FetchRefused, safeFetch } from '../../server/http/safe-fetch.ts';
import { type ChannelRuntime, SendError } from '../connector.ts';

type FetchInit = RequestInit & { maxBytes?: number; timeoutMs?: number };

let bound: ChannelRuntime | undefined;

/**
 * Remembers the platform's runtime, handed to every webhook, poll and stream entry point. `send` is called by
 * the outbox without one, so it reaches the networks through the runtime remembered here, and with it the
 * runtime's rules (timeouts, size caps, private addresses refused unless the deployment allows them).
 */
export function bindRuntime(rt: ChannelRuntime): void {
  bound = rt;
}

/**
 * Every request of these connectors to a network goes through here. Before any entry point ran in this process
 * (a process that only sends), the same safe fetch applies with private addresses refused.
 */
export function networkFetch(url: string, init: FetchInit = {}, rt?: ChannelRuntime): Promise<Response> {
  const runtime = rt ?? bound;
  const withDefaults: FetchInit = { timeoutMs: 15_000, maxBytes: 2 * 1024 * 1024, ...init };
  if (runtime) return runtime.fetch(url, withDefaults);
  return safeFetch(url, {
    method: init.method ?? 'GET',
    headers: Object.fromEntries(new Headers(init.headers).entries()),
    ...(typeof init.body === 'string' ? { body: init.body } : {}),
    timeoutMs: withDefaults.timeoutMs!,
    maxBytes: withDefaults.maxBytes!,
    allowPrivate: false,
  });
}

/**
 * A request that never got an answer: a refused address (private, or not http) will not get better and is
 * permanent; anything else (DNS, timeout, reset) is passing.
 */
export function unreachable(network: string, err: unknown): SendError {
  const message = `${network} unreachable: ${err instanceof Error ? err.message : String(err)}`;
  return new SendError(err instanceof FetchRefused ? 'permanent' : 'transient', message);
}

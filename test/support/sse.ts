/** Reads a Server-Sent Events stream in a test: the parsed `data:` events as they arrive. */
export interface SseStream {
  events: Record<string, unknown>[];
  close(): void;
  /** Resolves once an event matching `pred` arrived (or rejects after `ms`). */
  until(pred: (e: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

export async function openSse(url: string, cookie: string): Promise<SseStream> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { cookie }, signal: ac.signal });
  if (res.status !== 200 || !res.body) throw new Error(`SSE ${url}: ${res.status}`);
  const events: Record<string, unknown>[] = [];
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const chunk = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          for (const line of chunk.split('\n')) {
            if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
          }
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    events,
    close: () => ac.abort(),
    until: async (pred, ms = 5000) => {
      const end = Date.now() + ms;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`no matching event within ${ms} ms: ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

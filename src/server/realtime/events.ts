import type { Queryable } from '../db/database.ts';

/** What the inbox learns about in real time. Small on purpose: clients fetch the details they may see. */
export interface RealtimeEvent {
  type:
    | 'case.created'
    | 'case.updated'
    | 'message.created'
    | 'message.updated'
    | 'sla.warning'
    | 'sla.breach'
    | 'notification.created';
  org_id: number;
  case_id: number;
  community_id: number;
  message_id?: number;
  /** Which SLA clock an `sla.*` event is about. */
  clock?: string;
  /**
   * People the event concerns directly (assignee, mentioned). For `notification.created` the recipients, and
   * the only people who receive the event.
   */
  people?: number[];
}

export const EVENTS_CHANNEL = 'passeur_events';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7000;

/**
 * Publishes events through PostgreSQL NOTIFY, so every Passeur process (and its SSE clients) receives them.
 * Called inside the writing transaction, the events are delivered only if it commits.
 */
export async function publish(db: Queryable, events: readonly RealtimeEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(`select pg_notify($1, p) from unnest($2::text[]) as p`, [
    EVENTS_CHANNEL,
    notificationPayloads(events),
  ]);
}

/** The NOTIFY payloads (JSON arrays of events, each under the size limit) that `publish` sends on `EVENTS_CHANNEL`. */
export function notificationPayloads(events: readonly RealtimeEvent[]): string[] {
  const payloads: string[] = [];
  let chunk: string[] = [];
  let size = 2;
  for (const e of events) {
    const s = JSON.stringify(e);
    if (size + s.length + 1 > MAX_PAYLOAD && chunk.length > 0) {
      payloads.push(`[${chunk.join(',')}]`);
      chunk = [];
      size = 2;
    }
    chunk.push(s);
    size += s.length + 1;
  }
  if (chunk.length > 0) payloads.push(`[${chunk.join(',')}]`);
  return payloads;
}

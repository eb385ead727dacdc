import type pg from 'pg';
import type { ConnectorRegistry } from '../../channels/registry.ts';
import { HttpError } from '../../server/http/errors.ts';
import { canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { readableCase } from '../cases/service.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';
import { visibleCanned } from './canned.ts';
import { splitThread, textLength } from './thread.ts';
import { fillVariables, firstName } from './variables.ts';

export interface RenderedReply {
  text: string;
  canned_reply_id: number | null;
  variables: { used: string[]; unknown: string[]; empty: string[] };
  network: string;
  length: number;
  /** The network's limit per post; null when no connector for it is configured. */
  max_length: number | null;
  fits: boolean;
  /** Whether the network lets a long reply go out as a thread. */
  thread_allowed: boolean;
  /** The posts it would make: one when it fits, the thread when allowed, none when it cannot go out as is. */
  parts: string[];
}

/** The composer's preview: variables filled for this case and person, length against the network's limit. */
export async function renderReply(
  deps: { pool: pg.Pool; directory: Directory; connectors: ConnectorRegistry },
  person: PersonPrincipal,
  caseId: number,
  input: { text?: string | undefined; canned_reply_id?: number | undefined },
): Promise<RenderedReply> {
  const c = await readableCase(deps.pool, person, caseId);
  if (!canWorkCase(person, c.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot reply');
  let template = input.text;
  if (input.canned_reply_id !== undefined) {
    const canned = await visibleCanned(deps.pool, person, input.canned_reply_id);
    if (canned.community_id !== null && canned.community_id !== c.community_id) {
      throw invalidField('canned_reply_id', 'this canned reply belongs to another community');
    }
    template = canned.body;
  }
  const account = c.account_id === null ? undefined : deps.directory.accounts.get(c.account_id);
  const network = account?.network ?? c.channel;
  const handle = await deps.pool.query<{ handle: string }>(
    'select handle from contact_identities where contact_id = $1 and channel = $2 order by id limit 1',
    [c.contact_id, network],
  );
  const filled = fillVariables(template ?? '', {
    'contact.name': c.contact_name,
    'contact.handle': handle.rows[0]?.handle ?? c.contact_handle,
    'case.id': String(c.id),
    'agent.name': person.name,
    'agent.first_name': firstName(person.name),
    'community.name': deps.directory.communities.get(c.community_id)?.name ?? null,
  });
  const manifest = deps.connectors.get(network)?.manifest;
  const max = manifest?.maxLength ?? null;
  const length = textLength(filled.text);
  const fits = max === null || length <= max;
  const threadAllowed = manifest?.threads === true;
  return {
    text: filled.text,
    canned_reply_id: input.canned_reply_id ?? null,
    variables: { used: filled.used, unknown: filled.unknown, empty: filled.empty },
    network,
    length,
    max_length: max,
    fits,
    thread_allowed: threadAllowed,
    parts: fits ? [filled.text] : threadAllowed && max !== null ? splitThread(filled.text, max) : [],
  };
}

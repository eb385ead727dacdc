import type { Queryable } from '../../server/db/database.ts';
import { CASE_READER_ROLES } from '../access/policy.ts';

/**
 * @mentions in internal notes: `@Léa`, `@lea` or `@lea.martin` name a person by first name or by the local
 * part of their email, case- and accent-insensitively. An "@" inside a word (an email address) is no mention.
 */
const MENTION = /(?<![\p{L}\p{N}_.@+-])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;

/** Lower case without accents: "Léa" → "lea". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The folded names mentioned in a text, without trailing punctuation ("@Léa." → "lea"). */
export function mentionTokens(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    const token = fold(m[1]!.replace(/[._-]+$/, ''));
    if (token) out.add(token);
  }
  return [...out];
}

export interface Mentionable {
  id: number;
  name: string;
  email: string;
}

/** The people a text mentions, among the given ones (every person bearing a mentioned first name). */
export function matchMentions(text: string, people: readonly Mentionable[]): number[] {
  const tokens = new Set(mentionTokens(text));
  if (tokens.size === 0) return [];
  return people
    .filter((p) => {
      const first = fold(p.name.trim().split(/\s+/)[0] ?? '');
      const local = fold(p.email.split('@')[0] ?? '');
      return (first !== '' && tokens.has(first)) || (local !== '' && tokens.has(local));
    })
    .map((p) => p.id);
}

/** The active people who can read cases of a community: those a note there may mention. */
export async function caseReaders(db: Queryable, orgId: number, communityId: number): Promise<Mentionable[]> {
  const r = await db.query<Mentionable>(
    `select p.id, p.name, p.email from people p
     where p.org_id = $1 and p.active and p.role = any($3::text[])
       and (p.role = 'leader' or exists (
         select 1 from person_communities pc where pc.person_id = p.id and pc.community_id = $2))
     order by p.id`,
    [orgId, communityId, CASE_READER_ROLES],
  );
  return r.rows;
}

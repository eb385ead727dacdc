import type { Queryable } from '../../server/db/database.ts';
import { foldForSearch, type Highlight, highlight, searchTerms } from './highlight.ts';

/**
 * Inbox search. A case matches when its customer messages match every word of the query as a word prefix
 * (`cases.search`, GIN index, `passeur_search_query`), or when its customer's name or a handle contains
 * the query. Relevance: the case's `ts_rank`, plus 1 for a customer match.
 */

/** Relevance is computed over this many of the most recently active matching cases. */
export const SEARCH_WINDOW = 500;
/** Customers matched by name or handle are looked up in a bounded set. */
const CONTACT_MATCHES = 200;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * SQL of a subquery yielding `(case_id, rank)` for the cases matching `q` among those `where` admits (an SQL
 * condition over `c`, the cases, whose parameters are already placed). `param` places a value.
 */
export function searchHits(orgId: number, q: string, where: string, param: (v: unknown) => string): string {
  const branches: string[] = [];
  if (searchTerms(q).length > 0) {
    const text = param(q);
    // The most recent matches only: a word found in a hundred thousand messages must not read them all.
    // Cases matching every word, newest first, ranked among the most recent SEARCH_WINDOW of them: a word
    // found in a hundred thousand cases must not rank them all.
    branches.push(`select w.id as case_id, ts_rank(w.search, passeur_search_query(${text})) as rank
      from (select c.id, c.search from cases c
            where c.search @@ passeur_search_query(${text}) and ${where}
            order by c.updated_at desc limit ${SEARCH_WINDOW}) w`);
  }
  const needle = q.trim();
  if (needle.length >= 2) {
    const org = param(orgId);
    // Folded like the trigram indexes (lower-case, unaccented), so they serve the match.
    const like = param(`%${escapeLike(needle)}%`);
    // Computed once (an InitPlan), then the cases of those customers come from their index.
    branches.push(`select c.id as case_id, 1::real as rank from cases c
      where c.contact_id = any(array(
        select ct.id from contacts ct
        where ct.org_id = ${org} and passeur_fold(ct.display_name) like passeur_fold(${like})
        union
        select ci.contact_id from contact_identities ci
        where ci.org_id = ${org} and passeur_fold(ci.handle) like passeur_fold(${like})
        limit ${CONTACT_MATCHES}))
      and ${where}`);
  }
  // Nothing to search for (e.g. a lone "%"): no hits, but the filter's parameters must still appear in the
  // query, or PostgreSQL cannot type them.
  if (branches.length === 0) return `select c.id as case_id, 0::real as rank from cases c where false and ${where}`;
  return `select h.case_id, sum(h.rank)::real as rank from (${branches.join(' union all ')}) h group by h.case_id`;
}

export interface CaseHighlight extends Highlight {
  /** Where the match is: a message of the case, or the customer's name or handle. */
  field: 'message' | 'contact';
  message_id: number | null;
}

/**
 * For each listed case, a snippet of its best-matching message (else of the matching customer name or
 * handle) with the offsets of the matched words.
 */
export async function searchHighlights(
  db: Queryable,
  q: string,
  cases: { id: number; contact_name: string; contact_handle: string | null }[],
): Promise<Map<number, CaseHighlight | null>> {
  const terms = searchTerms(q);
  const out = new Map<number, CaseHighlight | null>();
  if (cases.length === 0) return out;
  const best = new Map<number, { id: number; text: string }>();
  if (terms.length > 0) {
    const r = await db.query<{ case_id: number; id: number; text: string }>(
      `select distinct on (m.case_id) m.case_id, m.id, m.text
       from messages m
       where m.case_id = any($1::bigint[]) and m.direction = 'in'
         and passeur_search_vector(m.text) @@ passeur_search_query($2)
       order by m.case_id, ts_rank(passeur_search_vector(m.text), passeur_search_query($2)) desc, m.id desc`,
      [cases.map((c) => c.id), q],
    );
    for (const row of r.rows) best.set(row.case_id, { id: row.id, text: row.text });
  }
  const needle = foldForSearch(q.trim());
  for (const c of cases) {
    const m = best.get(c.id);
    if (m) {
      out.set(c.id, { field: 'message', message_id: m.id, ...highlight(m.text, terms) });
      continue;
    }
    const name = [c.contact_name, c.contact_handle ?? ''].find((s) => foldForSearch(s).includes(needle));
    out.set(c.id, name ? { field: 'contact', message_id: null, ...contactHighlight(name, needle) } : null);
  }
  return out;
}

/** The folded needle's place in the name; the whole name when folding changed its length (ß → ss). */
function contactHighlight(text: string, needle: string): Highlight {
  const folded = foldForSearch(text);
  if (folded.length !== text.length) return { text, matches: [[0, text.length]] };
  const at = folded.indexOf(needle);
  return { text, matches: at < 0 ? [] : [[at, at + needle.length]] };
}

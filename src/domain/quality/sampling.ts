/**
 * Drawing a sample of sent replies to review: reproducible from a seed, and stratified by author so that every
 * person with replies gets at least one item when the size allows it.
 */

export interface Candidate {
  message_id: number;
  author_id: number;
}

/** mulberry32: a small seeded generator; the same seed gives the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(list: T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Draws up to `size` message ids. Candidates are first put in a canonical order (by message id), so the draw
 * depends only on the seed and the set of candidates. First pass: one reply of each author, authors taken in a
 * random order (all of them when the size allows); second pass: the rest at random from what is left.
 */
export function drawSample(candidates: readonly Candidate[], size: number, seed: number): number[] {
  const random = seededRandom(seed);
  const sorted = [...candidates].sort((a, b) => a.message_id - b.message_id);
  const byAuthor = new Map<number, number[]>();
  for (const c of sorted) {
    const list = byAuthor.get(c.author_id) ?? [];
    list.push(c.message_id);
    byAuthor.set(c.author_id, list);
  }
  const authors = shuffle(
    [...byAuthor.keys()].sort((a, b) => a - b),
    random,
  );
  const picked: number[] = [];
  const taken = new Set<number>();
  for (const author of authors) {
    if (picked.length >= size) break;
    const own = byAuthor.get(author)!;
    const id = own[Math.floor(random() * own.length)]!;
    picked.push(id);
    taken.add(id);
  }
  const rest = shuffle(
    sorted.map((c) => c.message_id).filter((id) => !taken.has(id)),
    random,
  );
  for (const id of rest) {
    if (picked.length >= size) break;
    picked.push(id);
  }
  return picked;
}

/** A fresh seed when the leader gives none (a positive 31-bit integer, stored with the sample). */
export function newSeed(): number {
  return 1 + Math.floor(Math.random() * 2_147_483_646);
}

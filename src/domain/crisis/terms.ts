/**
 * The terms a message contributes to new-term detection: folded words (lower-case, no accents) of three
 * letters or more that are not stop words, handles, links or numbers, and pairs of adjacent such words
 * ("ash cloud", "nuage cendres"). Each counts once per message.
 */
const STOP = new Set(
  `the and for you your are was were with this that have has had not but from they them our out all can will just
  get got been would could what when who why how any its it's dont don't im i'm les des une est pas que qui dans pour
  sur avec mon mes vous nous elle ils ont sont sans tout plus mais par cette ces aux leur votre vos ete été très tres
  der die das und ist nicht ein eine mit auf für fur den dem des sich sie wir ihr ich mein meine kein noch nur wie
  was aber oder bei vom zum zur sind war hat haben wird werden schon auch dass
  che non per con una sono del della dei gli nel nella mio mia suo sua questo questa anche come più piu dove
  los las por con una para del que mis sus esta este pero como más mas muy
  airsocial airsocialexpress express vol flight flug volo vuelo`.split(/\s+/),
);

const WORD = /[\p{L}][\p{L}'’-]{2,}/gu;

export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function foldTerms(text: string): Set<string> {
  const cleaned = fold(text).replace(/https?:\/\/\S+|[@#][\p{L}\p{N}_]+|\d+/gu, ' ');
  const words = (cleaned.match(WORD) ?? []).map((w) => w.replace(/['’-]+$/, ''));
  const out = new Set<string>();
  let prev: string | null = null;
  for (const w of words) {
    if (w.length < 3 || STOP.has(w)) {
      prev = null;
      continue;
    }
    out.add(w);
    if (prev) out.add(`${prev} ${w}`);
    prev = w;
  }
  return out;
}

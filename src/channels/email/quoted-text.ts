/**
 * Mail programs quote the whole conversation below (or above) a reply. Each message of a case already
 * holds its own text, so the quoted history is cut: the case reads like a conversation, and triage judges
 * what the customer wrote now, not our earlier answer. When in doubt, nothing is cut.
 */

/** "On … wrote:" in the languages of our communities (and a few more), as mail programs write it. */
const ATTRIBUTION =
  /(wrote|a écrit|a ecrit|schrieb|ha scritto|escribió|escreveu|schreef|skrev|napisał|kirjoitti)\s*:\s*$/i;

/** How an attribution starts ("On Tue…", "Le mar.…", "Am…", "Il…"), when it is wrapped over two lines. */
const OPENER = /^\s*(on|le|am|il|el|em|op|den|w dniu)\b/i;

/** Outlook-style separators that open a forwarded or quoted message. */
const SEPARATOR =
  /^\s*(-{2,}\s*(original message|message d'origine|ursprüngliche nachricht|messaggio originale|mensaje original|mensagem original|oorspronkelijk bericht)\s*-{2,}|_{20,})\s*$/i;

/** A header block of a quoted message: "From: …" followed by "Sent:"/"Date:" (in several languages). */
const QUOTED_FROM = /^\s*\*?(from|de|von|da|van|från)\s*\*?\s*:/i;
const QUOTED_DATE = /^\s*\*?(sent|date|envoyé|gesendet|datum|inviato|data|enviado|fecha|verzonden|skickat)\s*\*?\s*:/i;

function isQuoted(line: string): boolean {
  return /^\s*>/.test(line);
}

export function stripQuotedHistory(text: string): { text: string; cut: boolean } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;

  // 1. A separator or a quoted header block: everything from there on is history (top-posted replies).
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const headerBlock = QUOTED_FROM.test(line) && lines.slice(i + 1, i + 4).some((l) => QUOTED_DATE.test(l));
    if (i > 0 && (SEPARATOR.test(line) || headerBlock)) {
      end = i;
      break;
    }
  }

  // 2. A trailing block of "> " lines, and the attribution line(s) just above it.
  let j = end;
  while (j > 0 && lines[j - 1]!.trim() === '') j--;
  let k = j;
  while (k > 0 && (isQuoted(lines[k - 1]!) || lines[k - 1]!.trim() === '')) k--;
  if (k < j && lines.slice(k, j).some(isQuoted)) {
    end = k;
    let a = k;
    while (a > 0 && lines[a - 1]!.trim() === '') a--;
    // An attribution may be wrapped over two lines ("Le mar. 3 juin 2026 à 10:12, AirSocial <…>\na écrit :").
    const attribution = lines[a - 1];
    if (attribution !== undefined && ATTRIBUTION.test(attribution)) {
      end = a - 1;
      if (!OPENER.test(attribution) && end > 0 && OPENER.test(lines[end - 1]!)) end--;
    }
  }

  if (end >= lines.length) return { text, cut: false };
  const kept = lines.slice(0, end).join('\n').trimEnd();
  // Nothing of the customer's own left (a bare forward, say): keep the whole text.
  if (kept.replace(/\s+/g, '') === '') return { text, cut: false };
  return { text: kept, cut: true };
}

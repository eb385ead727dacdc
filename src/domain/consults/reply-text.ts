import { stripQuotedHistory } from '../../channels/email/quoted-text.ts';

/** An answer by email is capped like one from the minimal view. */
export const MAX_EMAIL_ANSWER = 20_000;

/**
 * An attribution line as mail programs write it above the quoted message, with the sender's name before the colon
 * in some languages: "On Tue, 2 Jun 2026 at 10:12, Passeur <…> wrote:", "Le mar. 2 juin 2026 à 10:12, Passeur
 * <…> a écrit :", "Am 02.06.2026 um 10:12 schrieb Passeur <…>:", "Il giorno mar 2 giu 2026 alle ore 10:12 Passeur
 * <…> ha scritto:".
 */
const ATTRIBUTION = /^\s*(on|le|am|il)\b.*\b(wrote|a écrit|a ecrit|schrieb|ha scritto)\b[^:]*:\s*$/i;
/** The first half of an attribution wrapped over two lines ("Le mar. 2 juin 2026 à 10:12, Passeur <…>"). */
const OPENER = /^\s*(on|le|am|il)\b/i;
const ATTRIBUTION_END = /^\s*[^:]{0,80}\b(wrote|a écrit|a ecrit|schrieb|ha scritto)\b[^:]*:\s*$/i;
/** The signature separator ("-- "), and the lines phones add. */
const SIGNATURE = /^-- ?$/;
const SENT_FROM =
  /^\s*(sent from my|envoyé de mon|envoyé depuis mon|von meinem .* gesendet|inviato da|gesendet von)\b.{0,60}$/i;

/**
 * The new part of an expert's reply: the quoted consult email, the attribution above it, the Outlook header block
 * and the signature are cut. Plain text only, capped at MAX_EMAIL_ANSWER characters; empty when nothing new is left.
 */
export function answerFromReply(raw: string): string {
  let lines = stripQuotedHistory(raw.replace(/\r\n?/g, '\n')).text.split('\n');
  // An attribution followed by an unquoted copy (some programs do not prefix it with ">"): cut from there on.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ATTRIBUTION.test(line)) {
      lines = lines.slice(0, i);
      break;
    }
    if (i > 0 && ATTRIBUTION_END.test(line) && OPENER.test(lines[i - 1]!)) {
      lines = lines.slice(0, i - 1);
      break;
    }
  }
  // Quoted lines left anywhere (interleaved answers keep only the expert's own lines).
  lines = lines.filter((l) => !/^\s*>/.test(l));
  const sig = lines.findIndex((l, i) => i > 0 && (SIGNATURE.test(l) || SENT_FROM.test(l)));
  if (sig > 0) lines = lines.slice(0, sig);
  // Control characters other than tab and newline never belong in a note.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const text = lines.join('\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  const tidy = text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return tidy.length > MAX_EMAIL_ANSWER ? `${tidy.slice(0, MAX_EMAIL_ANSWER - 1)}…` : tidy;
}

/**
 * Promises the brand made to customers, found in its outbound replies: "we will get back to you", « nous vous
 * recontacterons », „wir melden uns“, « le faremo sapere », « le reembolsaremos »… in fr, de, it, en and es. Each
 * promise is the sentence quoted as it was sent, its kind, and the deadline when the sentence states one.
 *
 * Patterns, not a model: a reply is short and formulaic, and a missed promise only means one line less in a
 * handover brief. A sentence that negates the action ("we cannot refund", « nous ne pouvons pas rembourser ») is
 * not a promise.
 */
import { localTime } from '../routing/local-time.ts';

/** `\b` for every alphabet: JavaScript's own `\b` sees « é » or « ì » as a non-letter. */
const BOUNDARY = '(?:(?<=[\\p{L}\\p{N}])(?![\\p{L}\\p{N}])|(?<![\\p{L}\\p{N}])(?=[\\p{L}\\p{N}]))';
const unicode = (re: RegExp): RegExp => new RegExp(re.source.replaceAll('\\b', BOUNDARY), 'u');

export type PromiseKind = 'follow_up' | 'refund';

export interface DetectedPromise {
  /** The sentence as sent (trimmed, at most QUOTE_MAX characters). */
  sentence: string;
  kind: PromiseKind;
  /** The words of the deadline as written ("demain", "within 48 hours"), when the sentence states one. */
  deadline: string | null;
  /** The deadline as an instant, when it can be computed from the reply's time (durations, today, tomorrow). */
  due_at: Date | null;
}

const QUOTE_MAX = 240;

/** Follow-ups: someone will come back to the customer, check something, keep them informed. */
const FOLLOW_UP: RegExp[] = (
  [
    // en
    /\b(we|i)('ll| will| shall|'re going to| are going to|'m going to| am going to)\s+(get back to you|come back to you|be in touch|follow up|contact you|reach out|update you|keep you (posted|updated|informed)|let you know|call you|look into|check\b|investigate|send you)/,
    /\b(someone|our (team|colleagues?|agents?)|a colleague|an agent)\s+will\s+(get back to you|contact you|call you|be in touch|reach out|follow up)/,
    /\byou('ll| will) hear (back )?from us\b/,
    // fr
    /\bnous (vous )?(recontacterons|reviendrons vers vous|revenons vers vous|tiendrons (informée?s?|au courant)|informerons|rappellerons|rappelons|écrirons)\b/,
    /\bnous allons (vous recontacter|revenir vers vous|vous rappeler|vérifier|regarder|examiner|vous tenir (informée?s?|au courant)|faire le nécessaire)/,
    /\bje (vous )?(recontacte|recontacterai|reviens vers vous|reviendrai vers vous|tiens informée?|tiendrai (informée?|au courant)|rappelle|rappellerai)\b/,
    /\bje vais (vérifier|regarder|revenir vers vous|vous recontacter|vous rappeler|me renseigner|faire le nécessaire)/,
    /\bon (revient|reviendra) vers vous\b/,
    /\bnous (faisons|ferons) le nécessaire\b/,
    // de
    /\b(wir|ich) melden? (uns|mich)\b/,
    /\b(wir|ich) (werden|werde) (uns|mich) (bei ihnen |bei dir )?(wieder |umgehend |schnellstmöglich )?melden\b/,
    /\b(wir|ich) (kommen|komme|werden|werde) (auf sie |auf dich )?(wieder )?zurück(kommen)?\b/,
    /\b(wir|ich) (halten|halte|informieren|informiere) (sie|dich)\b/,
    /\b(wir|ich) (kümmern uns|kümmere mich|prüfen|prüfe|klären|kläre)\b/,
    /\b(wir|ich) (werden|werde) (das|dies|ihren fall|ihr anliegen|es) (umgehend |gerne |sofort )?(prüfen|klären|weiterleiten)\b/,
    // it
    /\b(le|ti|vi|la) (faremo|farò) sapere\b/,
    /\b(la|ti|vi|le) (ricontatteremo|ricontatterò|richiameremo|richiamerò|risponderemo|risponderò|scriveremo|scriverò)\b/,
    /\b(la|ti|vi|le) (terremo|terrò) aggiornat[oaie]\b/,
    /\b(ci|mi) (faremo|farò) sentire\b/,
    /\b(verificheremo|controlleremo|ci occuperemo|mi occuperò|verificherò|controllerò)\b/,
    // es
    /\bnos pondremos en contacto\b/,
    /\bme pondré en contacto\b/,
    /\b(le|te|les|os) (contactaremos|escribiremos|llamaremos|responderemos|informaremos|avisaremos|mantendremos informad[oa]s?)\b/,
    /\bvolveremos a (contactar|escribir|llamar)/,
    /\b(revisaremos|comprobaremos|verificaremos|nos encargaremos)\b/,
  ] as RegExp[]
).map(unicode);

/** Money: a refund, a reimbursement, a compensation, a voucher. */
const REFUND: RegExp[] = (
  [
    // en
    /\b(we|i)('ll| will| shall|'re going to| are going to)\s+(refund|reimburse|compensate|credit|issue (you )?a (refund|voucher|credit)|send you a (refund|voucher))/,
    /\byou('ll| will) (receive|get) (a|an|your|the) (full )?(refund|voucher|compensation|reimbursement|credit)/,
    /\byour (refund|reimbursement|compensation) will be (processed|issued|paid|sent|credited)/,
    // fr
    /\bnous (allons )?vous (rembourser|rembourserons|dédommager|dédommagerons|indemniser|indemniserons)\b/,
    /\bvous serez (intégralement )?(remboursée?s?|indemnisée?s?|dédommagée?s?)\b/,
    /\bvous (recevrez|allez recevoir) (un|une|votre|le) (remboursement|avoir|bon|dédommagement|indemnisation)/,
    /\bnous (procéderons|allons procéder) (au|à votre) (remboursement|dédommagement)/,
    // de
    /\b(wir|ich) (erstatten|erstatte|werden ihnen .{0,40}erstatten|entschädigen)\b/,
    /\bsie (erhalten|bekommen) (eine|ihre|den|die|einen) (volle |vollständige )?(erstattung|rückerstattung|gutschrift|gutschein|entschädigung)/,
    /\b(die )?(rück)?erstattung (wird|erfolgt)\b/,
    // it
    /\b(la|ti|vi|le) (rimborseremo|rimborserò|risarciremo)\b/,
    /\b(riceverà|riceverai|riceverete) (il|un|un|la|una) (rimborso|voucher|buono|risarcimento)/,
    /\b(sarà|sarai|sarete) (rimborsat[oaie]|risarcit[oaie])\b/,
    /\bprovvederemo al rimborso\b/,
    // es
    /\b(le|te|les|os) (reembolsaremos|compensaremos|devolveremos)\b/,
    /\b(recibirá|recibirás|recibirán) (el|un|su|tu) (reembolso|bono|vale|compensación)/,
    /\b(será|serás|serán) (reembolsad[oa]s?|compensad[oa]s?)\b/,
    /\bprocederemos (al|a su|a tu) reembolso\b/,
  ] as RegExp[]
).map(unicode);

/** Negations in the sentence: the action is refused or impossible, not promised. */
const NEGATION = (
  [
    /\b(cannot|can't|can not|won't|will not|unable|not able|unfortunately not|are not in a position|no longer)\b/,
    /\bne (pouvons|pourrons|peux|pourrai|sommes|serons|allons|vais|ferons|procéderons|rembourserons)\b|\bn['’](allons|avons|est)\b|\bpas possible\b|\bimpossible\b|\baucun remboursement\b/,
    /\b(nicht|keine|keinen|kein)\b/,
    /\bnon (possiamo|potremo|è possibile|sarà possibile|riusciamo|rimborseremo)\b|\bnessun rimborso\b/,
    /\bno (podemos|podremos|es posible|será posible|reembolsaremos)\b|\bningún reembolso\b/,
  ] as RegExp[]
).map(unicode);

const NUM = '(\\d{1,3})';
const DAYS_OF_WEEK =
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|lunes|martes|miércoles|jueves|viernes|sábado|domingo';

type DeadlineRule = { re: RegExp; due: (m: RegExpExecArray, at: Date, timezone: string) => Date | null };

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The end of the local day `days` after the one of `at` (23:59 of that day, in the zone). */
function endOfDay(at: Date, timezone: string, days: number): Date {
  const { minutes } = localTime(at, timezone);
  return new Date(at.getTime() + ((24 * 60 - 1 - minutes) * 60_000 + days * DAY));
}

const duration = (unit: 'h' | 'd') => (m: RegExpExecArray, at: Date) =>
  new Date(at.getTime() + Number(m[1]) * (unit === 'h' ? HOUR : DAY));

/** Deadlines, most specific first; the first that matches the sentence is kept. */
const DEADLINES: DeadlineRule[] = (
  [
    {
      re: new RegExp(
        `\\b(within|in the next|in|d['’]ici|sous|dans les|dans|innerhalb von|innerhalb der nächsten|binnen|in den nächsten|entro|tra|fra|en las próximas|dentro de|en)\\s+${NUM}\\s*(h|hrs?|hours?|heures?|stunden|std\\.?|ore|horas)\\b`,
      ),
      due: (m, at) => new Date(at.getTime() + Number(m[2]) * HOUR),
    },
    {
      re: new RegExp(
        `\\b(within|in the next|in|d['’]ici|sous|dans les|dans|innerhalb von|innerhalb der nächsten|binnen|in den nächsten|entro|tra|fra|en los próximos|dentro de|en)\\s+${NUM}\\s*(working days|business days|days?|jours? ouvrés|jours?|werktagen|arbeitstagen|tagen|giorni lavorativi|giorni|días hábiles|días)\\b`,
      ),
      due: (m, at) => new Date(at.getTime() + Number(m[2]) * DAY),
    },
    { re: new RegExp(`\\b${NUM}\\s*(h|hours|heures|stunden|ore|horas)\\b`), due: duration('h') },
    {
      re: /\b(tomorrow|demain|morgen|domani|mañana)\b/,
      due: (_m, at, tz) => endOfDay(at, tz, 1),
    },
    {
      re: /\b(today|tonight|by the end of the day|end of (the )?day|aujourd['’]hui|ce soir|dans la journée|heute|im laufe des tages|oggi|stasera|in giornata|hoy|esta tarde|esta noche)\b/,
      due: (_m, at, tz) => endOfDay(at, tz, 0),
    },
    { re: new RegExp(`\\b(by|before|avant|bis|entro|antes del?)\\s+(${DAYS_OF_WEEK})\\b`), due: () => null },
    {
      re: /\b(as soon as possible|asap|shortly|dès que possible|au plus vite|rapidement|so schnell wie möglich|schnellstmöglich|umgehend|il prima possibile|al più presto|lo antes posible|cuanto antes|en breve)\b/,
      due: () => null,
    },
  ] as DeadlineRule[]
).map((r) => ({ ...r, re: unicode(r.re) }));

/** Sentences of a reply: split after . ! ? … and at line breaks. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\r?\n+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

function quote(sentence: string): string {
  return sentence.length > QUOTE_MAX ? `${sentence.slice(0, QUOTE_MAX - 1)}…` : sentence;
}

/**
 * The promises in one outbound reply, in the order written. `at` is when the reply was sent (deadlines count from
 * it), `timezone` the community's (for "today" and "tomorrow").
 */
export function detectPromises(text: string, at: Date, timezone = 'UTC'): DetectedPromise[] {
  const found: DetectedPromise[] = [];
  for (const sentence of sentences(text)) {
    const lower = sentence.toLowerCase().replace(/’/g, "'");
    const kind: PromiseKind | null = REFUND.some((re) => re.test(lower))
      ? 'refund'
      : FOLLOW_UP.some((re) => re.test(lower))
        ? 'follow_up'
        : null;
    if (kind === null) continue;
    if (NEGATION.some((re) => re.test(lower))) continue;
    let deadline: string | null = null;
    let due: Date | null = null;
    for (const rule of DEADLINES) {
      const m = rule.re.exec(lower);
      if (!m) continue;
      // Lower-casing keeps the length of these languages' letters; if it did not, quote the lower-case words.
      const source = lower.length === sentence.length ? sentence : lower;
      deadline = source.slice(m.index, m.index + m[0].length);
      due = rule.due(m, at, timezone);
      break;
    }
    found.push({ sentence: quote(sentence), kind, deadline, due_at: due });
  }
  return found;
}

/**
 * Notification emails: plain text, in the recipient's language (fr, en, de, it; English otherwise), with a
 * link to the case. Customer text appears only as a short, plain excerpt of the case subject.
 */
export interface EmailFacts {
  kind: string;
  caseId: number;
  caseSubject: string | null;
  data: Record<string, unknown>;
  recipientName: string;
  locale: string;
  timezone: string;
}

type Lang = 'fr' | 'en' | 'de' | 'it';

interface Strings {
  hello: (name: string) => string;
  subjects: Record<string, (id: number, by: string, clock: string) => string>;
  lines: Record<string, (id: number, by: string, clock: string, due: string) => string>;
  clocks: Record<string, string>;
  escalated: string;
  excerpt: string;
  open: string;
  footer: string;
}

const STRINGS: Record<Lang, Strings> = {
  en: {
    hello: (n) => `Hello ${n},`,
    subjects: {
      assigned: (id) => `Case #${id} is assigned to you`,
      mention: (id, by) => `${by} mentioned you on case #${id}`,
      sla_warning: (id, _by, clock) => `Case #${id}: ${clock} due soon`,
      sla_breach: (id, _by, clock) => `Case #${id}: ${clock} overdue`,
    },
    lines: {
      assigned: (id, by) => `${by} assigned case #${id} to you.`,
      mention: (id, by) => `${by} mentioned you in an internal note on case #${id}.`,
      sla_warning: (id, _by, clock, due) => `The ${clock} of case #${id} is due ${due}.`,
      sla_breach: (id, _by, clock, due) => `The ${clock} of case #${id} was due ${due} and is overdue.`,
    },
    clocks: { first_response: 'first response', next_response: 'next response', resolution: 'resolution' },
    escalated: 'The case was escalated.',
    excerpt: 'Subject',
    open: 'Open the case',
    footer: 'You receive this email because of your notification settings in Passeur.',
  },
  fr: {
    hello: (n) => `Bonjour ${n},`,
    subjects: {
      assigned: (id) => `Le dossier n° ${id} vous est attribué`,
      mention: (id, by) => `${by} vous a mentionné·e dans le dossier n° ${id}`,
      sla_warning: (id, _by, clock) => `Dossier n° ${id} : ${clock} bientôt dû`,
      sla_breach: (id, _by, clock) => `Dossier n° ${id} : ${clock} en retard`,
    },
    lines: {
      assigned: (id, by) => `${by} vous a attribué le dossier n° ${id}.`,
      mention: (id, by) => `${by} vous a mentionné·e dans une note interne du dossier n° ${id}.`,
      sla_warning: (id, _by, clock, due) => `Échéance (${clock}) du dossier n° ${id} : ${due}.`,
      sla_breach: (id, _by, clock, due) =>
        `L’échéance (${clock}) du dossier n° ${id} était ${due} : elle est dépassée.`,
    },
    clocks: { first_response: 'première réponse', next_response: 'réponse suivante', resolution: 'résolution' },
    escalated: 'Le dossier a été escaladé.',
    excerpt: 'Objet',
    open: 'Ouvrir le dossier',
    footer: 'Vous recevez ce courriel selon vos réglages de notification dans Passeur.',
  },
  de: {
    hello: (n) => `Hallo ${n},`,
    subjects: {
      assigned: (id) => `Fall #${id} ist Ihnen zugewiesen`,
      mention: (id, by) => `${by} hat Sie in Fall #${id} erwähnt`,
      sla_warning: (id, _by, clock) => `Fall #${id}: ${clock} bald fällig`,
      sla_breach: (id, _by, clock) => `Fall #${id}: ${clock} überfällig`,
    },
    lines: {
      assigned: (id, by) => `${by} hat Ihnen Fall #${id} zugewiesen.`,
      mention: (id, by) => `${by} hat Sie in einer internen Notiz zu Fall #${id} erwähnt.`,
      sla_warning: (id, _by, clock, due) => `${clock} für Fall #${id} ist fällig am ${due}.`,
      sla_breach: (id, _by, clock, due) => `${clock} für Fall #${id} war fällig am ${due} und ist überfällig.`,
    },
    clocks: { first_response: 'Erste Antwort', next_response: 'Nächste Antwort', resolution: 'Lösung' },
    escalated: 'Der Fall wurde eskaliert.',
    excerpt: 'Betreff',
    open: 'Fall öffnen',
    footer: 'Sie erhalten diese E-Mail aufgrund Ihrer Benachrichtigungseinstellungen in Passeur.',
  },
  it: {
    hello: (n) => `Buongiorno ${n},`,
    subjects: {
      assigned: (id) => `Il caso n. ${id} è assegnato a lei`,
      mention: (id, by) => `${by} l’ha menzionata nel caso n. ${id}`,
      sla_warning: (id, _by, clock) => `Caso n. ${id}: ${clock} in scadenza`,
      sla_breach: (id, _by, clock) => `Caso n. ${id}: ${clock} in ritardo`,
    },
    lines: {
      assigned: (id, by) => `${by} le ha assegnato il caso n. ${id}.`,
      mention: (id, by) => `${by} l’ha menzionata in una nota interna del caso n. ${id}.`,
      sla_warning: (id, _by, clock, due) => `Scadenza (${clock}) del caso n. ${id}: ${due}.`,
      sla_breach: (id, _by, clock, due) => `La scadenza (${clock}) del caso n. ${id} era ${due} ed è superata.`,
    },
    clocks: { first_response: 'prima risposta', next_response: 'risposta successiva', resolution: 'risoluzione' },
    escalated: 'Il caso è stato escalato.',
    excerpt: 'Oggetto',
    open: 'Apri il caso',
    footer: 'Riceve questa e-mail in base alle sue impostazioni di notifica in Passeur.',
  },
};

const EXCERPT = 80;

export function languageOf(locale: string): Lang {
  const lang = locale.slice(0, 2).toLowerCase();
  return lang === 'fr' || lang === 'de' || lang === 'it' ? lang : 'en';
}

/** A short, single-line, plain excerpt: control characters and line breaks removed. */
export function plainExcerpt(text: string, max = EXCERPT): string {
  const flat = text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function formatDue(value: unknown, locale: string, timezone: string): string {
  const d = typeof value === 'string' ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(d);
  } catch {
    return d.toISOString();
  }
}

export function composeEmail(f: EmailFacts, publicUrl: string): { subject: string; text: string } {
  const s = STRINGS[languageOf(f.locale)];
  const by = typeof f.data.by_name === 'string' ? plainExcerpt(f.data.by_name, 60) : 'Passeur';
  const clock = s.clocks[String(f.data.clock)] ?? '';
  const due = formatDue(f.data.due_at, f.locale, f.timezone);
  const subjectOf = s.subjects[f.kind] ?? ((id: number) => `Passeur #${id}`);
  const lineOf = s.lines[f.kind] ?? ((id: number) => `#${id}`);
  const url = `${publicUrl.replace(/\/+$/, '')}/cases/${f.caseId}`;
  const lines = [s.hello(plainExcerpt(f.recipientName, 60)), '', lineOf(f.caseId, by, clock, due)];
  if (f.data.escalation !== undefined) lines.push(s.escalated);
  if (f.caseSubject) lines.push(`${s.excerpt}: "${plainExcerpt(f.caseSubject)}"`);
  lines.push('', `${s.open}: ${url}`, '', '-- ', s.footer);
  return { subject: `[Passeur] ${subjectOf(f.caseId, by, clock)}`, text: `${lines.join('\n')}\n` };
}

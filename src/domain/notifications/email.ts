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
  /** The email has a consult's reply address: say that replying answers the consult. */
  replyable?: boolean;
}

type Lang = 'fr' | 'en' | 'de' | 'it';

interface Strings {
  hello: (name: string) => string;
  subjects: Record<string, (id: number, by: string, clock: string) => string>;
  lines: Record<string, (id: number, by: string, clock: string, due: string) => string>;
  clocks: Record<string, string>;
  escalated: string;
  /** Consult emails: a reminder at the due time, and the link to the consult's minimal view. */
  reminder: string;
  openConsult: string;
  /** Under the link, when the email can be answered by replying to it. */
  replyHint: string;
  excerpt: string;
  open: string;
  /** Post approval emails link to the approval queue, or (the decision, to the author) to the calendar. */
  openApprovals: string;
  openPublishing: string;
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
      consult: (id, by) => `${by} asks for your expertise (consult #${id})`,
      consult_answered: (id, by) => `${by} answered a consult on case #${id}`,
      consult_overdue: (id) => `A consult is overdue (#${id})`,
      on_call_page: (id) => `On call: urgent case #${id} while nobody is on duty`,
      qa_feedback: (id, by) => `${by} reviewed your reply on case #${id}`,
      post_approval_requested: (id, by) => `${by} asks you to approve a post (#${id})`,
      post_approval_decided: (id) => `Your post #${id} was approved or rejected`,
      post_approval_overdue: (id) => `A post waits for approval past its deadline (#${id})`,
      post_approval_late: (id) => `A post waiting for approval missed its scheduled time (#${id})`,
    },
    lines: {
      assigned: (id, by) => `${by} assigned case #${id} to you.`,
      mention: (id, by) => `${by} mentioned you in an internal note on case #${id}.`,
      sla_warning: (id, _by, clock, due) => `The ${clock} of case #${id} is due ${due}.`,
      sla_breach: (id, _by, clock, due) => `The ${clock} of case #${id} was due ${due} and is overdue.`,
      consult: (id, by, _clock, due) => `${by} asks you a question (consult #${id}), due ${due}.`,
      consult_answered: (id, by) =>
        `${by} answered a consult on case #${id}: the answer is a private note in the case.`,
      consult_overdue: (id, _by, _clock, due) => `A consult (#${id}) was due ${due} and is still unanswered.`,
      on_call_page: (id) => `Case #${id} is urgent and nobody of its community is on duty: you are on call.`,
      qa_feedback: (id, by) =>
        `${by} reviewed your reply on case #${id}: read the feedback and acknowledge it on the Quality page.`,
      post_approval_requested: (id, by, _clock, due) =>
        `${by} wrote a post (#${id}) that needs your approval, due ${due}.`,
      post_approval_decided: (id, by) => `${by} decided on your post #${id}: see it on the publishing calendar.`,
      post_approval_overdue: (id, _by, _clock, due) => `A post (#${id}) was to be approved by ${due} and still waits.`,
      post_approval_late: (id) =>
        `A post (#${id}) is still waiting for approval and its scheduled time has passed: approved now, it goes out at once, marked late.`,
    },
    clocks: { first_response: 'first response', next_response: 'next response', resolution: 'resolution' },
    escalated: 'The case was escalated.',
    reminder: 'Reminder: the answer is due now.',
    openConsult: 'Open the consult',
    replyHint: 'You can also answer by replying to this email (only your text above the quoted message is kept).',
    excerpt: 'Subject',
    open: 'Open the case',
    openApprovals: 'Open the approval queue',
    openPublishing: 'Open the publishing calendar',
    footer: 'You receive this email because of your notification settings in Passeur.',
  },
  fr: {
    hello: (n) => `Bonjour ${n},`,
    subjects: {
      assigned: (id) => `Le dossier n° ${id} vous est attribué`,
      mention: (id, by) => `${by} vous a mentionné·e dans le dossier n° ${id}`,
      sla_warning: (id, _by, clock) => `Dossier n° ${id} : ${clock} bientôt dû`,
      sla_breach: (id, _by, clock) => `Dossier n° ${id} : ${clock} en retard`,
      consult: (id, by) => `${by} sollicite votre expertise (consultation n° ${id})`,
      consult_answered: (id, by) => `${by} a répondu à une consultation du dossier n° ${id}`,
      consult_overdue: (id) => `Une consultation est en retard (n° ${id})`,
      on_call_page: (id) => `Astreinte : dossier urgent n° ${id}, personne n’est de service`,
      qa_feedback: (id, by) => `${by} a revu votre réponse du dossier n° ${id}`,
      post_approval_requested: (id, by) => `${by} vous demande de valider une publication (n° ${id})`,
      post_approval_decided: (id) => `Votre publication n° ${id} a été validée ou refusée`,
      post_approval_overdue: (id) => `Une publication attend sa validation au-delà du délai (n° ${id})`,
      post_approval_late: (id) => `Une publication en attente de validation a manqué son heure (n° ${id})`,
    },
    lines: {
      assigned: (id, by) => `${by} vous a attribué le dossier n° ${id}.`,
      mention: (id, by) => `${by} vous a mentionné·e dans une note interne du dossier n° ${id}.`,
      sla_warning: (id, _by, clock, due) => `Échéance (${clock}) du dossier n° ${id} : ${due}.`,
      sla_breach: (id, _by, clock, due) =>
        `L’échéance (${clock}) du dossier n° ${id} était ${due} : elle est dépassée.`,
      consult: (id, by, _clock, due) => `${by} vous pose une question (consultation n° ${id}), à rendre ${due}.`,
      consult_answered: (id, by) =>
        `${by} a répondu à une consultation du dossier n° ${id} : la réponse est une note privée du dossier.`,
      consult_overdue: (id, _by, _clock, due) => `Une consultation (n° ${id}) était due ${due} et reste sans réponse.`,
      on_call_page: (id) =>
        `Le dossier n° ${id} est urgent et personne de sa communauté n’est de service : vous êtes d’astreinte.`,
      qa_feedback: (id, by) =>
        `${by} a revu votre réponse du dossier n° ${id} : lisez le retour et prenez-le en compte dans la page Qualité.`,
      post_approval_requested: (id, by, _clock, due) =>
        `${by} a écrit une publication (n° ${id}) qui attend votre validation, avant ${due}.`,
      post_approval_decided: (id, by) =>
        `${by} a statué sur votre publication n° ${id} : voyez-la dans le calendrier des publications.`,
      post_approval_overdue: (id, _by, _clock, due) =>
        `Une publication (n° ${id}) devait être validée avant ${due} et attend toujours.`,
      post_approval_late: (id) =>
        `Une publication (n° ${id}) attend toujours sa validation et son heure est passée : validée maintenant, elle part aussitôt, marquée en retard.`,
    },
    clocks: { first_response: 'première réponse', next_response: 'réponse suivante', resolution: 'résolution' },
    escalated: 'Le dossier a été escaladé.',
    reminder: 'Rappel : la réponse est attendue maintenant.',
    openConsult: 'Ouvrir la consultation',
    replyHint: 'Vous pouvez aussi répondre à ce courriel : seul votre texte au-dessus du message cité est retenu.',
    excerpt: 'Objet',
    open: 'Ouvrir le dossier',
    openApprovals: 'Ouvrir les validations',
    openPublishing: 'Ouvrir le calendrier des publications',
    footer: 'Vous recevez ce courriel selon vos réglages de notification dans Passeur.',
  },
  de: {
    hello: (n) => `Hallo ${n},`,
    subjects: {
      assigned: (id) => `Fall #${id} ist Ihnen zugewiesen`,
      mention: (id, by) => `${by} hat Sie in Fall #${id} erwähnt`,
      sla_warning: (id, _by, clock) => `Fall #${id}: ${clock} bald fällig`,
      sla_breach: (id, _by, clock) => `Fall #${id}: ${clock} überfällig`,
      consult: (id, by) => `${by} bittet um Ihre Expertise (Rückfrage #${id})`,
      consult_answered: (id, by) => `${by} hat eine Rückfrage zu Fall #${id} beantwortet`,
      consult_overdue: (id) => `Eine Rückfrage ist überfällig (#${id})`,
      on_call_page: (id) => `Bereitschaft: dringender Fall #${id}, niemand ist im Dienst`,
      qa_feedback: (id, by) => `${by} hat Ihre Antwort in Fall #${id} geprüft`,
      post_approval_requested: (id, by) => `${by} bittet Sie, einen Beitrag freizugeben (#${id})`,
      post_approval_decided: (id) => `Ihr Beitrag #${id} wurde freigegeben oder abgelehnt`,
      post_approval_overdue: (id) => `Ein Beitrag wartet über die Frist auf Freigabe (#${id})`,
      post_approval_late: (id) => `Ein Beitrag hat auf Freigabe wartend seinen Termin verpasst (#${id})`,
    },
    lines: {
      assigned: (id, by) => `${by} hat Ihnen Fall #${id} zugewiesen.`,
      mention: (id, by) => `${by} hat Sie in einer internen Notiz zu Fall #${id} erwähnt.`,
      sla_warning: (id, _by, clock, due) => `${clock} für Fall #${id} ist fällig am ${due}.`,
      sla_breach: (id, _by, clock, due) => `${clock} für Fall #${id} war fällig am ${due} und ist überfällig.`,
      consult: (id, by, _clock, due) => `${by} stellt Ihnen eine Frage (Rückfrage #${id}), fällig am ${due}.`,
      consult_answered: (id, by) =>
        `${by} hat eine Rückfrage zu Fall #${id} beantwortet: Die Antwort ist eine private Notiz im Fall.`,
      consult_overdue: (id, _by, _clock, due) =>
        `Eine Rückfrage (#${id}) war fällig am ${due} und ist noch unbeantwortet.`,
      on_call_page: (id) =>
        `Fall #${id} ist dringend und niemand seiner Community ist im Dienst: Sie haben Bereitschaft.`,
      qa_feedback: (id, by) =>
        `${by} hat Ihre Antwort in Fall #${id} geprüft: Lesen und bestätigen Sie die Rückmeldung auf der Seite Qualität.`,
      post_approval_requested: (id, by, _clock, due) =>
        `${by} hat einen Beitrag (#${id}) geschrieben, der Ihre Freigabe braucht, fällig am ${due}.`,
      post_approval_decided: (id, by) =>
        `${by} hat über Ihren Beitrag #${id} entschieden: siehe Veröffentlichungskalender.`,
      post_approval_overdue: (id, _by, _clock, due) =>
        `Ein Beitrag (#${id}) sollte bis ${due} freigegeben sein und wartet noch.`,
      post_approval_late: (id) =>
        `Ein Beitrag (#${id}) wartet noch auf Freigabe und sein Termin ist vorbei: jetzt freigegeben, geht er sofort hinaus, als verspätet markiert.`,
    },
    clocks: { first_response: 'Erste Antwort', next_response: 'Nächste Antwort', resolution: 'Lösung' },
    escalated: 'Der Fall wurde eskaliert.',
    reminder: 'Erinnerung: Die Antwort ist jetzt fällig.',
    openConsult: 'Rückfrage öffnen',
    replyHint: 'Sie können auch auf diese E-Mail antworten: Nur Ihr Text über der zitierten Nachricht wird übernommen.',
    excerpt: 'Betreff',
    open: 'Fall öffnen',
    openApprovals: 'Freigaben öffnen',
    openPublishing: 'Veröffentlichungskalender öffnen',
    footer: 'Sie erhalten diese E-Mail aufgrund Ihrer Benachrichtigungseinstellungen in Passeur.',
  },
  it: {
    hello: (n) => `Buongiorno ${n},`,
    subjects: {
      assigned: (id) => `Il caso n. ${id} è assegnato a lei`,
      mention: (id, by) => `${by} l’ha menzionata nel caso n. ${id}`,
      sla_warning: (id, _by, clock) => `Caso n. ${id}: ${clock} in scadenza`,
      sla_breach: (id, _by, clock) => `Caso n. ${id}: ${clock} in ritardo`,
      consult: (id, by) => `${by} chiede la sua competenza (consulto n. ${id})`,
      consult_answered: (id, by) => `${by} ha risposto a un consulto del caso n. ${id}`,
      consult_overdue: (id) => `Un consulto è in ritardo (n. ${id})`,
      on_call_page: (id) => `Reperibilità: caso urgente n. ${id}, nessuno è in servizio`,
      qa_feedback: (id, by) => `${by} ha revisionato la tua risposta al caso n. ${id}`,
      post_approval_requested: (id, by) => `${by} le chiede di approvare una pubblicazione (n. ${id})`,
      post_approval_decided: (id) => `La sua pubblicazione n. ${id} è stata approvata o rifiutata`,
      post_approval_overdue: (id) => `Una pubblicazione attende l’approvazione oltre la scadenza (n. ${id})`,
      post_approval_late: (id) => `Una pubblicazione in attesa di approvazione ha mancato il suo orario (n. ${id})`,
    },
    lines: {
      assigned: (id, by) => `${by} le ha assegnato il caso n. ${id}.`,
      mention: (id, by) => `${by} l’ha menzionata in una nota interna del caso n. ${id}.`,
      sla_warning: (id, _by, clock, due) => `Scadenza (${clock}) del caso n. ${id}: ${due}.`,
      sla_breach: (id, _by, clock, due) => `La scadenza (${clock}) del caso n. ${id} era ${due} ed è superata.`,
      consult: (id, by, _clock, due) => `${by} le pone una domanda (consulto n. ${id}), entro ${due}.`,
      consult_answered: (id, by) =>
        `${by} ha risposto a un consulto del caso n. ${id}: la risposta è una nota privata del caso.`,
      consult_overdue: (id, _by, _clock, due) => `Un consulto (n. ${id}) era dovuto ${due} ed è ancora senza risposta.`,
      on_call_page: (id) => `Il caso n. ${id} è urgente e nessuno della sua comunità è in servizio: lei è reperibile.`,
      qa_feedback: (id, by) =>
        `${by} ha revisionato la tua risposta al caso n. ${id}: leggi il riscontro e confermalo nella pagina Qualità.`,
      post_approval_requested: (id, by, _clock, due) =>
        `${by} ha scritto una pubblicazione (n. ${id}) che attende la sua approvazione, entro ${due}.`,
      post_approval_decided: (id, by) =>
        `${by} ha deciso sulla sua pubblicazione n. ${id}: la veda nel calendario delle pubblicazioni.`,
      post_approval_overdue: (id, _by, _clock, due) =>
        `Una pubblicazione (n. ${id}) doveva essere approvata entro ${due} e attende ancora.`,
      post_approval_late: (id) =>
        `Una pubblicazione (n. ${id}) attende ancora l’approvazione e il suo orario è passato: approvata ora, esce subito, segnata in ritardo.`,
    },
    clocks: { first_response: 'prima risposta', next_response: 'risposta successiva', resolution: 'risoluzione' },
    escalated: 'Il caso è stato escalato.',
    reminder: 'Promemoria: la risposta è attesa ora.',
    openConsult: 'Apri il consulto',
    replyHint: 'Può anche rispondere a questa e-mail: viene ripreso solo il testo sopra il messaggio citato.',
    excerpt: 'Oggetto',
    open: 'Apri il caso',
    openApprovals: 'Apri le approvazioni',
    openPublishing: 'Apri il calendario delle pubblicazioni',
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
  // A notification about a consult without a case (to an expert, who may not read the case) links to the consult.
  const consultId = typeof f.data.consult_id === 'number' && !f.caseId ? f.data.consult_id : undefined;
  // A notification about a post (no case) links to the approval queue, or for its author's decision to the calendar.
  const postId = typeof f.data.post_id === 'number' && !f.caseId ? f.data.post_id : undefined;
  const ref = consultId ?? postId ?? f.caseId;
  const base = publicUrl.replace(/\/+$/, '');
  const toCalendar = f.kind === 'post_approval_decided';
  const url =
    consultId !== undefined
      ? `${base}/consults/${consultId}`
      : postId !== undefined
        ? `${base}${toCalendar ? '/publishing' : '/approvals'}`
        : `${base}/cases/${f.caseId}`;
  const lines = [s.hello(plainExcerpt(f.recipientName, 60)), '', lineOf(ref, by, clock, due)];
  if (f.data.reminder === true) lines.push(s.reminder);
  if (f.data.escalation !== undefined) lines.push(s.escalated);
  if (f.caseSubject && consultId === undefined) lines.push(`${s.excerpt}: "${plainExcerpt(f.caseSubject)}"`);
  const open =
    consultId !== undefined
      ? s.openConsult
      : postId !== undefined
        ? toCalendar
          ? s.openPublishing
          : s.openApprovals
        : s.open;
  lines.push('', `${open}: ${url}`);
  if (f.replyable && consultId !== undefined) lines.push(s.replyHint);
  lines.push('', '-- ', s.footer);
  return { subject: `[Passeur] ${subjectOf(ref, by, clock)}`, text: `${lines.join('\n')}\n` };
}

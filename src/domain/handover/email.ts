import type { Queryable } from '../../server/db/database.ts';
import { languageOf, plainExcerpt } from '../notifications/email.ts';
import { withText } from './content.ts';
import { editedSections } from './presenter.ts';
import type { BriefRow } from './store.ts';

/**
 * The email of a published handover brief, to each person of the next shift, in their language: the note of the
 * outgoing shift, then the sections (hidden items left out, comments shown). Plain text, and the same text as
 * escaped HTML: case subjects, quoted promises and notes are never markup.
 */

type Lang = 'fr' | 'en' | 'de' | 'it';

interface Strings {
  subject: (community: string, until: string) => string;
  hello: (name: string) => string;
  intro: (community: string, from: string, to: string, by: string | null) => string;
  note: string;
  cases: (open: number, breached: number, atRisk: number) => string;
  risk: { breached: (m: number) => string; at_risk: (m: number) => string; ok: (m: number) => string; none: string };
  consults: string;
  consult: (id: number, caseId: number, expert: string, due: string, overdue: boolean) => string;
  promises: string;
  promise: (caseId: number, when: string, by: string | null) => string;
  deadline: (words: string, due: string) => string;
  overdue: string;
  incidents: string;
  crisis: (title: string, since: string, ended: boolean) => string;
  alert: (kind: string, since: string) => string;
  incident: (title: string, status: string, cases: number) => string;
  counts: (c: { received: number; answered: number; new_cases: number; resolved: number; open: number }) => string;
  none: string;
  /** A colon, as the language writes it (French puts a space before it). */
  colon: string;
  comment: string;
  open: string;
  footer: string;
}

const duration = (m: number) => {
  const a = Math.abs(m);
  return a >= 60 ? `${Math.floor(a / 60)} h ${String(a % 60).padStart(2, '0')}` : `${a} min`;
};

const STRINGS: Record<Lang, Strings> = {
  en: {
    subject: (c, u) => `Handover brief: ${c}, until ${u}`,
    hello: (n) => `Hello ${n},`,
    intro: (c, f, t, by) => `${by ? `${by} published` : 'Here is'} the handover brief of ${c} for ${f} – ${t}.`,
    note: 'Note from the outgoing shift',
    cases: (o, b, r) => `Open cases by SLA risk (${o} open, ${b} overdue, ${r} at risk)`,
    risk: {
      breached: (m) => `overdue by ${duration(m)}`,
      at_risk: (m) => `due in ${duration(m)}`,
      ok: (m) => `due in ${duration(m)}`,
      none: 'no running clock',
    },
    consults: 'Waiting consults',
    consult: (id, c, e, d, o) => `Consult #${id} (case #${c}) to ${e}, due ${d}${o ? ', overdue' : ''}`,
    promises: 'Promises made to customers',
    promise: (c, w, by) => `Case #${c}, ${w}${by ? `, ${by}` : ''}`,
    deadline: (w, d) => `deadline: ${w}${d ? ` (${d})` : ''}`,
    overdue: 'overdue',
    incidents: 'Ongoing incidents',
    crisis: (t, s, e) => `Crisis "${t}", declared ${s}${e ? ', stood down' : ''}`,
    alert: (k, s) => `Crisis alert (${k}), ${s}`,
    incident: (t, st, n) =>
      `Incident "${t}" (${{ open: 'open', investigating: 'being investigated', fixed: 'fixed' }[st] ?? st}), ${n} case(s) here`,
    counts: (c) =>
      `In the period: ${c.received} messages received, ${c.answered} replies sent, ${c.new_cases} new cases, ${c.resolved} resolved; ${c.open} cases still open.`,
    none: 'None.',
    colon: ':',
    comment: 'Comment',
    open: 'Open the brief and acknowledge it',
    footer: 'You receive this email because of your notification settings in Passeur.',
  },
  fr: {
    subject: (c, u) => `Passation : ${c}, jusqu’à ${u}`,
    hello: (n) => `Bonjour ${n},`,
    intro: (c, f, t, by) => `${by ? `${by} a publié` : 'Voici'} la passation de ${c} pour ${f} – ${t}.`,
    note: 'Note de l’équipe sortante',
    cases: (o, b, r) => `Dossiers ouverts par risque SLA (${o} ouverts, ${b} en retard, ${r} à risque)`,
    risk: {
      breached: (m) => `en retard de ${duration(m)}`,
      at_risk: (m) => `échéance dans ${duration(m)}`,
      ok: (m) => `échéance dans ${duration(m)}`,
      none: 'aucune échéance en cours',
    },
    consults: 'Consultations en attente',
    consult: (id, c, e, d, o) =>
      `Consultation n° ${id} (dossier n° ${c}) à ${e}, attendue ${d}${o ? ', en retard' : ''}`,
    promises: 'Promesses faites aux clients',
    promise: (c, w, by) => `Dossier n° ${c}, ${w}${by ? `, ${by}` : ''}`,
    deadline: (w, d) => `échéance : ${w}${d ? ` (${d})` : ''}`,
    overdue: 'en retard',
    incidents: 'Incidents en cours',
    crisis: (t, s, e) => `Crise « ${t} », déclarée ${s}${e ? ', levée' : ''}`,
    alert: (k, s) => `Alerte de crise (${k}), ${s}`,
    incident: (t, st, n) =>
      `Incident « ${t} » (${{ open: 'ouvert', investigating: 'en cours d’analyse', fixed: 'corrigé' }[st] ?? st}), ${n} dossier(s) ici`,
    counts: (c) =>
      `Sur la période : ${c.received} messages reçus, ${c.answered} réponses envoyées, ${c.new_cases} nouveaux dossiers, ${c.resolved} résolus ; ${c.open} dossiers encore ouverts.`,
    none: 'Aucun.',
    colon: ' :',
    comment: 'Commentaire',
    open: 'Ouvrir la passation et en accuser réception',
    footer: 'Vous recevez ce courriel selon vos réglages de notification dans Passeur.',
  },
  de: {
    subject: (c, u) => `Schichtübergabe: ${c}, bis ${u}`,
    hello: (n) => `Hallo ${n},`,
    intro: (c, f, t, by) =>
      `${by ? `${by} hat die Schichtübergabe` : 'Hier ist die Schichtübergabe'} von ${c} für ${f} – ${t}${by ? ' veröffentlicht' : ''}.`,
    note: 'Notiz der abgebenden Schicht',
    cases: (o, b, r) => `Offene Fälle nach SLA-Risiko (${o} offen, ${b} überfällig, ${r} gefährdet)`,
    risk: {
      breached: (m) => `überfällig seit ${duration(m)}`,
      at_risk: (m) => `fällig in ${duration(m)}`,
      ok: (m) => `fällig in ${duration(m)}`,
      none: 'keine laufende Frist',
    },
    consults: 'Offene Rückfragen',
    consult: (id, c, e, d, o) => `Rückfrage #${id} (Fall #${c}) an ${e}, fällig ${d}${o ? ', überfällig' : ''}`,
    promises: 'Zusagen an Kunden',
    promise: (c, w, by) => `Fall #${c}, ${w}${by ? `, ${by}` : ''}`,
    deadline: (w, d) => `Frist: ${w}${d ? ` (${d})` : ''}`,
    overdue: 'überfällig',
    incidents: 'Laufende Vorfälle',
    crisis: (t, s, e) => `Krise „${t}“, ausgerufen ${s}${e ? ', beendet' : ''}`,
    alert: (k, s) => `Krisenalarm (${k}), ${s}`,
    incident: (t, st, n) =>
      `Vorfall „${t}“ (${{ open: 'offen', investigating: 'in Prüfung', fixed: 'behoben' }[st] ?? st}), ${n} Fall/Fälle hier`,
    counts: (c) =>
      `Im Zeitraum: ${c.received} Nachrichten erhalten, ${c.answered} Antworten gesendet, ${c.new_cases} neue Fälle, ${c.resolved} gelöst; ${c.open} Fälle noch offen.`,
    none: 'Keine.',
    colon: ':',
    comment: 'Kommentar',
    open: 'Übergabe öffnen und bestätigen',
    footer: 'Sie erhalten diese E-Mail aufgrund Ihrer Benachrichtigungseinstellungen in Passeur.',
  },
  it: {
    subject: (c, u) => `Passaggio di consegne: ${c}, fino alle ${u}`,
    hello: (n) => `Buongiorno ${n},`,
    intro: (c, f, t, by) => `${by ? `${by} ha pubblicato` : 'Ecco'} il passaggio di consegne di ${c} per ${f} – ${t}.`,
    note: 'Nota del turno uscente',
    cases: (o, b, r) => `Casi aperti per rischio SLA (${o} aperti, ${b} in ritardo, ${r} a rischio)`,
    risk: {
      breached: (m) => `in ritardo di ${duration(m)}`,
      at_risk: (m) => `scadenza tra ${duration(m)}`,
      ok: (m) => `scadenza tra ${duration(m)}`,
      none: 'nessuna scadenza in corso',
    },
    consults: 'Consulti in attesa',
    consult: (id, c, e, d, o) => `Consulto n. ${id} (caso n. ${c}) a ${e}, entro ${d}${o ? ', in ritardo' : ''}`,
    promises: 'Promesse fatte ai clienti',
    promise: (c, w, by) => `Caso n. ${c}, ${w}${by ? `, ${by}` : ''}`,
    deadline: (w, d) => `scadenza: ${w}${d ? ` (${d})` : ''}`,
    overdue: 'in ritardo',
    incidents: 'Incidenti in corso',
    crisis: (t, s, e) => `Crisi «${t}», dichiarata ${s}${e ? ', rientrata' : ''}`,
    alert: (k, s) => `Allerta di crisi (${k}), ${s}`,
    incident: (t, st, n) =>
      `Incidente «${t}» (${{ open: 'aperto', investigating: 'in analisi', fixed: 'risolto' }[st] ?? st}), ${n} casi qui`,
    counts: (c) =>
      `Nel periodo: ${c.received} messaggi ricevuti, ${c.answered} risposte inviate, ${c.new_cases} nuovi casi, ${c.resolved} risolti; ${c.open} casi ancora aperti.`,
    none: 'Nessuno.',
    colon: ':',
    comment: 'Commento',
    open: 'Apri il passaggio di consegne e confermalo',
    footer: 'Riceve questa e-mail in base alle sue impostazioni di notifica in Passeur.',
  },
};

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function formatter(locale: string, timezone: string, opts: Intl.DateTimeFormatOptions) {
  try {
    return new Intl.DateTimeFormat(locale, { ...opts, timeZone: timezone });
  } catch {
    return new Intl.DateTimeFormat('en', { ...opts, timeZone: 'UTC' });
  }
}

interface Section {
  title: string;
  /** Each item: its line, then the quoted text and the comment, if any. */
  items: { line: string; quote?: string | undefined; comment?: string | undefined }[];
}

export interface HandoverMailFacts {
  brief: BriefRow;
  communityName: string;
  byName: string | null;
  recipientName: string;
  locale: string;
  timezone: string;
}

export function composeHandoverEmail(
  f: HandoverMailFacts,
  publicUrl: string,
): { subject: string; text: string; html: string } {
  const s = STRINGS[languageOf(f.locale)];
  const dt = formatter(f.locale, f.timezone, { dateStyle: 'medium', timeStyle: 'short' });
  const time = formatter(f.locale, f.timezone, { timeStyle: 'short' });
  const when = (v: string | Date) => dt.format(typeof v === 'string' ? new Date(v) : v);
  const b = f.brief;
  const sections = editedSections(b, false);
  const counts = b.content.counts;
  const comment = (c: string | null) => (c ? `${s.comment}${s.colon} ${plainExcerpt(c, 500)}` : undefined);
  const list: Section[] = [
    {
      title: s.cases(counts.open, counts.breached, counts.at_risk),
      items: sections.cases.map((c) => ({
        line: `#${c.case_id} · ${
          c.risk === 'none' || c.minutes_left === null ? s.risk.none : s.risk[c.risk](c.minutes_left)
        }${c.assignee ? ` · ${c.assignee.name}` : ''}`,
        quote: c.subject ? plainExcerpt(c.subject, 140) : undefined,
        comment: comment(c.comment),
      })),
    },
    {
      title: s.consults,
      items: sections.consults.map((k) => ({
        line: s.consult(k.consult_id, k.case_id, k.expert, when(k.due_at), k.overdue),
        quote: plainExcerpt(k.question, 200),
        comment: comment(k.comment),
      })),
    },
    {
      title: s.promises,
      items: sections.promises.map((p) => ({
        line: `${s.promise(p.case_id, when(p.sent_at), p.author)}${
          p.deadline ? ` · ${s.deadline(p.deadline, p.due_at ? when(p.due_at) : '')}` : ''
        }${p.overdue ? ` · ${s.overdue}` : ''}`,
        quote: p.sentence,
        comment: comment(p.comment),
      })),
    },
    {
      title: s.incidents,
      items: sections.incidents.map((i) => ({
        line:
          i.kind === 'crisis'
            ? s.crisis(i.title, when(i.since), i.status !== 'active')
            : i.kind === 'incident'
              ? s.incident(i.title, i.status, i.cases ?? 0)
              : s.alert(i.title, when(i.since)),
        comment: comment(i.comment),
      })),
    },
  ];
  const url = `${publicUrl.replace(/\/+$/, '')}/handover/${b.id}`;
  const intro = s.intro(f.communityName, when(b.period_from), when(b.period_to), f.byName);
  const note = b.note.trim();

  const text: string[] = [s.hello(plainExcerpt(f.recipientName, 60)), '', intro, ''];
  if (note) text.push(`${s.note}${s.colon}`, note, '');
  for (const sec of list) {
    text.push(`${sec.title}${s.colon}`);
    if (sec.items.length === 0) text.push(`  ${s.none}`);
    for (const item of sec.items) {
      text.push(`- ${item.line}`);
      if (item.quote) text.push(`  "${item.quote}"`);
      if (item.comment) text.push(`  ${item.comment}`);
    }
    text.push('');
  }
  text.push(s.counts(counts), '', `${s.open}${s.colon} ${url}`, '', '-- ', s.footer);

  const e = escapeHtml;
  const html: string[] = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    `<p>${e(s.hello(plainExcerpt(f.recipientName, 60)))}</p>`,
    `<p>${e(intro)}</p>`,
  ];
  if (note) html.push(`<h3>${e(s.note)}</h3>`, `<p style="white-space: pre-wrap">${e(note)}</p>`);
  for (const sec of list) {
    html.push(`<h3>${e(sec.title)}</h3>`);
    if (sec.items.length === 0) html.push(`<p>${e(s.none)}</p>`);
    else {
      html.push('<ul>');
      for (const item of sec.items) {
        html.push(
          `<li>${e(item.line)}${item.quote ? `<br><q>${e(item.quote)}</q>` : ''}${
            item.comment ? `<br><em>${e(item.comment)}</em>` : ''
          }</li>`,
        );
      }
      html.push('</ul>');
    }
  }
  html.push(
    `<p>${e(s.counts(counts))}</p>`,
    `<p><a href="${e(url)}">${e(s.open)}</a></p>`,
    `<p style="color: #666">${e(s.footer)}</p>`,
    '</body></html>',
  );
  return {
    subject: `[Passeur] ${s.subject(f.communityName, time.format(b.period_to))}`,
    text: `${text.join('\n')}\n`,
    html: html.join('\n'),
  };
}

/**
 * The email of a `handover` notification, read from its brief in the mailer's transaction (the brief as it is
 * when the email leaves); undefined when the brief is gone.
 */
export async function handoverMail(
  db: Queryable,
  n: { data: Record<string, unknown>; name: string; locale: string; timezone: string },
  publicUrl: string,
): Promise<{ subject: string; text: string; html: string } | undefined> {
  const id = Number(n.data.handover_id);
  if (!Number.isSafeInteger(id)) return undefined;
  const r = await db.query<BriefRow & { community_name: string; community_timezone: string }>(
    `select b.*, cm.name as community_name, cm.timezone as community_timezone
     from handover_briefs b join communities cm on cm.id = b.community_id
     where b.id = $1`,
    [id],
  );
  const brief = r.rows[0];
  if (!brief) return undefined;
  const content = await withText(db, brief.content, brief.community_timezone);
  return composeHandoverEmail(
    {
      brief: { ...brief, id: Number(brief.id), content },
      communityName: brief.community_name,
      byName: typeof n.data.by_name === 'string' ? plainExcerpt(n.data.by_name, 60) : null,
      recipientName: n.name,
      locale: n.locale,
      timezone: n.timezone,
    },
    publicUrl,
  );
}

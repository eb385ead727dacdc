/**
 * Hand-written check messages, never used for training: they measure language, intent, topics,
 * urgency and sensitive flags in every language (tests and `npm run eval:triage`).
 * One line per message: `lang|intent|sentiment|main topic|urgency|sensitive flags|text`
 * (intent and sentiment codes as in airline.ts; `*` = not checked).
 */
export const CHECKS = `
en|q|-|delay|high|*|My flight to Boston is delayed 3 hours and I'll miss my connecting flight, what are my options?
en|c|-|baggage|*|*|You lost my suitcase in Frankfurt and nobody has called me back in five days
en|c|-|customer_service|*|*|Been on hold for 80 minutes, this is a joke
en|r|*|refund|*|*|Please refund my ticket, the flight was cancelled last week
en|s|*|*|*|*|You should let passengers pick their meal when they check in online
en|p|+|*|low|*|Huge thanks to the crew on this morning's flight to Rome, lovely people
en|q|0|baggage|*|*|What is the cabin bag size allowed on your regional flights?
en|c|-|onboard|*|*|The entertainment screen didn't work and the seat was filthy
en|c|-|delay|critical|safety|Stuck on the tarmac for 4 hours with no water and the toilets are overflowing
en|c|-|*|high|legal|My lawyer will be in touch, I'm taking you to small claims court
en|q|*|*|high|press|I'm a journalist at the Guardian writing a story about your cancellations, who can comment?
en|c|-|onboard|high|discrimination|The flight attendant refused to serve us and made racist comments
en|c|-|*|*|data_privacy|Your app showed me someone else's booking with their passport number. Data breach?
en|o|0|*|*|*|Flying to Lisbon on Friday
en|c|-|checkin|*|*|Online check-in keeps failing with an error and the counter queue is endless
fr|q|-|delay|high|*|Mon vol a 2 heures de retard, je vais rater ma correspondance pour Montréal, que dois-je faire ?
fr|c|-|baggage|*|*|Vous avez perdu ma valise et personne ne répond au téléphone, c'est inadmissible
fr|c|-|customer_service|*|*|Une heure d'attente au service client pour finalement être raccroché
fr|r|*|refund|*|*|Merci de me rembourser mon billet, le vol a été annulé
fr|s|*|*|*|*|Ce serait bien de pouvoir choisir son repas au moment de la réservation
fr|p|+|*|low|*|Un grand merci à l'équipage du vol de ce matin, vraiment adorables
fr|q|0|baggage|*|*|Quelle est la taille maximale du bagage cabine ?
fr|c|-|delay|critical|safety|Bloqués dans l'avion sur le tarmac depuis trois heures sans eau ni clim
fr|c|-|*|high|legal|Je vais porter plainte et saisir mon avocat
fr|o|0|*|*|*|Je pars à Lisbonne vendredi
de|q|-|delay|high|*|Mein Flug hat 3 Stunden Verspätung, ich verpasse meinen Anschlussflug, was nun?
de|c|-|baggage|*|*|Mein Koffer ist seit einer Woche verschwunden und niemand meldet sich
de|c|-|customer_service|*|*|Seit einer Stunde in der Warteschleife, unglaublich
de|r|*|refund|*|*|Bitte erstatten Sie mir den Ticketpreis, der Flug wurde gestrichen
de|s|*|*|*|*|Ihr solltet die Sitzplatzwahl beim Online-Check-in kostenlos machen
de|p|+|*|low|*|Vielen Dank an die freundliche Crew auf dem Flug nach Wien
de|q|0|baggage|*|*|Wie schwer darf das Handgepäck sein?
de|c|-|delay|critical|safety|Wir sitzen seit vier Stunden ohne Wasser auf dem Rollfeld fest
de|c|-|*|high|legal|Ich werde meinen Anwalt einschalten und Sie verklagen
de|o|0|*|*|*|Ich fliege am Freitag nach Lissabon
it|q|-|delay|high|*|Il mio volo ha 3 ore di ritardo e perderò la coincidenza, cosa devo fare?
it|c|-|baggage|*|*|Avete perso la mia valigia e nessuno risponde, vergognoso
it|c|-|customer_service|*|*|Un'ora in attesa con il servizio clienti e poi hanno riattaccato
it|r|*|refund|*|*|Vi chiedo il rimborso del biglietto, il volo è stato cancellato
it|s|*|*|*|*|Sarebbe utile poter scegliere il posto gratis durante il check-in online
it|p|+|*|low|*|Grazie mille all'equipaggio del volo per Parigi, bravissimi
it|q|0|baggage|*|*|Quanto può pesare il bagaglio a mano?
it|c|-|delay|critical|safety|Siamo bloccati sulla pista da due ore senza acqua
it|c|-|*|high|legal|Mi rivolgerò al mio avvocato per fare causa
it|o|0|*|*|*|Venerdì volo a Lisbona
es|q|-|delay|high|*|Mi vuelo tiene 3 horas de retraso y voy a perder la conexión, ¿qué hago?
es|c|-|baggage|*|*|Habéis perdido mi maleta y nadie contesta, una vergüenza
es|c|-|customer_service|*|*|Una hora esperando al teléfono y luego me colgaron
es|r|*|refund|*|*|Solicito el reembolso de mi billete, el vuelo fue cancelado
es|s|*|*|*|*|Deberían dejar elegir asiento gratis al hacer el check-in online
es|p|+|*|low|*|Muchas gracias a la tripulación del vuelo a Roma, encantadores
es|q|0|baggage|*|*|¿Cuánto puede pesar el equipaje de mano?
es|c|-|delay|critical|safety|Llevamos dos horas atrapados en la pista sin agua
es|c|-|*|high|legal|Voy a hablar con mi abogado y os voy a denunciar
es|o|0|*|*|*|El viernes vuelo a Lisboa
nl|*|*|*|*|*|Mijn vlucht naar Amsterdam heeft drie uur vertraging en niemand vertelt ons iets
nl|*|*|*|*|*|Bedankt voor de geweldige service aan boord, tot de volgende keer!
nl|*|*|*|*|*|Waar is mijn koffer? Ik wacht al twee dagen op een antwoord
pt|*|*|*|*|*|O meu voo para Lisboa está atrasado há três horas e ninguém nos diz nada
pt|*|*|*|*|*|Muito obrigado pelo excelente atendimento, voltarei a voar convosco
pt|*|*|*|*|*|Perderam a minha mala e ninguém responde aos meus e-mails
`;

export interface Check {
  lang: string;
  intent?: string;
  sentiment?: string;
  topic?: string;
  urgency?: string;
  sensitive?: string;
  text: string;
}

const I: Record<string, string> = {
  q: 'question',
  c: 'complaint',
  r: 'request',
  s: 'suggestion',
  p: 'praise',
  o: 'other',
};
const S: Record<string, string> = { '-': 'negative', '0': 'neutral', '+': 'positive' };

export function parseChecks(block: string = CHECKS): Check[] {
  const out: Check[] = [];
  for (const line of block.split('\n')) {
    const s = line.trim();
    if (!s) continue;
    const [lang, intent, sentiment, topic, urgency, sensitive, ...rest] = s.split('|');
    const c: Check = { lang: lang!, text: rest.join('|') };
    if (intent && intent !== '*') c.intent = I[intent] ?? intent;
    if (sentiment && sentiment !== '*') c.sentiment = S[sentiment] ?? sentiment;
    if (topic && topic !== '*') c.topic = topic;
    if (urgency && urgency !== '*') c.urgency = urgency;
    if (sensitive && sensitive !== '*') c.sensitive = sensitive;
    out.push(c);
  }
  return out;
}

/**
 * Canned replies and crisis holding statements of the AirSocial demo organization. Bodies use the reply variables
 * `{{contact.name}}`, `{{case.id}}` and `{{agent.name}}`.
 */
export interface CannedReply {
  title: string;
  body: string;
}

export const DEMO_CANNED_REPLIES: Readonly<Record<'fr' | 'de' | 'it' | 'en', readonly CannedReply[]>> = {
  fr: [
    {
      title: 'retard + correspondance',
      body: 'Bonjour {{contact.name}}, nous sommes désolés pour ce retard. Pouvez-vous nous envoyer votre référence de réservation en message privé ? Nous vérifions tout de suite votre correspondance et vous proposons une solution. Dossier {{case.id}} – {{agent.name}}',
    },
    {
      title: 'vol annulé – replacement',
      body: 'Bonjour {{contact.name}}, votre vol a malheureusement été annulé. Nous pouvons vous replacer sur le prochain vol disponible ou vous rembourser : envoyez-nous votre référence en DM et dites-nous ce que vous préférez. Dossier {{case.id}} – {{agent.name}}',
    },
    {
      title: 'bagage retardé',
      body: 'Bonjour {{contact.name}}, navrés pour votre bagage. Avec le numéro de dossier remis à l’aéroport (ex. GVAAS12345), nous suivons sa localisation et organisons la livraison à l’adresse de votre choix. Dossier {{case.id}} – {{agent.name}}',
    },
    {
      title: 'remboursement – délai',
      body: 'Bonjour {{contact.name}}, votre demande de remboursement est bien enregistrée. Le versement sur le moyen de paiement initial prend en général 7 à 10 jours ouvrables. Nous surveillons votre dossier {{case.id}}. – {{agent.name}}',
    },
    {
      title: 'enregistrement en ligne',
      body: 'Bonjour {{contact.name}}, l’enregistrement en ligne ouvre 30 h avant le départ et ferme 1 h avant, sur notre site ou dans l’application. En cas d’erreur, envoyez-nous votre référence en DM. Dossier {{case.id}} – {{agent.name}}',
    },
    {
      title: 'assistance PMR',
      body: 'Bonjour {{contact.name}}, merci de nous avoir prévenus. Nous confirmons l’assistance à chaque étape, correspondance comprise, et informons l’escale et l’équipage. Envoyez-nous votre référence en DM pour que nous vérifiions tout. Dossier {{case.id}} – {{agent.name}}',
    },
    {
      title: 'demande presse',
      body: 'Bonjour {{contact.name}}, merci pour votre message. Les demandes des médias sont traitées par notre service de presse, qui vous recontacte très vite. Pouvez-vous nous laisser votre adresse e-mail et votre délai en DM ? Réf. {{case.id}} – {{agent.name}}',
    },
    {
      title: 'merci pour votre message',
      body: 'Merci beaucoup {{contact.name}} pour ce joli message ! Nous transmettons vos compliments à l’équipe. À bientôt à bord ✈️ – {{agent.name}}',
    },
  ],
  de: [
    {
      title: 'Verspätung + Anschluss',
      body: 'Hallo {{contact.name}}, die Verspätung tut uns leid. Schicken Sie uns bitte Ihre Buchungsnummer per DM, dann prüfen wir Ihren Anschlussflug sofort und suchen eine Lösung. Fall {{case.id}} – {{agent.name}}',
    },
    {
      title: 'Flug annulliert – Umbuchung',
      body: 'Hallo {{contact.name}}, Ihr Flug wurde leider annulliert. Wir können Sie auf den nächsten freien Flug umbuchen oder den Ticketpreis erstatten. Senden Sie uns Ihre Buchungsnummer per DM und Ihren Wunsch. Fall {{case.id}} – {{agent.name}}',
    },
    {
      title: 'Gepäck verloren',
      body: 'Hallo {{contact.name}}, es tut uns leid, dass Ihr Gepäck nicht angekommen ist. Mit dem Aktenzeichen vom Flughafen (z. B. ZRHAS12345) verfolgen wir den Koffer und organisieren die Zustellung an Ihre Wunschadresse. Fall {{case.id}} – {{agent.name}}',
    },
    {
      title: 'Erstattung – Dauer',
      body: 'Hallo {{contact.name}}, Ihr Erstattungsantrag ist bei uns eingegangen. Die Gutschrift auf das ursprüngliche Zahlungsmittel dauert in der Regel 7 bis 10 Arbeitstage. Wir behalten Fall {{case.id}} im Auge. – {{agent.name}}',
    },
    {
      title: 'Online-Check-in',
      body: 'Hallo {{contact.name}}, der Online-Check-in öffnet 30 Stunden vor Abflug und schliesst 1 Stunde vorher, auf der Webseite oder in der App. Bei einer Fehlermeldung schicken Sie uns bitte Ihre Buchungsnummer per DM. Fall {{case.id}} – {{agent.name}}',
    },
    {
      title: 'Assistenz für Reisende mit eingeschränkter Mobilität',
      body: 'Hallo {{contact.name}}, danke für den Hinweis. Wir bestätigen die Begleitung auf jeder Etappe inklusive Umsteigen und informieren Station und Crew. Bitte senden Sie uns Ihre Buchungsnummer per DM. Fall {{case.id}} – {{agent.name}}',
    },
    {
      title: 'Medienanfrage',
      body: 'Guten Tag {{contact.name}}, danke für Ihre Anfrage. Medienanfragen beantwortet unsere Medienstelle, die sich rasch bei Ihnen meldet. Hinterlassen Sie uns bitte Ihre E-Mail-Adresse und Ihren Redaktionsschluss per DM. Ref. {{case.id}} – {{agent.name}}',
    },
    {
      title: 'Danke für das Lob',
      body: 'Vielen Dank {{contact.name}} für die netten Worte! Wir geben das Lob gerne an die Crew weiter. Bis bald an Bord ✈️ – {{agent.name}}',
    },
  ],
  it: [
    {
      title: 'ritardo + coincidenza',
      body: 'Buongiorno {{contact.name}}, ci scusiamo per il ritardo. Può inviarci il codice di prenotazione in privato? Verifichiamo subito la sua coincidenza e le proponiamo una soluzione. Pratica {{case.id}} – {{agent.name}}',
    },
    {
      title: 'volo cancellato – riprotezione',
      body: 'Buongiorno {{contact.name}}, purtroppo il suo volo è stato cancellato. Possiamo riproteggerla sul primo volo disponibile oppure rimborsarla: ci mandi il codice di prenotazione in DM e ci dica cosa preferisce. Pratica {{case.id}} – {{agent.name}}',
    },
    {
      title: 'bagaglio in ritardo',
      body: 'Buongiorno {{contact.name}}, ci dispiace per il bagaglio. Con il numero di pratica ricevuto in aeroporto (es. MXPAS12345) seguiamo la valigia e organizziamo la consegna all’indirizzo che preferisce. Pratica {{case.id}} – {{agent.name}}',
    },
    {
      title: 'rimborso',
      body: 'Buongiorno {{contact.name}}, la sua richiesta di rimborso è registrata. L’accredito sul metodo di pagamento originale richiede di solito da 7 a 10 giorni lavorativi. Seguiamo noi la pratica {{case.id}}. – {{agent.name}}',
    },
    {
      title: 'check-in online',
      body: 'Buongiorno {{contact.name}}, il check-in online apre 30 ore prima della partenza e chiude 1 ora prima, sul sito o nell’app. Se compare un errore, ci mandi il codice di prenotazione in DM. Pratica {{case.id}} – {{agent.name}}',
    },
    {
      title: 'assistenza PRM',
      body: 'Buongiorno {{contact.name}}, grazie per averci avvisato. Confermiamo l’assistenza in ogni tratta, coincidenza compresa, e informiamo scalo ed equipaggio. Ci mandi il codice di prenotazione in DM per le verifiche. Pratica {{case.id}} – {{agent.name}}',
    },
    {
      title: 'richiesta stampa',
      body: 'Buongiorno {{contact.name}}, grazie per il messaggio. Le richieste dei media sono gestite dal nostro ufficio stampa, che la ricontatterà a breve. Ci lasci in DM la sua e-mail e la scadenza. Rif. {{case.id}} – {{agent.name}}',
    },
    {
      title: 'grazie per il messaggio',
      body: 'Grazie mille {{contact.name}} per le belle parole! Le giriamo volentieri all’equipaggio. A presto a bordo ✈️ – {{agent.name}}',
    },
  ],
  en: [
    {
      title: 'delay + connection',
      body: 'Hi {{contact.name}}, we’re sorry about the delay. Could you DM us your booking reference? We’ll check your connection straight away and find you a solution. Case {{case.id}} – {{agent.name}}',
    },
    {
      title: 'cancelled flight – rebooking',
      body: 'Hi {{contact.name}}, unfortunately your flight has been cancelled. We can rebook you on the next available flight or refund your ticket: DM us your booking reference and let us know which you prefer. Case {{case.id}} – {{agent.name}}',
    },
    {
      title: 'delayed baggage',
      body: 'Hi {{contact.name}}, we’re sorry your bag didn’t arrive. With the file number you got at the airport (e.g. GVAAS12345) we can trace it and arrange delivery to the address of your choice. Case {{case.id}} – {{agent.name}}',
    },
    {
      title: 'refund timing',
      body: 'Hi {{contact.name}}, your refund request has been received. Refunds to the original payment method usually take 7 to 10 working days. We’re keeping an eye on case {{case.id}}. – {{agent.name}}',
    },
    {
      title: 'online check-in',
      body: 'Hi {{contact.name}}, online check-in opens 30 hours before departure and closes 1 hour before, on our website or app. If you get an error, please DM us your booking reference. Case {{case.id}} – {{agent.name}}',
    },
    {
      title: 'reduced mobility assistance',
      body: 'Hi {{contact.name}}, thanks for letting us know. We’ll confirm assistance on every leg, including your connection, and brief the station and crew. Please DM us your booking reference so we can check everything. Case {{case.id}} – {{agent.name}}',
    },
    {
      title: 'media enquiry',
      body: 'Hello {{contact.name}}, thank you for reaching out. Media enquiries are handled by our press office, who will get back to you shortly. Could you DM us your email address and deadline? Ref {{case.id}} – {{agent.name}}',
    },
    {
      title: 'thanks for the kind words',
      body: 'Thank you so much {{contact.name}}, that’s lovely to hear! We’ll pass your kind words on to the team. See you on board soon ✈️ – {{agent.name}}',
    },
  ],
};

/** First replies during a volcanic-ash-cloud disruption, before individual follow-up. */
export const DEMO_HOLDING_STATEMENTS: Readonly<Record<'fr' | 'de' | 'it' | 'en', CannedReply>> = {
  fr: {
    title: 'nuage de cendres – message d’attente',
    body: 'Bonjour {{contact.name}}, en raison du nuage de cendres volcaniques, une partie de nos vols est annulée ou retardée sur décision des autorités de l’aviation. Votre sécurité passe avant tout. Vous pouvez changer de date sans frais ou demander le remboursement sur airsocial.example/volcan. Les bons d’hôtel et de repas sont remis aux comptoirs AirSocial. Nous revenons vers vous personnellement dès que possible. Dossier {{case.id}} – {{agent.name}}',
  },
  de: {
    title: 'Aschewolke – Erstinformation',
    body: 'Hallo {{contact.name}}, wegen der Vulkanaschewolke sind auf Anordnung der Luftfahrtbehörden viele unserer Flüge annulliert oder verspätet. Ihre Sicherheit hat Vorrang. Sie können kostenlos umbuchen oder eine Erstattung beantragen unter airsocial.example/vulkan. Hotel- und Essensgutscheine erhalten Sie an den AirSocial-Schaltern. Wir melden uns so bald wie möglich persönlich bei Ihnen. Fall {{case.id}} – {{agent.name}}',
  },
  it: {
    title: 'nube di cenere – messaggio di attesa',
    body: 'Buongiorno {{contact.name}}, a causa della nube di cenere vulcanica parte dei nostri voli è cancellata o in ritardo su disposizione delle autorità aeronautiche. La sua sicurezza viene prima di tutto. Può cambiare data senza penali o chiedere il rimborso su airsocial.example/vulcano. I voucher per hotel e pasti vengono consegnati ai banchi AirSocial. La ricontattiamo personalmente appena possibile. Pratica {{case.id}} – {{agent.name}}',
  },
  en: {
    title: 'ash cloud – holding statement',
    body: 'Hi {{contact.name}}, due to the volcanic ash cloud, many of our flights are cancelled or delayed on the instructions of the aviation authorities. Your safety comes first. You can change your date free of charge or request a refund at airsocial.example/volcano. Hotel and meal vouchers are available at AirSocial desks. We’ll get back to you personally as soon as we can. Case {{case.id}} – {{agent.name}}',
  },
};

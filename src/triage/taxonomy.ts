/**
 * An organization's taxonomy, as data: its topics (with multilingual keywords), its teams and the rules
 * that suggest a team from the triage. The default is the airline demo taxonomy.
 */
import { AIRLINE_TOPICS } from './types.ts';

export interface TaxonomyTopic {
  id: string;
  /** Keywords per language (ISO 639-1 or `*`): `|`-separated, `stem*` prefixes, phrases allowed. */
  keywords: Partial<Record<string, string>>;
  /** Team that owns this topic when no rule says otherwise. */
  team?: string;
  /** Strength of the keywords (default 1): specific topics weigh more than generic ones. */
  weight?: number;
  /** Prior offset of the topic (default 0; negative = needs more evidence). */
  bias?: number;
}

/**
 * A team rule: every condition given must hold (a list matches when any of its items matches).
 * Rules are tried in order; the first that matches suggests its team.
 */
export interface TeamRule {
  team: string;
  sensitive?: string[];
  intents?: string[];
  /** Main topic. */
  topics?: string[];
  /** Cue categories that must all be present (e.g. `defect`, `recurring`). */
  cues?: string[];
  sentiments?: string[];
  urgencies?: string[];
  /** Why, shown in explanations. */
  reason: string;
}

export interface Taxonomy {
  name: string;
  topics: TaxonomyTopic[];
  teams: string[];
  defaultTeam: string;
  teamRules: TeamRule[];
  /**
   * Topic given to a complaint that names no topic (airline: customer_service, the largest class of
   * unspecified complaints). Omit to leave such messages without topic.
   */
  complaintFallbackTopic?: string;
  /** Topics shown only when nothing else matched (e.g. `other`). */
  catchAllTopic?: string;
}

export const TEAMS = ['customer_care', 'marketing', 'innovation', 'quality', 'crisis_cell'] as const;

export const DEFAULT_TEAM_RULES: TeamRule[] = [
  { team: 'crisis_cell', sensitive: ['crisis', 'safety', 'death_injury'], reason: 'crisis or safety signal' },
  { team: 'crisis_cell', urgencies: ['critical'], reason: 'critical urgency' },
  { team: 'customer_care', sensitive: ['legal', 'press', 'discrimination', 'data_privacy'], reason: 'sensitive case' },
  { team: 'innovation', intents: ['suggestion'], reason: 'suggestion' },
  { team: 'quality', cues: ['defect', 'recurring'], reason: 'recurring defect' },
  { team: 'quality', topics: ['onboard'], intents: ['complaint'], cues: ['defect'], reason: 'onboard defect' },
  { team: 'marketing', intents: ['praise'], reason: 'praise' },
  { team: 'marketing', sentiments: ['positive'], intents: ['other'], reason: 'positive mention' },
];

const AIRLINE_KEYWORDS: Record<(typeof AIRLINE_TOPICS)[number], Partial<Record<string, string>>> = {
  delay: {
    en: 'delay|delays|delayed|delaying|flightdelay*|late flight|late|later|lateness|running late|hours late|hrs late|hour late|minutes late|mins late|hour delay|hours delay|hr delay|hrs delay|behind schedule|still at the gate|still on the ground|still sitting|sitting at the gate|sat at the gate|held at gate|ground stop|waiting to take off|waiting to depart|hasn t left|hasnt left|not departed|haven t left|havent left|pushed back to|new departure time|departure time|rescheduled|re scheduled|stuck on the plane|stuck on the tarmac|on the tarmac|tarmac|waiting on the plane|waiting for a pilot|waiting for the crew|no crew|no pilot|late departure|late arrival|take off|takeoff|leave the gate|get a gate|waiting for a gate|on time|ontime|eta|mechanical|maintenance|de icing|deicing|weather delay|~waiting|~wait|~sitting|~stuck|~stranded|~hours|~hrs|~minutes|~mins|~still|instead of|time change|time changes|times changed|keeps changing|no movement|haven t taken off|havent taken off|still haven t taken off|taken off|refuel*|sit in this plane|sitting on the plane|holding the plane|hold the plane|hold the connecting|missed connection|missed connections|missed my connection|miss my connection|missed our connection|missing our connecting flight|miss my connecting flight|missed my connecting flight|supposed to leave|supposed to depart|supposed to land|supposed to arrive|was due to|originally scheduled|won t leave until|wont leave until|runway|departed late|~ordeal|~been in|~all night',
    fr: 'retard|retards|retardé|retardée|en retard|h de retard|heures de retard|minutes de retard|départ repoussé|décalé|décalage|toujours pas décollé|pas encore décollé|toujours à la porte|heure de départ|ponctualité|à l heure|attente à bord|problème technique|maintenance|équipage absent|on attend l équipage|tarmac|sur le tarmac|sur la piste|dans l avion depuis|on attend dans l avion|départ reporté|reporté|~heures|~depuis|~attend|~attente',
    de: 'verspätung|verspätungen|verspätet|verspätete|verzögerung|verzögert|zu spät|später|abflug verschoben|verschoben|immer noch am gate|noch nicht gestartet|noch nicht abgeflogen|abflugzeit|pünktlich|pünktlichkeit|warten auf die crew|technisches problem|technische probleme|wartung|std verspätung|stunden verspätung|rollfeld|auf dem rollfeld|im flugzeug fest|sitzen im flugzeug|~stunden|~seit|~warten|~sitzen',
    it: 'ritardo|ritardi|in ritardo|ritardato|ritardata|ore di ritardo|minuti di ritardo|posticipato|posticipata|rinviato|spostato|ancora al gate|non siamo ancora partiti|non ancora decollato|orario di partenza|puntuale|puntualità|attesa a bordo|problema tecnico|guasto tecnico|manutenzione|aspettiamo l equipaggio|pista|sulla pista|in orario|partenza spostata|spostata|seduti sull aereo|~ore|~da ore|~aspettiamo|~attesa',
    es: 'retraso|retrasos|retrasado|retrasada|con retraso|horas de retraso|minutos de retraso|demora|demorado|demorada|aplazado|pospuesto|todavía en la puerta|no hemos despegado|aún no ha salido|hora de salida|puntual|puntualidad|espera a bordo|problema técnico|mantenimiento|esperando a la tripulación|pista|en la pista|a su hora|salida cambiada|cambiada|sentados en el avión|~horas|~llevamos|~esperando|~espera',
    nl: 'vertraging|vertraagd|te laat|later',
    pt: 'atraso|atrasado|atrasada|atrasos',
  },
  cancellation: {
    en: 'cancel|cancels|cancelled|canceled|cancelling|canceling|cancellation|cancellations|cancelled flight|cancelled flightled|cancelled flighted|canceled flight|flight cancelled|flight canceled|scrapped|rebook|rebooked|rebooking|re book|re booked|no other flight|next available flight|put me on another flight|~another flight|~flight tomorrow|~until tomorrow|~tomorrow morning|~overnight|~hotel|~hotel voucher|~accommodation*|~stranded overnight|~no flights',
    fr: 'annulé|annulée|annulés|annulées|annulation|annulations|vol annulé|vol supprimé|supprimé|supprimée|reprogrammé|replacé|replacer|reprotégé|reprotection|prochain vol disponible|autre vol',
    de: 'annulliert|annullierung|storniert|stornierung|gestrichen|flug gestrichen|flug annulliert|ausgefallen|ausfall|flugausfall|umgebucht|umbuchen|umbuchung|nächster flug|anderen flug|ersatzflug',
    it: 'cancellato|cancellata|cancellati|cancellazione|cancellazioni|annullato|annullata|annullati|volo cancellato|volo annullato|soppresso|soppressa|riprotetto|riprotezione|riprogrammato|prossimo volo|altro volo|volo alternativo',
    es: 'cancelado|cancelada|cancelados|canceladas|cancelación|cancelaciones|vuelo cancelado|anulado|anulada|suprimido|reprogramado|reubicado|reubicar|próximo vuelo|otro vuelo|vuelo alternativo',
    nl: 'geannuleerd|annulering|vlucht geannuleerd',
    pt: 'cancelado|cancelada|cancelamento|voo cancelado',
  },
  baggage: {
    en: 'bag|bags|baggage|luggage|suitcase|suitcases|lost bag|lost luggage|lost my bag|lost my luggage|delayed bag|delayed baggage|missing bag|missing luggage|damaged bag|damaged suitcase|broken suitcase|broke my suitcase|baggage claim|carousel|~belt|checked bag|checked bags|carry on|carryon|~overhead bin|~bin space|gate check|gate checked|stroller|car seat|golf clubs|skis|guitar|~instrument|baggage fee|bag fee|bags fee|lost and found|~file a claim|pir|my bag|my luggage|belongings|lost item|left my',
    fr: 'bagage|bagages|valise|valises|sac|sacs|bagage perdu|bagages perdus|valise perdue|valise cassée|valise abîmée|valise endommagée|bagage endommagé|bagage retardé|tapis|tapis à bagages|livraison des bagages|bagage en soute|soute|bagage cabine|bagage à main|coffre à bagages|poussette|siège auto|instrument|frais de bagage|objets trouvés|déclaration de perte|pir|où est ma valise|ma valise|mes bagages',
    de: 'gepäck|gepäckstück|gepäckstücke|koffer|tasche|taschen|gepäck verloren|koffer verloren|koffer weg|gepäck weg|verlorenes gepäck|verlorener koffer|koffer beschädigt|beschädigter koffer|gepäck beschädigt|verspätetes gepäck|gepäckband|band|aufgegebenes gepäck|handgepäck|gepäckfach|kinderwagen|kindersitz|instrument|gepäckgebühr|fundbüro|verlustmeldung|pir|wo ist mein koffer|mein koffer|mein gepäck',
    it: 'bagaglio|bagagli|valigia|valigie|borsa|borse|bagaglio perso|bagagli persi|valigia persa|valigia rotta|valigia danneggiata|bagaglio danneggiato|bagaglio in ritardo|nastro|nastro bagagli|ritiro bagagli|bagaglio da stiva|stiva|bagaglio a mano|cappelliera|passeggino|seggiolino|strumento|costo bagaglio|oggetti smarriti|smarrito|smarrita|denuncia di smarrimento|pir|dov è la mia valigia|la mia valigia|i miei bagagli',
    es: 'equipaje|equipajes|maleta|maletas|bolsa|bolso|equipaje perdido|maleta perdida|maletas perdidas|maleta rota|maleta dañada|equipaje dañado|equipaje retrasado|cinta|cinta de equipaje|recogida de equipaje|equipaje facturado|bodega|equipaje de mano|compartimento superior|cochecito|carrito de bebé|silla de coche|instrumento|tarifa de equipaje|objetos perdidos|extraviad*|reclamación de equipaje|pir|dónde está mi maleta|mi maleta|mi equipaje',
    nl: 'bagage|koffer|koffers|tas|bagage kwijt|koffer kwijt',
    pt: 'bagagem|bagagens|mala|malas|bagagem perdida|mala perdida|extraviad*',
  },
  booking: {
    en: 'booking|book|booked|reservation|reservations|confirmation|confirmation number|confirmation code|itinerary|ticket|tickets|ticketing|e ticket|eticket|change my flight|change flight|change fee|change fees|flight change|name change|seat assignment|assign seats|seat selection|select seats|seats together|sit together|~upgrade|~website|~site|~online|~app|award ticket|award flight|fare|fares|~price|~pricing|~charged|double charged|charged twice|~payment|~pay|~paid|credit card|~voucher|travel credit|companion|~standby|waitlist|modify|reissue|pnr|record locator|schedule change|overbook*|flight booking problems|~change|pick a seat|select a seat|choose a seat|~passport details',
    fr: 'réservation|réservations|réserver|réservé|réservée|billet|billets|e billet|confirmation|numéro de réservation|dossier|itinéraire|changer mon vol|changement de vol|modifier|modification|frais de modification|changement de nom|choix du siège|siège|sièges|places côte à côte|surclassement|site|site web|site internet|en ligne|application|appli|tarif|tarifs|prix|payé|paiement|carte bancaire|débité|bon d achat|avoir|liste d attente|code de réservation|pnr|choisir des sièges|choisir son siège|choix des sièges|~appli|~application|payer|~site',
    de: 'buchung|buchungen|buchen|gebucht|reservierung|reservieren|ticket|tickets|flugticket|bestätigung|buchungsnummer|buchungscode|reiseplan|flug ändern|umbuchungsgebühr|änderungsgebühr|namensänderung|sitzplatz|sitzplatzreservierung|sitzplatzwahl|nebeneinander sitzen|upgrade|webseite|website|online|app|prämienflug|meilenticket|tarif|preis|preise|bezahlt|zahlung|kreditkarte|abgebucht|gutschein|warteliste|pnr|sitzplatz wählen|sitzplätze|~app|bezahlen|~webseite',
    it: 'prenotazione|prenotazioni|prenotare|prenotato|prenotata|biglietto|biglietti|conferma|codice di prenotazione|codice pnr|itinerario|cambiare il volo|cambio volo|modifica|penale|cambio nome|posto|posti|scelta del posto|posti vicini|upgrade|sito|sito web|online|app|biglietto premio|tariffa|tariffe|prezzo|prezzi|pagato|pagamento|carta di credito|addebito|voucher|lista d attesa|pnr|scegliere il posto|scegliere i posti|~app|pagare|~sito',
    es: 'reserva|reservas|reservar|reservado|reservada|billete|billetes|boleto|boletos|confirmación|código de reserva|localizador|itinerario|cambiar mi vuelo|cambio de vuelo|modificar|modificación|cargo por cambio|cambio de nombre|asiento|asientos|selección de asiento|asientos juntos|upgrade|web|página web|online|en línea|app|billete premio|tarifa|tarifas|precio|precios|pagado|pago|tarjeta de crédito|cobro|cobraron|bono|lista de espera|pnr|elegir asiento|elegir asientos|~app|pagar|~web',
    nl: 'boeking|reservering|ticket|tickets|stoel',
    pt: 'reserva|bilhete|bilhetes|passagem|passagens|assento',
  },
  refund: {
    en: 'refund|refunds|refunded|refunding|reimburse|reimbursed|reimbursement|money back|my money|compensation|compensate|compensated|eu261|ec261|~claim|~claims|chargeback|credit back|~expense|~expenses|~receipts',
    fr: 'remboursement|remboursements|rembourser|remboursé|remboursée|remboursez|indemnisation|indemniser|indemnité|dédommagement|dédommager|compensation|mon argent|récupérer mon argent|réclamation|ce261|frais d hôtel|justificatifs|factures|avoir au lieu',
    de: 'erstattung|rückerstattung|erstatten|erstattet|rückzahlung|geld zurück|mein geld|entschädigung|entschädigen|ausgleichszahlung|ausgleich|anspruch|eu261|fluggastrechte|hotelkosten|belege|quittungen|gutschein statt',
    it: 'rimborso|rimborsi|rimborsare|rimborsato|rimborsata|rimborsatemi|indennizzo|risarcimento|risarcire|compensazione|i miei soldi|soldi indietro|reclamo|ce261|spese|spese hotel|ricevute|voucher invece',
    es: 'reembolso|reembolsos|reembolsar|reembolsado|reembolsada|devolución|devolver el dinero|mi dinero|indemnización|indemnizar|compensación|compensar|reclamación|ce261|gastos|gastos de hotel|recibos|facturas|bono en lugar',
    nl: 'terugbetaling|geld terug|compensatie|vergoeding',
    pt: 'reembolso|devolução|indenização|compensação|meu dinheiro',
  },
  checkin: {
    en: 'check in|checkin|checked in|online check in|mobile check in|boarding pass|boarding passes|mobile boarding pass|kiosk|kiosks|bag drop|~counter|check in counter|~security|tsa|precheck|pre check|~passport|~visa|~documents|~boarding|boarding group|~boarded|~gate agent|gate change|~gate|priority boarding|denied boarding|bumped|oversold|standby list|check in open|check in opens',
    fr: 'enregistrement|enregistrer|s enregistrer|enregistré|carte d embarquement|cartes d embarquement|borne|bornes|dépose bagages|comptoir|guichet|sécurité|contrôle de sécurité|passeport|visa|pièce d identité|documents|embarquement|embarquer|porte d embarquement|~porte|changement de porte|embarquement prioritaire|refus d embarquement|surbooking|surréservation',
    de: 'check in|einchecken|eingecheckt|online check in|bordkarte|bordkarten|boardingpass|automat|automaten|gepäckabgabe|schalter|check in schalter|sicherheitskontrolle|sicherheit|reisepass|pass|visum|ausweis|dokumente|boarding|einsteigen|gate|gatewechsel|priority boarding|beförderung verweigert|nicht mitgenommen|überbucht|überbuchung',
    it: 'check in|checkin|fare il check in|carta d imbarco|carte d imbarco|totem|chiosco|drop off|banco|banco check in|sicurezza|controlli di sicurezza|passaporto|visto|documento|documenti|imbarco|imbarcare|gate|cambio gate|imbarco prioritario|negato l imbarco|imbarco negato|overbooking',
    es: 'check in|facturar|facturación|tarjeta de embarque|tarjetas de embarque|pase de abordar|quiosco|mostrador|control de seguridad|seguridad|pasaporte|visado|visa|dni|documentación|embarque|embarcar|abordar|puerta|puerta de embarque|cambio de puerta|embarque prioritario|denegado el embarque|embarque denegado|overbooking|sobreventa',
    nl: 'inchecken|boardingpass|instapkaart|gate',
    pt: 'check in|cartão de embarque|embarque|portão',
  },
  onboard: {
    en: '~seat|~seats|legroom|leg room|recline|cramped|flight attendant|flight attendants|fa|fas|stewardess|steward|~crew|cabin crew|~pilot|~captain|food|meal|meals|snack|snacks|drink|drinks|~water|coffee|beverage|wifi|wi fi|~internet|entertainment|movie|movies|~tv|directtv|direct tv|~screen|headphones|power outlet|outlet|charger|blanket|toilet|toilets|lavatory|bathroom|cabin|~aircraft|~plane|air conditioning|~ac|hot plane|cold plane|smell|smells|dirty|filthy|turbulence|~landing|first class|business class|~economy|premium|~comfort|~comfortable|uncomfortable|bad flight|worst flight|crying baby|armrest|tray table|noisy|inflight|in flight|on board|onboard|~flight experience',
    fr: 'siège|sièges|place|espace pour les jambes|inclinable|inclinaison|serré|serrés|hôtesse|hôtesses|steward|stewards|personnel navigant|pnc|~équipage|~pilote|~commandant|repas|nourriture|collation|boisson|boissons|~eau|café|wifi|wi fi|internet|divertissement|écran|film|films|casque|prise|prise électrique|couverture|toilettes|cabine|~avion|~appareil|climatisation|chaud|froid|odeur|sale|turbulences|atterrissage|première classe|classe affaires|business|économique|premium|confort|inconfortable|à bord',
    de: 'sitz|sitze|sitzplatz|beinfreiheit|lehne|eng|flugbegleiter|flugbegleiterin|flugbegleiterinnen|stewardess|steward|crew|~besatzung|kabinenpersonal|~pilot|~kapitän|essen|mahlzeit|snack|getränk|getränke|~wasser|kaffee|wlan|wifi|internet|unterhaltung|bordunterhaltung|bildschirm|film|filme|kopfhörer|steckdose|decke|toilette|toiletten|kabine|~flugzeug|~maschine|klimaanlage|heiß|kalt|geruch|dreckig|turbulenzen|landung|first class|business class|economy|premium|komfort|unbequem|an bord',
    it: 'sedile|sedili|posto|spazio per le gambe|reclinabile|stretto|stretti|assistente di volo|assistenti di volo|hostess|steward|~equipaggio|personale di bordo|~pilota|~comandante|pasto|pasti|cibo|snack|bevanda|bevande|~acqua|caffè|wifi|wi fi|internet|intrattenimento|schermo|film|cuffie|presa|coperta|bagno|bagni|toilette|cabina|~aereo|~velivolo|aria condizionata|caldo|freddo|puzza|sporco|turbolenze|atterraggio|prima classe|business|economy|premium|comfort|scomodo|a bordo',
    es: 'asiento|asientos|espacio para las piernas|reclinable|estrecho|estrechos|azafata|azafatas|auxiliar de vuelo|auxiliares de vuelo|sobrecargo|~tripulación|tripulante|~piloto|~comandante|comida|comidas|snack|bebida|bebidas|~agua|café|wifi|wi fi|internet|entretenimiento|pantalla|película|películas|auriculares|enchufe|manta|baño|baños|lavabo|cabina|~avión|~aeronave|aire acondicionado|calor|frío|olor|sucio|turbulencias|aterrizaje|primera clase|business|turista|económica|premium|comodidad|incómodo|a bordo',
    nl: 'stoel|stoelen|stewardess|bemanning|eten|drinken|wifi|vliegtuig|aan boord',
    pt: 'assento|assentos|comissária|comissário|tripulação|comida|bebida|wifi|avião|a bordo',
  },
  loyalty: {
    en: 'miles|mileage|~points|~status|~elite|~gold|~silver|platinum|~premier|frequent flyer|frequent flier|loyalty|rewards|mileageplus|mileage plus|dividend miles|dividendmiles|aadvantage|elevate|skymiles|award miles|~lounge|lounge access|~club|united club|admirals club|credit card miles|~tier|companion certificate|miles expired|miles missing|missing miles|credit my miles',
    fr: 'miles|points|statut|elite|gold|silver|platinum|flying blue|programme de fidélité|fidélité|carte de fidélité|récompense|récompenses|salon|salon vip|lounge|accès salon|niveau|miles expirés|miles manquants|créditer mes miles|membre|statut gold',
    de: 'meilen|punkte|status|vielflieger|miles and more|miles more|senator|frequent traveller|treueprogramm|prämie|prämien|lounge|loungezugang|statusmeilen|prämienmeilen|meilen verfallen|meilen fehlen|meilen gutschreiben|nachtragen',
    it: 'miglia|punti|status|frequent flyer|programma fedeltà|fedeltà|volare|millemiglia|premio|premi|lounge|sala vip|accesso lounge|livello|miglia scadute|miglia mancanti|accreditare le miglia',
    es: 'millas|puntos|estatus|estado|viajero frecuente|programa de fidelidad|fidelidad|iberia plus|avios|premio|premios|sala vip|lounge|acceso a sala|nivel|millas caducadas|millas que faltan|acreditar mis millas',
    nl: 'miles|punten|status|loyaliteitsprogramma|lounge',
    pt: 'milhas|pontos|status|programa de fidelidade|sala vip',
  },
  customer_service: {
    en: 'customer service|customer care|customer support|custserv|cust service|cust serv|~service|~support|agent|agents|representative|rep|reps|~staff|~employee|~employees|supervisor|manager|call|called|calling|calls|phone|phone number|call center|call centre|hold|on hold|hold time|wait time|waiting time|hung up|hang up|disconnected|callback|call back|no response|no reply|no answer|respond|responded|response|reply|replied|~answer|~answers|dm|dms|direct message|email|emailed|emails|chat|live chat|contact|contacted|reach|reached|help desk|helpline|hotline|complaint|complained|rude|unhelpful|~helpful|attitude|ignored|~nobody|~no one|~useless|incompetent|lied|apology|apologize|~sorry|get through|automated|auto reply|~help|~care|~customers|~desk',
    fr: 'service client|service clients|relation client|sav|service après vente|support|conseiller|conseillère|conseillers|agent|agents|personnel|employé|employés|responsable|appel|appelé|appeler|téléphone|numéro|hotline|plateforme téléphonique|attente|en attente|musique d attente|raccroché|raccroche|rappel|rappeler|pas de réponse|aucune réponse|répondre|réponse|répondez|mp|message privé|mail|e mail|courriel|chat|formulaire|contact|contacter|joindre|injoignable|réclamation|impoli|désagréable|aimable|attitude|ignoré|personne|inutile|incompétent|menti|excuses|comptoir',
    de: 'kundenservice|kundendienst|kundenbetreuung|service|support|hotline|servicehotline|mitarbeiter|mitarbeiterin|mitarbeiterinnen|personal|angestellte|vorgesetzter|anruf|angerufen|anrufen|telefon|telefonnummer|callcenter|warteschleife|in der warteschleife|wartezeit|aufgelegt|rückruf|zurückrufen|keine antwort|keine rückmeldung|antworten|antwort|dm|direktnachricht|mail|e mail|email|chat|kontaktformular|kontakt|erreichen|nicht erreichbar|beschwerde|unfreundlich|unhöflich|freundlich|hilfsbereit|ignoriert|niemand|nutzlos|inkompetent|gelogen|entschuldigung',
    it: 'servizio clienti|assistenza clienti|assistenza|customer care|supporto|operatore|operatrice|operatori|addetto|addetta|personale|dipendenti|responsabile|chiamata|chiamato|chiamare|telefono|numero|call center|numero verde|attesa|in attesa|musichetta|riattaccato|richiamare|nessuna risposta|rispondere|risposta|rispondete|dm|messaggio privato|mail|e mail|email|chat|modulo|contatto|contattare|raggiungere|irraggiungibile|reclamo|scortese|maleducato|gentile|atteggiamento|ignorato|nessuno|inutile|incompetente|scuse',
    es: 'atención al cliente|servicio al cliente|servicio de atención|soporte|asistencia|agente|agentes|operador|operadora|personal|empleado|empleados|empleada|supervisor|encargado|llamada|llamé|llamar|teléfono|número|call center|centro de llamadas|espera|en espera|música de espera|colgaron|colgó|devolver la llamada|sin respuesta|ninguna respuesta|responder|respuesta|respondan|dm|md|mensaje privado|correo|email|e mail|chat|formulario|contacto|contactar|comunicarme|imposible contactar|reclamación|grosero|maleducado|amable|actitud|ignorado|nadie|inútil|incompetente|mintieron|disculpas',
    nl: 'klantenservice|klantendienst|medewerker|telefoon|bellen|wachten|antwoord|reactie',
    pt: 'atendimento|serviço de atendimento|sac|atendente|telefone|ligação|resposta|ninguém',
  },
  airport: {
    en: 'airport|terminal|~line|~lines|queue|queues|long line|long lines|in line|line to the door|longlines|waiting in line|security line|customs|immigration|passport control|parking|shuttle|~transfer|~connection|~connecting|~layover|gate area|jet bridge|jetway|bus to the plane|signage|wheelchair assistance|~assistance|escort|~hub|~carts',
    fr: 'aéroport|aérogare|terminal|file|file d attente|queue|longue file|faire la queue|douane|police aux frontières|contrôle des passeports|parking|navette|transfert|correspondance|escale|passerelle|bus|signalisation|assistance|assistance pmr',
    de: 'flughafen|terminal|schlange|warteschlange|lange schlange|anstehen|zoll|passkontrolle|einreise|parkplatz|parkhaus|shuttle|transfer|umsteigen|umstieg|zwischenstopp|fluggastbrücke|bus zum flugzeug|beschilderung|assistenz|begleitservice',
    it: 'aeroporto|terminal|fila|coda|lunga fila|code|fare la fila|dogana|controllo passaporti|parcheggio|navetta|transfer|scalo|coincidenza|finger|pullman|navetta per l aereo|segnaletica|assistenza',
    es: 'aeropuerto|terminal|cola|colas|fila|larga cola|hacer cola|aduana|control de pasaportes|inmigración|parking|aparcamiento|lanzadera|traslado|escala|conexión|pasarela|finger|autobús|señalización|asistencia',
    nl: 'luchthaven|vliegveld|rij|wachtrij|douane',
    pt: 'aeroporto|fila|filas|alfândega|imigração',
  },
  other: {},
};

/**
 * Keyword strength and prior offset per airline topic: specific problems (baggage, cancellation) win
 * over generic mentions (a booking word, an airport name) when a message names several topics.
 * Set by measurement on the airline development tweets (docs/triage.md).
 */
const AIRLINE_TOPIC_WEIGHTS: Partial<Record<(typeof AIRLINE_TOPICS)[number], [number, number]>> = {
  delay: [1, 0],
  cancellation: [1.2, 0],
  baggage: [1.7, 0],
  booking: [0.85, -0.25],
  refund: [1, -0.25],
  checkin: [1, -0.25],
  onboard: [1, 0],
  loyalty: [1, -0.25],
  customer_service: [1.2, 0],
  airport: [0.85, -0.25],
};

export const AIRLINE_TAXONOMY: Taxonomy = {
  name: 'airline',
  topics: AIRLINE_TOPICS.map((id) => {
    const [weight, bias] = AIRLINE_TOPIC_WEIGHTS[id] ?? [1, 0];
    return { id, keywords: AIRLINE_KEYWORDS[id], weight, bias };
  }),
  teams: [...TEAMS],
  defaultTeam: 'customer_care',
  teamRules: DEFAULT_TEAM_RULES,
  complaintFallbackTopic: 'customer_service',
  catchAllTopic: 'other',
};

/** Checks a taxonomy given as data (e.g. read from JSON) and returns it typed. */
export function parseTaxonomy(raw: unknown): Taxonomy {
  if (typeof raw !== 'object' || raw === null) throw new Error('taxonomy: expected an object');
  const o = raw as Record<string, unknown>;
  if (!Array.isArray(o.topics) || o.topics.length === 0)
    throw new Error('taxonomy: "topics" must be a non-empty array');
  const topics: TaxonomyTopic[] = o.topics.map((t, i) => {
    if (typeof t !== 'object' || t === null || typeof (t as { id?: unknown }).id !== 'string') {
      throw new Error(`taxonomy: topics[${i}] needs a string "id"`);
    }
    const topic = t as { id: string; keywords?: unknown; team?: unknown; weight?: unknown; bias?: unknown };
    const keywords: Partial<Record<string, string>> = {};
    if (topic.keywords !== undefined) {
      if (typeof topic.keywords !== 'object' || topic.keywords === null) {
        throw new Error(`taxonomy: topics[${i}].keywords must map languages to "|"-separated terms`);
      }
      for (const [lang, terms] of Object.entries(topic.keywords)) {
        keywords[lang] = Array.isArray(terms) ? terms.join('|') : String(terms);
      }
    }
    const out: TaxonomyTopic = { id: topic.id, keywords };
    if (typeof topic.team === 'string') out.team = topic.team;
    if (typeof topic.weight === 'number') out.weight = topic.weight;
    if (typeof topic.bias === 'number') out.bias = topic.bias;
    return out;
  });
  const teams = Array.isArray(o.teams) ? o.teams.map(String) : [...TEAMS];
  const defaultTeam = typeof o.defaultTeam === 'string' ? o.defaultTeam : 'customer_care';
  const teamRules = Array.isArray(o.teamRules) ? (o.teamRules as TeamRule[]) : DEFAULT_TEAM_RULES;
  const tax: Taxonomy = { name: typeof o.name === 'string' ? o.name : 'custom', topics, teams, defaultTeam, teamRules };
  if (typeof o.complaintFallbackTopic === 'string') tax.complaintFallbackTopic = o.complaintFallbackTopic;
  if (typeof o.catchAllTopic === 'string') tax.catchAllTopic = o.catchAllTopic;
  return tax;
}

/**
 * Seed examples written for Passeur: short customer messages to an airline in en/fr/de/it/es, each
 * labelled with intent, sentiment and topics. They train the intent and topic heads of the default
 * model and give the sentiment head the customer-care register (service failures are negative even
 * without negative words). One line per example: `lang|intent|sentiment|topics|text`
 * (intent q/c/r/s/p/o = question/complaint/request/suggestion/praise/other; sentiment -/0/+).
 */
export const AIRLINE_SEEDS = `
en|q|0|delay|Is flight UA 88 to Newark still on time tonight?
en|q|-|delay|Why is my flight delayed again? Any update on the departure time?
en|c|-|delay|Three hours late and not a single announcement. Terrible.
en|c|-|delay|We've been sitting at the gate for 2 hours, nobody tells us anything
en|q|-|delay|flight 1234 delayed 4 hrs, will I make my connection in Chicago?
en|c|-|delay,customer_service|Delayed again and the gate agent just shrugs. Unacceptable
en|r|-|delay|Our flight is late, please hold the connecting flight to Denver for us
en|c|-|cancellation|You cancelled my flight an hour before departure and offered nothing
en|q|-|cancellation|My flight got cancelled, how do I get rebooked on the next one?
en|r|-|cancellation,refund|Flight cancelled. I want a full refund, not a voucher
en|c|-|cancellation,customer_service|Cancelled flight and 3 hours on hold to rebook. Worst airline ever
en|q|0|cancellation|Are flights to Boston cancelled because of the storm?
en|c|-|baggage|You lost my bag again. Third time this year
en|q|-|baggage|Where is my luggage? It didn't arrive in Paris and nobody at baggage claim knows
en|c|-|baggage|My suitcase came back with a broken wheel and a torn handle
en|r|-|baggage|Please deliver my bag to my hotel, file reference attached
en|q|0|baggage|How many checked bags are included in a basic economy ticket?
en|q|0|baggage|Can I bring my guitar as carry on?
en|c|-|baggage,customer_service|Waited 90 minutes at the carousel and the baggage desk was closed
en|q|0|booking|How do I change the name on my booking?
en|c|-|booking|Your website charged me twice for the same ticket
en|r|0|booking|Please help me select seats together for my family on my reservation
en|q|0|booking|Can I still add a seat to my reservation online?
en|c|-|booking|The app keeps crashing when I try to book, so frustrating
en|q|0|refund|When will I get my refund for the cancelled flight?
en|c|-|refund|Six weeks and still no refund. I want my money back
en|r|-|refund|Please process the compensation I'm owed under EU261
en|q|0|checkin|Why can't I check in online for tomorrow's flight?
en|c|-|checkin,airport|The check in line is an hour long and only two counters open
en|q|0|checkin|Do I need to print my boarding pass or is the mobile one fine?
en|c|-|checkin|Denied boarding because the flight was overbooked. Ridiculous
en|c|-|onboard|The seat was broken and wouldn't recline for the whole 9 hour flight
en|c|-|onboard|No wifi, no food, no water on a 5 hour flight. Seriously?
en|c|-|onboard|The flight attendant was so rude to my elderly mother
en|p|+|onboard|The crew on flight 22 were fantastic, thank you!
en|c|-|onboard|Dirty cabin and the toilets were out of order
en|q|0|onboard|Do you serve vegetarian meals on the Lisbon flight?
en|q|0|loyalty|My miles from last month's flight haven't been credited, how do I claim them?
en|c|-|loyalty|Gold member for 10 years and this is how you treat me
en|q|0|loyalty|How many points do I need for lounge access?
en|c|-|customer_service|On hold for two hours and then they hung up on me
en|c|-|customer_service|Nobody answers the phone or replies to emails. Useless customer service
en|r|0|customer_service|Please DM me, I need help with my booking
en|p|+|customer_service|Thanks to the agent in Dallas who fixed everything in five minutes
en|c|-|airport|Security lines at the terminal are insane, missed my flight because of it
en|q|0|airport|Which terminal do you fly from at Heathrow?
en|s|0|onboard|You should offer free wifi on long flights, other airlines do
en|s|+|booking|It would be great if the app let us choose meals when booking
en|s|0|checkin|Why not add self bag drop kiosks in Terminal 2? It would save so much time
en|s|0|loyalty|Suggestion: let members pool miles with their family
en|s|0|onboard|Please bring back the snacks on short flights, it would make a difference
en|p|+||Best airline ever, love flying with you!
en|p|+|onboard|Thank you for the upgrade and the amazing service on board
en|p|+|customer_service|Great job on the quick response, much appreciated
en|o|0||Flying to Rome with you next week
en|o|0||Just landed in Madrid
en|o|+||Heading home for the holidays ✈️
en|c|-|delay,cancellation|Delayed, then cancelled, then rebooked for tomorrow. No hotel offered
en|q|-|delay|We have been stuck on the tarmac for 3 hours without water, when can we get off?
en|c|-|onboard|The plane smelled of smoke and the crew didn't seem to care
en|r|-|customer_service|I need someone to call me back today, this is urgent
fr|q|-|delay|Mon vol AF1234 a 3 h de retard, je vais rater ma correspondance, que faire ?
fr|c|-|delay|Encore un retard de deux heures sans aucune information. Inadmissible
fr|q|0|delay|Le vol de Nice de ce soir est-il à l'heure ?
fr|c|-|delay|Ça fait une heure qu'on attend dans l'avion sans explication
fr|c|-|cancellation|Vol annulé à la dernière minute et aucune solution proposée
fr|q|-|cancellation|Mon vol a été annulé, comment je fais pour être replacé sur un autre vol ?
fr|r|-|cancellation,refund|Vol annulé : je demande le remboursement intégral de mon billet
fr|c|-|baggage|Ma valise n'est pas arrivée à Lyon et personne ne sait où elle est
fr|q|-|baggage|Où est mon bagage ? Ça fait trois jours que j'attends
fr|c|-|baggage|Valise cassée à l'arrivée, la roue est arrachée
fr|q|0|baggage|Combien de bagages en soute sont inclus avec mon billet ?
fr|q|0|booking|Comment modifier le nom sur ma réservation ?
fr|c|-|booking|Votre site m'a débité deux fois pour le même billet
fr|r|0|booking|Pouvez-vous m'aider à choisir des sièges côte à côte pour ma famille ?
fr|q|0|refund|Quand vais-je recevoir le remboursement de mon vol annulé ?
fr|c|-|refund|Toujours pas remboursé après deux mois, c'est scandaleux
fr|r|-|refund|Merci de me verser l'indemnisation prévue par le règlement européen
fr|q|0|checkin|Impossible de m'enregistrer en ligne, que se passe-t-il ?
fr|c|-|checkin,airport|Une heure de queue à l'enregistrement avec un seul guichet ouvert
fr|c|-|onboard|Siège cassé, pas d'eau et hôtesse désagréable pendant tout le vol
fr|p|+|onboard|Équipage adorable et très bon repas, merci pour ce vol !
fr|q|0|onboard|Y a-t-il du wifi à bord sur le vol pour Montréal ?
fr|q|0|loyalty|Mes miles Flying Blue n'ont pas été crédités, comment les réclamer ?
fr|c|-|customer_service|Deux heures d'attente au téléphone puis on me raccroche au nez
fr|c|-|customer_service|Aucune réponse à mes mails depuis trois semaines, service client inexistant
fr|r|0|customer_service|Pouvez-vous me contacter en message privé s'il vous plaît ?
fr|p|+|customer_service|Merci à la conseillère qui a tout réglé en cinq minutes
fr|c|-|airport|Contrôle de sécurité interminable à Roissy, j'ai failli rater mon vol
fr|s|0|onboard|Vous devriez proposer le wifi gratuit sur les vols long-courriers
fr|s|+|booking|Ce serait bien de pouvoir choisir son repas dans l'application
fr|s|0|checkin|Pourquoi ne pas ajouter des bornes de dépose bagages au terminal 2 ?
fr|s|0|loyalty|Idée : permettre de partager ses miles avec sa famille
fr|p|+||Meilleure compagnie, toujours un plaisir de voler avec vous !
fr|p|+|onboard|Bravo à l'équipage du vol de ce matin, service impeccable
fr|o|0||Je pars à Rome avec vous la semaine prochaine
fr|o|0||Bien arrivés à Montréal
fr|c|-|delay,cancellation|Retardé puis annulé, aucun hôtel proposé, on dort à l'aéroport
fr|q|-|delay|Bloqués sur le tarmac depuis deux heures sans eau, quand pourrons-nous descendre ?
fr|c|-|booking|L'application plante à chaque fois que je veux payer
fr|r|-|customer_service|J'ai besoin qu'on me rappelle aujourd'hui, c'est urgent
de|q|0|delay|Ist der Flug LH 400 nach New York heute pünktlich?
de|c|-|delay|Schon wieder drei Stunden Verspätung und keine Information. Unverschämt!
de|q|-|delay|Flug verspätet, schaffe ich meinen Anschlussflug in Frankfurt noch?
de|c|-|delay|Wir sitzen seit zwei Stunden im Flugzeug und niemand sagt etwas
de|c|-|cancellation|Flug kurzfristig gestrichen und kein Ersatzflug angeboten
de|q|-|cancellation|Mein Flug wurde annulliert, wie kann ich umbuchen?
de|r|-|cancellation,refund|Flug annulliert, ich verlange die volle Erstattung des Tickets
de|c|-|baggage|Mein Koffer ist verloren gegangen und niemand antwortet
de|q|-|baggage|Wo ist mein Gepäck? Seit drei Tagen warte ich darauf
de|c|-|baggage|Koffer beschädigt angekommen, der Griff ist abgerissen
de|q|0|baggage|Wie viele Gepäckstücke sind im Tarif enthalten?
de|q|0|booking|Wie kann ich den Namen in meiner Buchung ändern?
de|c|-|booking|Eure Webseite hat mir das Ticket doppelt abgebucht
de|r|0|booking|Bitte helft mir, Sitzplätze nebeneinander für meine Familie zu reservieren
de|q|0|refund|Wann bekomme ich die Erstattung für meinen annullierten Flug?
de|c|-|refund|Seit zwei Monaten keine Rückerstattung, eine Frechheit
de|r|-|refund|Bitte zahlen Sie mir die Entschädigung nach EU 261 aus
de|q|0|checkin|Warum kann ich nicht online einchecken?
de|c|-|checkin,airport|Eine Stunde Schlange am Check-in Schalter, nur ein Schalter offen
de|c|-|onboard|Sitz kaputt, kein Wasser und eine unfreundliche Flugbegleiterin
de|p|+|onboard|Tolle Crew und leckeres Essen, vielen Dank für den schönen Flug!
de|q|0|onboard|Gibt es WLAN an Bord auf dem Flug nach Chicago?
de|q|0|loyalty|Meine Meilen wurden nicht gutgeschrieben, wie kann ich sie nachtragen lassen?
de|c|-|customer_service|Zwei Stunden in der Warteschleife und dann aufgelegt
de|c|-|customer_service|Keine Antwort auf meine E-Mails seit drei Wochen, Kundenservice ist eine Katastrophe
de|r|0|customer_service|Könnt ihr mir bitte eine Direktnachricht schicken?
de|p|+|customer_service|Danke an die Mitarbeiterin, die alles in fünf Minuten gelöst hat
de|c|-|airport|Endlose Sicherheitskontrolle in München, fast den Flug verpasst
de|s|0|onboard|Ihr solltet kostenloses WLAN auf Langstreckenflügen anbieten
de|s|+|booking|Es wäre schön, wenn man das Essen in der App auswählen könnte
de|s|0|checkin|Warum nicht mehr Automaten zur Gepäckabgabe im Terminal 2?
de|s|0|loyalty|Vorschlag: Meilen mit der Familie teilen können
de|p|+||Beste Airline, fliege immer wieder gerne mit euch!
de|p|+|onboard|Großes Lob an die Crew von heute Morgen, super Service
de|o|0||Nächste Woche fliege ich mit euch nach Rom
de|o|0||Gut in Berlin gelandet
de|c|-|delay,cancellation|Erst verspätet, dann gestrichen, kein Hotel, wir schlafen am Flughafen
de|q|-|delay|Seit drei Stunden auf dem Rollfeld ohne Wasser, wann dürfen wir aussteigen?
de|c|-|booking|Die App stürzt jedes Mal beim Bezahlen ab
de|r|-|customer_service|Ich brauche heute dringend einen Rückruf
it|q|0|delay|Il volo AZ 610 per New York è in orario stasera?
it|c|-|delay|Ancora tre ore di ritardo e nessuna informazione. Vergognoso
it|q|-|delay|Volo in ritardo, riuscirò a prendere la coincidenza a Roma?
it|c|-|delay|Siamo seduti sull'aereo da due ore e nessuno ci dice niente
it|c|-|cancellation|Volo cancellato all'ultimo momento e nessuna alternativa
it|q|-|cancellation|Il mio volo è stato cancellato, come posso riprenotare?
it|r|-|cancellation,refund|Volo annullato, chiedo il rimborso completo del biglietto
it|c|-|baggage|La mia valigia è stata persa e nessuno risponde
it|q|-|baggage|Dov'è il mio bagaglio? Sono tre giorni che aspetto
it|c|-|baggage|Valigia arrivata rotta, la maniglia è strappata
it|q|0|baggage|Quanti bagagli in stiva sono inclusi nella tariffa?
it|q|0|booking|Come posso cambiare il nome sulla prenotazione?
it|c|-|booking|Il vostro sito mi ha addebitato due volte lo stesso biglietto
it|r|0|booking|Potete aiutarmi a scegliere posti vicini per la mia famiglia?
it|q|0|refund|Quando riceverò il rimborso del volo cancellato?
it|c|-|refund|Dopo due mesi ancora nessun rimborso, è una vergogna
it|r|-|refund|Vi chiedo di pagarmi il risarcimento previsto dal regolamento europeo
it|q|0|checkin|Perché non riesco a fare il check-in online?
it|c|-|checkin,airport|Un'ora di fila al check-in con un solo banco aperto
it|c|-|onboard|Sedile rotto, niente acqua e hostess scortese
it|p|+|onboard|Equipaggio fantastico e ottimo pranzo, grazie per il volo!
it|q|0|onboard|C'è il wifi a bordo sul volo per Tokyo?
it|q|0|loyalty|Le mie miglia non sono state accreditate, come posso recuperarle?
it|c|-|customer_service|Due ore in attesa al telefono e poi mi hanno riattaccato
it|c|-|customer_service|Nessuna risposta alle mie email da tre settimane, servizio clienti inesistente
it|r|0|customer_service|Potete scrivermi in privato per favore?
it|p|+|customer_service|Grazie all'operatrice che ha risolto tutto in cinque minuti
it|c|-|airport|Controlli di sicurezza infiniti a Fiumicino, ho quasi perso il volo
it|s|0|onboard|Dovreste offrire il wifi gratuito sui voli intercontinentali
it|s|+|booking|Sarebbe bello poter scegliere il pasto nell'app
it|s|0|checkin|Perché non aggiungete dei totem per il drop off bagagli al terminal 1?
it|s|0|loyalty|Suggerimento: permettere di condividere le miglia con la famiglia
it|p|+||Migliore compagnia, volo sempre volentieri con voi!
it|p|+|onboard|Complimenti all'equipaggio di stamattina, servizio perfetto
it|o|0||La settimana prossima volo con voi a Parigi
it|o|0||Atterrati a Milano
it|c|-|delay,cancellation|Prima in ritardo, poi cancellato, nessun hotel, dormiamo in aeroporto
it|c|-|delay|Siamo bloccati sulla pista da due ore senza acqua
it|c|-|booking|L'app si blocca ogni volta che provo a pagare
it|r|-|customer_service|Ho bisogno di essere richiamato oggi, è urgente
es|q|0|delay|¿El vuelo IB 6251 a Nueva York sale a su hora esta noche?
es|c|-|delay|Otra vez tres horas de retraso y ninguna información. Una vergüenza
es|q|-|delay|Vuelo retrasado, ¿llegaré a mi conexión en Madrid?
es|c|-|delay|Llevamos dos horas sentados en el avión y nadie nos dice nada
es|c|-|cancellation|Vuelo cancelado en el último momento y sin ninguna alternativa
es|q|-|cancellation|Mi vuelo ha sido cancelado, ¿cómo puedo cambiarlo a otro vuelo?
es|r|-|cancellation,refund|Vuelo cancelado, exijo el reembolso completo del billete
es|c|-|baggage|Han perdido mi maleta y nadie responde
es|q|-|baggage|¿Dónde está mi equipaje? Llevo tres días esperando
es|c|-|baggage|La maleta llegó rota, el asa está arrancada
es|q|0|baggage|¿Cuántas maletas facturadas incluye mi tarifa?
es|q|0|booking|¿Cómo cambio el nombre en mi reserva?
es|c|-|booking|Vuestra web me ha cobrado dos veces el mismo billete
es|r|0|booking|¿Podéis ayudarme a elegir asientos juntos para mi familia?
es|q|0|refund|¿Cuándo recibiré el reembolso del vuelo cancelado?
es|c|-|refund|Dos meses y todavía sin reembolso, es una vergüenza
es|r|-|refund|Solicito la compensación prevista por el reglamento europeo
es|q|0|checkin|¿Por qué no puedo hacer el check-in online?
es|c|-|checkin,airport|Una hora de cola en facturación con un solo mostrador abierto
es|c|-|onboard|Asiento roto, sin agua y una azafata maleducada
es|p|+|onboard|Tripulación genial y comida muy buena, ¡gracias por el vuelo!
es|q|0|onboard|¿Hay wifi a bordo en el vuelo a Buenos Aires?
es|q|0|loyalty|No me han acreditado las millas, ¿cómo puedo reclamarlas?
es|c|-|customer_service|Dos horas en espera al teléfono y luego me colgaron
es|c|-|customer_service|Ninguna respuesta a mis correos desde hace tres semanas, atención al cliente pésima
es|r|0|customer_service|¿Podéis escribirme por mensaje privado, por favor?
es|p|+|customer_service|Gracias a la agente que lo solucionó todo en cinco minutos
es|c|-|airport|Control de seguridad eterno en Barajas, casi pierdo el vuelo
es|s|0|onboard|Deberían ofrecer wifi gratis en los vuelos largos
es|s|+|booking|Sería genial poder elegir la comida en la app
es|s|0|checkin|¿Por qué no ponen más máquinas de autofacturación en la T4?
es|s|0|loyalty|Sugerencia: poder compartir las millas con la familia
es|p|+||¡La mejor aerolínea, siempre es un placer volar con vosotros!
es|p|+|onboard|Enhorabuena a la tripulación de esta mañana, servicio excelente
es|o|0||La semana que viene vuelo con vosotros a Roma
es|o|0||Ya hemos aterrizado en Sevilla
es|c|-|delay,cancellation|Retrasado y luego cancelado, sin hotel, dormimos en el aeropuerto
es|q|-|delay|Llevamos tres horas atrapados en la pista sin agua, ¿cuándo podremos bajar?
es|c|-|booking|La app se cuelga cada vez que intento pagar
es|r|-|customer_service|Necesito que me llamen hoy, es urgente
en|c|-|customer_service|@AirSocial 45 minutes on hold and counting. Pick up the phone please
en|c|-|customer_service|@AirSocial been trying to reach someone for 3 days, your number just rings and rings
en|c|-|customer_service|@AirSocial transferred four times and still nobody can tell me anything
en|q|-|customer_service|@AirSocial is anyone actually reading these messages?
en|c|-|customer_service|@AirSocial sent a DM yesterday, no reply
en|c|-|customer_service|@AirSocial your agent told me one thing and the desk told me the opposite
en|c|-|customer_service|@AirSocial the automated reply is not an answer
en|c|-|customer_service|@AirSocial the chat closed on me after an hour of waiting
en|r|-|customer_service|@AirSocial I need to talk to a real person about my trip, can someone call me
en|c|-|customer_service|@AirSocial gate staff laughed at us when we asked for help
en|c|-|delay|@AirSocial flight 302 now departing at 11pm instead of 6. Great, just great
en|c|-|delay|@AirSocial sitting on the plane at JFK for 90 min, no movement, no info
en|c|-|delay|@AirSocial late again. Every single Monday
en|q|-|delay|@AirSocial what is going on with flight 88? Board time keeps changing
en|c|-|delay|@AirSocial mechanical issue, then no crew, now weather. Still at the gate #stuck
en|c|-|delay|@AirSocial missed my daughter's recital because of your delay
en|q|0|delay|@AirSocial is the 7am to Denver expected to leave on time?
en|c|-|cancellation|@AirSocial cancelled my flight via text at midnight and rebooked me two days later
en|c|-|cancellation|@AirSocial cancelled, rebooked, cancelled again. Now what
en|q|-|cancellation|@AirSocial flight got canceled, do you cover the hotel tonight?
en|r|0|cancellation|@AirSocial please rebook me on the first flight tomorrow, confirmation attached
en|c|-|baggage|@AirSocial day 4 without my bag, wearing the same clothes
en|c|-|baggage|@AirSocial my bag went to Houston and I went to Chicago
en|q|-|baggage|@AirSocial any news on my delayed bag? claim filed at LAX on Monday
en|c|-|baggage|@AirSocial stroller came off the plane smashed
en|q|0|baggage|@AirSocial what's the weight limit for checked bags on international flights?
en|c|-|booking|@AirSocial your site won't let me pick a seat even though I paid for it
en|c|-|booking|@AirSocial booking error charged my card but no confirmation email
en|q|0|booking|@AirSocial can I use my travel credit to book for someone else?
en|q|0|booking|@AirSocial how much is the change fee for a domestic ticket?
en|c|-|booking|@AirSocial fare jumped $200 between search and checkout
en|c|-|refund|@AirSocial refund was promised in 7 days. It's been 7 weeks
en|q|0|refund|@AirSocial how long does a refund to a credit card usually take?
en|r|-|refund|@AirSocial please refund the seat fee, I never got the seat I paid for
en|c|-|checkin|@AirSocial kiosk says see agent, agent line is 100 people long
en|c|-|checkin|@AirSocial online check in broken again, error every time
en|c|-|checkin|@AirSocial bumped off an oversold flight with no explanation
en|q|0|checkin|@AirSocial when does check in open for the 9am flight to Lisbon?
en|c|-|onboard|@AirSocial 6 hours with a broken screen and no power outlet
en|c|-|onboard|@AirSocial the plane was freezing and they ran out of blankets
en|c|-|onboard|@AirSocial paid for wifi and it never connected
en|c|-|onboard|@AirSocial flight attendant yelled at a passenger asking for water
en|q|0|onboard|@AirSocial are there power outlets on the A321?
en|c|-|loyalty|@AirSocial 50k miles disappeared from my account
en|c|-|loyalty|@AirSocial platinum status and still boarding last, what's the point
en|q|0|loyalty|@AirSocial do miles expire if I don't fly this year?
en|c|-|airport|@AirSocial one bus for 200 passengers to the remote stand
en|c|-|airport|@AirSocial 2 hour line at customs and nobody from your staff to help
en|p|+|customer_service|@AirSocial thank you Maria at the Boston desk, you saved my trip
en|p|+|onboard|@AirSocial smooth flight, friendly crew, landed early. Perfect
en|p|+||@AirSocial you guys are the best, see you next month
en|p|+|delay|@AirSocial thanks for holding the plane for us, much appreciated
en|p|+|baggage|@AirSocial bag delivered to my door this morning, thank you!
en|p|+|customer_service|@AirSocial quick and helpful reply, thanks for sorting it out
en|p|+|onboard|@AirSocial loved the new seats, so comfortable
en|p|+|checkin|@AirSocial fastest check in ever, great job
en|o|0||@AirSocial on my way to Chicago
en|o|0||@AirSocial boarding now
en|o|0||@AirSocial flight 212 from Dallas
en|o|0||@AirSocial just sent you a DM
en|o|0||@AirSocial ok I'll wait for your reply
en|o|0||@AirSocial my confirmation number is in the DM
en|q|0||@AirSocial do you fly to Reykjavik?
en|q|0||@AirSocial are you hiring flight attendants this year?
en|q|0|booking|@AirSocial can I book a flight for my dog?
en|q|0|onboard|@AirSocial is there a kids menu on board?
en|s|0|booking|@AirSocial the app needs a way to save passport details
en|s|0|onboard|@AirSocial would love to see more vegan options on board
en|s|0|customer_service|@AirSocial a callback option instead of waiting on hold would be amazing
fr|c|-|customer_service|@AirSocial 40 minutes d'attente au téléphone, décrochez svp
fr|c|-|customer_service|@AirSocial trois jours que j'essaie de vous joindre, personne ne répond
fr|c|-|delay|@AirSocial départ reporté de 18h à 23h, merci pour la soirée
fr|c|-|baggage|@AirSocial quatrième jour sans ma valise, je porte les mêmes vêtements
fr|c|-|booking|@AirSocial mon paiement est passé mais aucune confirmation reçue
fr|c|-|refund|@AirSocial on m'avait promis un remboursement sous 7 jours, ça fait 7 semaines
fr|c|-|onboard|@AirSocial écran cassé et pas de prise pendant 6 heures
fr|p|+|customer_service|@AirSocial merci à Julie au comptoir de Nantes, vous avez sauvé mon voyage
fr|p|+|baggage|@AirSocial valise livrée chez moi ce matin, merci !
fr|o|0||@AirSocial en route pour Lisbonne
fr|q|0||@AirSocial vous desservez Marrakech ?
fr|s|0|customer_service|@AirSocial un rappel automatique au lieu de l'attente serait top
de|c|-|customer_service|@AirSocial 40 Minuten Warteschleife, geht doch mal ran
de|c|-|delay|@AirSocial Abflug von 18 auf 23 Uhr verschoben, danke für nichts
de|c|-|baggage|@AirSocial Tag 4 ohne Koffer, trage seit Tagen dieselben Sachen
de|c|-|booking|@AirSocial Zahlung abgebucht aber keine Buchungsbestätigung erhalten
de|c|-|refund|@AirSocial Erstattung in 7 Tagen versprochen, jetzt sind es 7 Wochen
de|p|+|baggage|@AirSocial Koffer heute Morgen nach Hause geliefert, danke!
de|p|+|onboard|@AirSocial ruhiger Flug, nette Crew, sogar zu früh gelandet
de|o|0||@AirSocial bin auf dem Weg nach Wien
de|q|0||@AirSocial fliegt ihr auch nach Porto?
it|c|-|customer_service|@AirSocial 40 minuti di attesa al telefono, rispondete
it|c|-|delay|@AirSocial partenza spostata dalle 18 alle 23, grazie di niente
it|c|-|baggage|@AirSocial quarto giorno senza valigia
it|c|-|refund|@AirSocial rimborso promesso in 7 giorni, sono passate 7 settimane
it|p|+|baggage|@AirSocial valigia consegnata a casa stamattina, grazie!
it|p|+|onboard|@AirSocial volo tranquillo, equipaggio gentile, atterrati in anticipo
it|o|0||@AirSocial in viaggio verso Napoli
it|q|0||@AirSocial volate anche a Malta?
es|c|-|customer_service|@AirSocial 40 minutos esperando al teléfono, contesten por favor
es|c|-|delay|@AirSocial salida cambiada de las 18 a las 23, gracias por nada
es|c|-|baggage|@AirSocial cuarto día sin maleta
es|c|-|refund|@AirSocial me prometieron el reembolso en 7 días y ya van 7 semanas
es|p|+|baggage|@AirSocial maleta entregada en casa esta mañana, ¡gracias!
es|p|+|onboard|@AirSocial vuelo tranquilo, tripulación amable y llegamos antes de hora
es|o|0||@AirSocial de camino a Bilbao
es|q|0||@AirSocial ¿voláis a Tenerife?
en|c|-|delay|@AirSocial 3rd delay notification in an hour. just tell us the truth
en|c|-|delay|@AirSocial boarding was at 5, it's 7:30 and we're still in the terminal
en|c|-|delay|@AirSocial we pushed back then came back to the gate. 2 hrs now
en|q|-|delay|@AirSocial any idea when flt 455 will actually leave?
en|c|-|delay|@AirSocial missed the wedding rehearsal thanks to your "minor delay"
en|c|-|delay|@AirSocial plane's here, crew isn't. how is that possible
en|q|0|delay|@AirSocial is the 6pm from Newark running on schedule?
en|c|-|cancellation|@AirSocial flight canceled and the next seat is Thursday?? I have work Monday
en|c|-|cancellation|@AirSocial 2nd cancellation this month on the same route
en|q|-|cancellation|@AirSocial my flight got cancelled, will you pay for the rental car?
en|c|-|baggage|@AirSocial bag tag says Denver, bag says Tokyo apparently
en|c|-|baggage|@AirSocial came home to find my suitcase ripped open and stuff missing
en|q|-|baggage|@AirSocial how long do I wait before a delayed bag counts as lost?
en|c|-|booking|@AirSocial website timed out at payment 3 times, now I see 3 pending charges
en|c|-|booking|@AirSocial why does changing a date cost more than the ticket itself
en|q|0|booking|@AirSocial can I hold a reservation for 24 hours without paying?
en|q|0|booking|@AirSocial is there a student fare to Madrid in June?
en|c|-|refund|@AirSocial you took my money in seconds but a refund takes 3 months?
en|q|0|refund|@AirSocial I got a voucher, can I have cash instead?
en|c|-|customer_service|@AirSocial your agent literally said "not my problem"
en|c|-|customer_service|@AirSocial waited 2 hours for a callback that never came
en|c|-|customer_service|@AirSocial I've explained my case to 5 different people now
en|c|-|customer_service|@AirSocial the help line closes at 6pm, my flight was cancelled at 9pm. great
en|q|-|customer_service|@AirSocial why do you keep sending me the same copy paste reply?
en|c|-|onboard|@AirSocial 5 hour flight, they ran out of food after row 10
en|c|-|onboard|@AirSocial tray table sticky, seat pocket full of trash. gross
en|c|-|onboard|@AirSocial the guy next to me had a seat that wouldn't stay upright, nobody cared
en|c|-|onboard|@AirSocial crew ignored the call button for 40 minutes
en|c|-|airport|@AirSocial 90 min in the security line at T1, zero staff from you
en|c|-|checkin|@AirSocial app won't generate my boarding pass and the kiosk is down
en|c|-|loyalty|@AirSocial my status got downgraded without any notice
en|q|0|loyalty|@AirSocial can I use miles to upgrade on a partner flight?
en|p|+|delay|@AirSocial pilot made up 40 minutes in the air, landed on time. nice
en|p|+|cancellation|@AirSocial rebooked in 2 minutes by the app after the cancellation, impressive
en|p|+|customer_service|@AirSocial shoutout to Tom on the phone line, patient and kind
en|p|+|onboard|@AirSocial the crew made my son's first flight so special, thank you
en|p|+||@AirSocial always a pleasure, see you next week
en|p|+||@AirSocial you made my day, thanks guys
en|o|0||@AirSocial flight 77 to Boston tonight
en|o|0||@AirSocial ok, sent my booking number by DM
en|o|0||@AirSocial @AirportLHR heading to gate 12 now
en|o|0||@AirSocial got the email, thanks, will check
en|o|0||@AirSocial my sister is on the 4pm flight from Denver
en|q|0||@AirSocial do you have a number for group bookings?
en|q|0|checkin|@AirSocial can I check in for my return flight now?
en|q|0|onboard|@AirSocial can I bring my own food on board?
en|q|0|baggage|@AirSocial is a backpack counted as a personal item?
en|r|0|booking|@AirSocial please add my frequent flyer number to my booking
en|r|0|customer_service|@AirSocial following you now, please DM me
en|r|-|baggage|@AirSocial please find my bag, it has my medication in it
en|s|0|onboard|@AirSocial why not offer a quiet zone on early morning flights
en|s|0|checkin|@AirSocial you could send boarding passes to Apple Wallet automatically
en|s|+|loyalty|@AirSocial love the app, it would be even better with a miles calculator
fr|c|-|delay|@AirSocial troisième report du départ, dites-nous la vérité
fr|q|-|delay|@AirSocial vous avez une heure de départ pour le vol de Marseille ?
fr|c|-|cancellation|@AirSocial deuxième annulation ce mois-ci sur la même ligne
fr|c|-|baggage|@AirSocial valise ouverte et des affaires manquantes à l'arrivée
fr|c|-|booking|@AirSocial le site plante au paiement et j'ai été débité trois fois
fr|q|0|booking|@AirSocial peut-on ajouter un bagage après la réservation ?
fr|c|-|customer_service|@AirSocial j'ai expliqué mon dossier à cinq personnes différentes
fr|c|-|onboard|@AirSocial plus rien à manger après le rang 10 sur un vol de 5 heures
fr|p|+|customer_service|@AirSocial merci à Thomas au téléphone, patient et aimable
fr|p|+||@AirSocial toujours un plaisir, à la semaine prochaine
fr|o|0||@AirSocial j'ai envoyé mon numéro de réservation en MP
fr|o|0||@AirSocial ma sœur est sur le vol de 16 h depuis Nice
fr|q|0|onboard|@AirSocial peut-on apporter sa nourriture à bord ?
fr|r|0|booking|@AirSocial merci d'ajouter mon numéro Flying Blue à ma réservation
fr|s|0|onboard|@AirSocial pourquoi pas une zone calme sur les vols du matin ?
de|c|-|delay|@AirSocial dritte Verschiebung des Abflugs, sagt uns doch einfach die Wahrheit
de|q|-|delay|@AirSocial gibt es schon eine neue Abflugzeit für den Flug nach Hamburg?
de|c|-|baggage|@AirSocial Koffer aufgerissen und Sachen fehlen
de|c|-|customer_service|@AirSocial ich habe meinen Fall jetzt fünf verschiedenen Leuten erklärt
de|c|-|onboard|@AirSocial nach Reihe 10 gab es nichts mehr zu essen
de|p|+|customer_service|@AirSocial danke an Thomas an der Hotline, geduldig und freundlich
de|p|+||@AirSocial immer wieder gerne, bis nächste Woche
de|o|0||@AirSocial Buchungsnummer per DM geschickt
de|q|0|onboard|@AirSocial darf ich eigenes Essen mit an Bord nehmen?
de|s|0|onboard|@AirSocial wie wäre es mit einer Ruhezone auf Frühflügen?
it|c|-|delay|@AirSocial terzo rinvio della partenza, diteci la verità
it|c|-|baggage|@AirSocial valigia aperta e mancano delle cose
it|c|-|customer_service|@AirSocial ho spiegato il mio caso a cinque persone diverse
it|c|-|onboard|@AirSocial dopo la fila 10 non c'era più niente da mangiare
it|p|+|customer_service|@AirSocial grazie a Tommaso al telefono, paziente e gentile
it|p|+||@AirSocial sempre un piacere, alla prossima settimana
it|o|0||@AirSocial ho mandato il codice di prenotazione in privato
it|q|0|onboard|@AirSocial posso portare il mio cibo a bordo?
it|s|0|onboard|@AirSocial perché non una zona silenziosa sui voli del mattino?
es|c|-|delay|@AirSocial tercer retraso anunciado, decidnos la verdad
es|c|-|baggage|@AirSocial maleta abierta y faltan cosas
es|c|-|customer_service|@AirSocial he explicado mi caso a cinco personas distintas
es|c|-|onboard|@AirSocial a partir de la fila 10 ya no quedaba comida
es|p|+|customer_service|@AirSocial gracias a Tomás por teléfono, paciente y amable
es|p|+||@AirSocial siempre un placer, hasta la semana que viene
es|o|0||@AirSocial te he mandado el localizador por privado
es|q|0|onboard|@AirSocial ¿puedo llevar mi propia comida a bordo?
es|s|0|onboard|@AirSocial ¿por qué no una zona tranquila en los vuelos de primera hora?
`;

export interface Seed {
  lang: string;
  intent: string;
  sentiment: string;
  topics: string[];
  text: string;
}

const INTENT_CODES: Record<string, string> = {
  q: 'question',
  c: 'complaint',
  r: 'request',
  s: 'suggestion',
  p: 'praise',
  o: 'other',
};
const SENTIMENT_CODES: Record<string, string> = { '-': 'negative', '0': 'neutral', '+': 'positive' };

export function parseSeeds(block: string): Seed[] {
  const out: Seed[] = [];
  for (const line of block.split('\n')) {
    const s = line.trim();
    if (!s) continue;
    const [lang, intent, sentiment, topics, ...rest] = s.split('|');
    const text = rest.join('|');
    if (!lang || !intent || !sentiment || topics === undefined || !text) throw new Error(`bad seed line: ${s}`);
    out.push({
      lang,
      intent: INTENT_CODES[intent] ?? intent,
      sentiment: SENTIMENT_CODES[sentiment] ?? sentiment,
      topics: topics ? topics.split(',') : [],
      text,
    });
  }
  return out;
}

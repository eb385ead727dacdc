/**
 * Cue lexicons for intent, urgency and sensitive flags, written for Passeur in en/fr/de/it/es
 * (a few nl/pt entries). Same syntax as the sentiment lexicon: `|` separates terms, `stem*` is a prefix,
 * several words form a phrase.
 */
import type { LexiconTable } from './types.ts';

export const INTENT_CUES: LexiconTable = {
  // interrogatives and question openers
  'q:word': {
    en: 'how|what|when|where|why|which|who|whom|whose|is there|are there|is it|are you|do you|does|did you|can i|could i|may i|should i|will i|will you|will my|will the|is my|any update|any news|any idea|anyone know|wondering|do i|am i|have you|has my|how long|how much|how many|what time|is this|any way|is it possible',
    fr: 'comment|pourquoi|quand|combien|quel|quelle|quels|quelles|où|qui|est ce que|est ce qu|puis je|pouvez vous|peut on|faut il|savez vous|y a t il|avez vous|dois je|est il|est elle|sera t il|va t il|que faire|des nouvelles|une idée|quelqu un sait|je me demande|c est normal',
    de: 'wie|was|wann|wo|warum|wieso|weshalb|welche|welcher|welches|wer|wohin|woher|kann ich|könnt ihr|können sie|kann man|muss ich|soll ich|gibt es|habt ihr|haben sie|ist das|ist es|wird mein|wird der|weiß jemand|was tun|wie lange|wieviel|wie viel|neuigkeiten',
    it: 'come|cosa|che cosa|quando|dove|perché|quale|quali|chi|quanto|quanta|quanti|posso|potete|può|si può|devo|c è|ci sono|avete|è possibile|qualcuno sa|che fare|novità|notizie|mi chiedo',
    es: 'cómo|qué|cuándo|dónde|por qué|cuál|cuáles|quién|cuánto|cuánta|cuántos|puedo|pueden|puede|se puede|debo|hay|tienen|es posible|alguien sabe|qué hago|novedades|noticias|me pregunto',
    nl: 'hoe|wat|wanneer|waar|waarom|welke|wie|kan ik|kunnen jullie|is er',
    pt: 'como|quando|onde|por que|porque|qual|quem|quanto|posso|podem|existe',
  },
  // asking someone to do something
  request: {
    en: 'please|pls|plz|could you|can you|would you|will you|can someone|could someone|need help|i need|we need|need to|i want|i would like|i d like|id like|looking for|help me|help us|dm me|dm|direct message|send me|let me know|get back to me|call me|contact me|fix|sort out|assist|reimburse|refund me|rebook me|give me|provide|waiting for|request|requesting|kindly|asap|urgently',
    fr: 's il vous plaît|s il vous plait|svp|stp|merci de|pourriez vous|pouvez vous|pourrais je|je voudrais|j aimerais|je souhaite|je souhaiterais|nous voudrions|j ai besoin|besoin d aide|aidez moi|aidez nous|contactez moi|rappelez moi|envoyez moi|mp|en mp|message privé|dites moi|merci de me|rembourser|remboursez|demande|je demande|je réclame|au plus vite|rapidement|urgent',
    de: 'bitte|könnten sie|können sie|könnt ihr|würden sie|ich möchte|ich hätte gern|ich hätte gerne|ich brauche|wir brauchen|brauche hilfe|helft mir|helfen sie|meldet euch|melden sie sich|ruft mich|rufen sie mich|schickt mir|senden sie|per dm|pn|direktnachricht|sagt mir|erstatten|erstattet|ich fordere|ich verlange|anfrage|bitte um|dringend|schnellstmöglich',
    it: 'per favore|per piacere|x favore|potreste|potete|potrebbe|vorrei|vorremmo|ho bisogno|abbiamo bisogno|aiutatemi|aiutateci|aiuto|contattatemi|richiamatemi|mandatemi|inviatemi|in dm|in privato|messaggio privato|ditemi|rimborsate|rimborsatemi|chiedo|richiedo|richiesta|pretendo|urgente|al più presto',
    es: 'por favor|porfa|x favor|podrían|pueden|podría|quisiera|quiero|me gustaría|necesito|necesitamos|necesito ayuda|ayúdenme|ayuda|contáctenme|llámenme|envíenme|mándenme|por dm|por md|mensaje privado|díganme|reembolsen|reembolso|pido|solicito|solicitud|exijo|urgente|lo antes posible|cuanto antes',
    nl: 'alstublieft|alsjeblieft|graag|kunnen jullie|ik wil|ik heb hulp nodig',
    pt: 'por favor|podem|gostaria|preciso|ajuda|queria',
  },
  // ideas and suggestions for the product or service
  suggest: {
    en: 'you should|you guys should|should have|should add|should offer|should consider|should really|would be nice|would be great|would be cool|would be awesome|would love|it d be|itd be|wish you|wish there|why not|why don t you|how about|what about|suggest*|idea|ideas|feature request|feedback|consider adding|please add|add an option|bring back|could you add|could add|improve|improvement|it would help|maybe you could|perhaps you could|recommendation',
    fr: 'vous devriez|il faudrait|faudrait|ce serait bien|ce serait super|ce serait génial|ce serait top|serait bien|j aimerais que|pourquoi ne pas|pourquoi pas|et si vous|suggestion*|suggère|suggérer|idée|idées|proposition|propose|proposer|pensez à|ajoutez|ajouter une option|améliorer|amélioration|remettez|ça serait bien|ca serait bien|envisager',
    de: 'ihr solltet|sie sollten|solltet ihr|man sollte|wäre schön|wäre toll|wäre super|wäre gut|wäre es|wäre cool|es wäre|fände ich gut|würde mir wünschen|ich wünsche mir|wünsche mir|warum nicht|wie wäre es|vorschlag*|idee|ideen|anregung*|verbesser*|fügt|hinzufügen|bringt zurück|wieder einführen|ihr könntet|könntet ihr nicht',
    it: 'dovreste|dovrebbero|sarebbe bello|sarebbe utile|sarebbe fantastico|sarebbe ottimo|sarebbe carino|sarebbe meglio|perché non|che ne dite|suggeri*|suggerimento|idea|idee|proposta|propongo|aggiungete|aggiungere|migliorare|miglioramento|potreste aggiungere|vi consiglio di|rimettete|reintrodurre',
    es: 'deberían|debería|estaría bien|sería genial|sería bueno|sería útil|sería estupendo|ojalá|por qué no|qué tal si|sugerencia*|sugiero|idea|ideas|propuesta|propongo|añadan|añadir|agregar|agreguen|mejorar|mejora|podrían añadir|recomiendo que|vuelvan a',
    nl: 'jullie zouden|zou mooi zijn|zou fijn zijn|idee|suggestie|voorstel',
    pt: 'deveriam|seria bom|seria ótimo|sugestão|sugiro|ideia|proposta',
  },
  // thanks and compliments
  praise: {
    en: 'thank you|thanks|thank u|thx|ty|thankyou|kudos|shoutout|shout out|props|hats off|great job|good job|well done|nice job|great service|excellent service|amazing service|great crew|great flight|best airline|love you|love flying|you rock|you guys rock|appreciate|bravo|congrats|congratulations|way to go|you re the best|keep it up|above and beyond|thank you so much|much appreciated',
    fr: 'merci|merci beaucoup|merci infiniment|un grand merci|bravo|félicitations|chapeau|top|au top|super service|excellent service|service impeccable|équipage génial|très bon vol|meilleure compagnie|je vous adore|continuez|vous êtes les meilleurs|remercier|remercie|remerciements|génial',
    de: 'danke|vielen dank|danke schön|dankeschön|herzlichen dank|tausend dank|bravo|glückwunsch|hut ab|toller service|super service|tolle crew|toller flug|beste airline|macht weiter so|weiter so|ihr seid die besten|ihr seid super|großes lob|lob|ein lob',
    it: 'grazie|grazie mille|grazie di cuore|bravi|brava|bravo|complimenti|congratulazioni|chapeau|servizio ottimo|ottimo servizio|equipaggio fantastico|volo perfetto|migliore compagnia|vi adoro|continuate così|siete i migliori|siete fantastici|un plauso',
    es: 'gracias|muchas gracias|mil gracias|enhorabuena|felicidades|felicitaciones|bravo|chapó|gran servicio|excelente servicio|servicio excelente|tripulación genial|vuelo perfecto|mejor aerolínea|os quiero|los quiero|sigan así|seguid así|son los mejores|sois los mejores|un aplauso',
    nl: 'bedankt|dank je|dankjewel|dank u|top|complimenten',
    pt: 'obrigado|obrigada|parabéns|muito obrigado|muito obrigada',
  },
  // explicit complaint markers (beyond negative sentiment)
  complain: {
    en: 'complaint|complain|complaining|unacceptable|ridiculous|disgrace|worst|terrible|horrible|awful|again|still|yet again|every time|never|no one|nobody|why is|why are|why do|why does|why did|how is it|how can you|seriously|what a joke|fed up|sick of|shame on you|not happy|very disappointed|so disappointed|fix this|sort this out|where is my|still no|still not|still waiting|no response|no reply|no answer|lost my|broke my|damaged my|charged me|ruined|you lost|you broke|you cancelled|you canceled',
    fr: 'plainte|réclamation|inadmissible|inacceptable|scandaleux|honteux|lamentable|encore|toujours pas|toujours rien|à chaque fois|jamais|personne|pourquoi|comment est ce possible|c est une blague|marre|ras le bol|honte à vous|pas content|très déçu|très déçue|où est ma|où est mon|aucune réponse|pas de réponse|vous avez perdu|vous avez cassé|vous avez annulé|débité|gâché|n importe quoi',
    de: 'beschwerde|reklamation|inakzeptabel|unverschämt|frechheit|zumutung|skandal|schon wieder|immer noch|jedes mal|nie|niemand|warum|wieso|wie kann es sein|ist das ein witz|die nase voll|schämt euch|nicht zufrieden|sehr enttäuscht|wo ist mein|wo ist meine|keine antwort|keine reaktion|ihr habt verloren|beschädigt|abgebucht|ruiniert',
    it: 'reclamo|lamentela|inaccettabile|vergogna|vergognoso|scandaloso|pessimo|ancora|di nuovo|ogni volta|mai|nessuno|perché|com è possibile|è una barzelletta|stufo|stufa|basta|vergognatevi|non sono contento|molto deluso|molto delusa|dov è il mio|dov è la mia|nessuna risposta|avete perso|avete rotto|addebitato|rovinato',
    es: 'queja|reclamación|reclamo|inaceptable|vergüenza|vergonzoso|escandaloso|pésimo|otra vez|de nuevo|cada vez|nunca|nadie|por qué|cómo es posible|es una broma|harto|harta|estoy harto|qué vergüenza|no estoy contento|muy decepcionado|muy decepcionada|dónde está mi|ninguna respuesta|sin respuesta|perdieron|rompieron|me cobraron|arruinado',
  },
};

/** Cues for urgency, sensitive flags and routing. */
export const RISK_CUES: LexiconTable = {
  safety: {
    en: 'unsafe|dangerous|smoke|fire on board|engine fire|caught fire|on fire|engine failure|emergency landing|bomb|bomb threat|threatened|security breach|evacuat*|fumes|smell of smoke|smell of fuel|fuel leak|near miss|aggressive passenger|assault*|attacked|harass*|unruly|weapon|gun|knife|mayday|oxygen mask*|fainted|passed out|no air|can t breathe|cant breathe|overheat*|heat stroke|safety issue|safety concern|safety hazard|safety risk|not safe|in danger',
    fr: 'dangereu*|fumée|feu|incendie|panne moteur|atterrissage d urgence|bombe|alerte à la bombe|menace|évacu*|odeur de brûlé|odeur de kérosène|fuite|crash|accident|passager agressif|agress*|harcèlement|harcel*|arme|couteau|masques à oxygène|malaise|évanoui*|étouff*|chaleur insupportable|on étouffe|problème de sécurité|pas sécurisé|en danger',
    de: 'gefährlich*|rauch|feuer|brand|triebwerksausfall|notlandung|bombe|bombendrohung|drohung|evakuier*|brandgeruch|kerosingeruch|leck|absturz|abgestürzt|unfall|aggressiv*|angegriffen|belästig*|waffe|messer|sauerstoffmaske*|ohnmächtig|bewusstlos|keine luft|hitzschlag|kollabiert|sicherheitsproblem|sicherheitsmangel|nicht sicher|in gefahr',
    it: 'pericolos*|fumo|fuoco|incendio|avaria|atterraggio di emergenza|bomba|allarme bomba|minaccia|evacua*|odore di bruciato|odore di carburante|perdita|schianto|incidente|passeggero aggressivo|aggredit*|aggressione|molest*|arma|coltello|maschere di ossigeno|svenut*|malore|senz aria|non si respira|caldo insopportabile|problema di sicurezza|non sicuro|in pericolo',
    es: 'peligros*|humo|fuego|incendio|fallo de motor|aterrizaje de emergencia|bomba|amenaza de bomba|amenaza|evacu*|olor a quemado|olor a combustible|fuga|accidente|estrellado|pasajero agresivo|agredid*|agresión|acoso|arma|cuchillo|mascarillas de oxígeno|desmay*|sin aire|no se puede respirar|calor insoportable|problema de seguridad|no es seguro|en peligro',
  },
  // acute emergencies: critical urgency on their own
  emergency: {
    en: 'emergency landing|fire on board|engine fire|caught fire|on fire|smoke in the cabin|smoke on board|smell of smoke|bomb threat|engine failure|can t breathe|cant breathe|passed out|fainted|unconscious|heart attack|seizure|not breathing|medical emergency|need a doctor|call an ambulance|bleeding badly|emergency evacuation|evacuated the plane|mayday',
    fr: 'atterrissage d urgence|feu à bord|incendie à bord|moteur en feu|fumée dans la cabine|fumée à bord|alerte à la bombe|panne moteur|on n arrive plus à respirer|évanoui|évanouie|inconscient|inconsciente|crise cardiaque|crise d épilepsie|urgence médicale|besoin d un médecin|appelez une ambulance|évacuation d urgence',
    de: 'notlandung|feuer an bord|brand an bord|triebwerksbrand|rauch in der kabine|rauch an bord|bombendrohung|triebwerksausfall|keine luft mehr|ohnmächtig|bewusstlos|herzinfarkt|krampfanfall|medizinischer notfall|brauchen einen arzt|krankenwagen rufen|notevakuierung',
    it: 'atterraggio di emergenza|fuoco a bordo|incendio a bordo|motore in fiamme|fumo in cabina|fumo a bordo|allarme bomba|avaria al motore|non si respira più|svenuto|svenuta|privo di sensi|infarto|crisi epilettica|emergenza medica|serve un medico|chiamate un ambulanza|evacuazione di emergenza',
    es: 'aterrizaje de emergencia|fuego a bordo|incendio a bordo|motor en llamas|humo en la cabina|humo a bordo|amenaza de bomba|fallo de motor|no se puede respirar|desmayado|desmayada|inconsciente|infarto|convulsiones|emergencia médica|necesitamos un médico|llamen a una ambulancia|evacuación de emergencia',
  },
  // passengers stuck somewhere (combined with duration/no-water cues for criticality)
  stranded: {
    en: 'stranded|stuck|trapped|locked in|sitting on the tarmac|on the tarmac|on tarmac|tarmac|held on the plane|kept on the plane|stuck on the plane|stuck in the plane|can t get off|cant get off|not allowed off|sleeping at the airport|sleep at the airport|slept at the airport|sleeping on the floor|overnight at the airport|no hotel|left at the airport|abandoned',
    fr: 'bloqué|bloqués|bloquée|bloquées|coincé|coincés|coincée|coincées|enfermés|sur le tarmac|tarmac|sur la piste|dans l avion depuis|on ne peut pas descendre|interdits de descendre|dormir à l aéroport|dormi à l aéroport|nuit à l aéroport|dormir par terre|pas d hôtel|aucun hôtel|abandonnés|abandonnées|livrés à nous mêmes',
    de: 'gestrandet|festsitzen|sitzen fest|sitze fest|feststecken|stecken fest|eingesperrt|auf dem rollfeld|rollfeld|vorfeld|im flugzeug fest|dürfen nicht aussteigen|nicht aussteigen|am flughafen schlafen|am flughafen übernachten|auf dem boden schlafen|kein hotel|im stich gelassen',
    it: 'bloccati|bloccato|bloccata|bloccate|intrappolati|chiusi|sulla pista|pista|in pista|sull aereo da|dentro l aereo|non ci fanno scendere|non possiamo scendere|dormire in aeroporto|notte in aeroporto|dormito in aeroporto|per terra|nessun hotel|abbandonati|abbandonate',
    es: 'atrapados|atrapado|atrapada|varados|varado|tirados|bloqueados|encerrados|en la pista|pista|en el avión desde|no nos dejan bajar|no podemos bajar|dormir en el aeropuerto|noche en el aeropuerto|dormido en el aeropuerto|en el suelo|sin hotel|abandonados|abandonadas',
  },
  no_water: {
    en: 'no water|without water|no food|without food|no air conditioning|no ac|no a c|no toilets|no bathroom|toilets overflowing|hungry|thirsty|dehydrated|no air',
    fr: 'sans eau|pas d eau|sans nourriture|pas à manger|rien à manger|sans clim|pas de clim|sans climatisation|pas de toilettes|toilettes bouchées|faim|soif|déshydrat*',
    de: 'ohne wasser|kein wasser|ohne essen|kein essen|keine klimaanlage|ohne klimaanlage|keine toiletten|hunger|durst|dehydriert',
    it: 'senza acqua|niente acqua|senz acqua|senza cibo|niente da mangiare|senza aria condizionata|niente aria condizionata|senza bagni|fame|sete|disidratat*',
    es: 'sin agua|no hay agua|sin comida|nada de comer|sin aire acondicionado|sin aire|sin baños|hambre|sed|deshidratad*',
  },
  // long durations ("for 3 hours", "depuis 2 h", "seit Stunden")
  duration: {
    en: 'hours|hrs|hour|hr|all night|overnight|all day|since this morning|since yesterday|for ages|forever|two days|2 days|three days|3 days',
    fr: 'heures|heure|h|depuis des heures|toute la nuit|toute la journée|depuis ce matin|depuis hier|deux jours|trois jours',
    de: 'stunden|stunde|std|seit stunden|die ganze nacht|den ganzen tag|seit heute morgen|seit gestern|zwei tage|drei tage',
    it: 'ore|ora|da ore|tutta la notte|tutto il giorno|da stamattina|da ieri|due giorni|tre giorni',
    es: 'horas|hora|desde hace horas|toda la noche|todo el día|desde esta mañana|desde ayer|dos días|tres días',
  },
  medical: {
    en: 'medical|medication|medicine|meds|insulin|diabetic|diabetes|asthma|inhaler|allergic|allergy|anaphyla*|epipen|seizure|heart attack|chest pain|pregnant|wheelchair|disabled|disability|oxygen|doctor|ambulance|paramedic*|hospital|hospitalized|pacemaker|dialysis|chemo|cancer',
    fr: 'médical*|médicament*|insuline|diabétique|diabète|asthme|inhalateur|allergi*|anaphyla*|crise cardiaque|douleur thoracique|enceinte|fauteuil roulant|handicap*|pmr|oxygène|médecin|docteur|ambulance|pompiers|samu|hôpital|hospitalisé*|dialyse|chimio*',
    de: 'medizin*|medikament*|insulin|diabetiker*|diabetes|asthma|allergi*|anaphyla*|herzinfarkt|brustschmerz*|schwanger|rollstuhl|behindert*|behinderung|sauerstoff|arzt|ärztin|notarzt|krankenwagen|rettungswagen|sanitäter|krankenhaus|klinik|dialyse|chemo*',
    it: 'medic*|farmac*|insulina|diabetic*|diabete|asma|allergi*|anafila*|infarto|dolore al petto|incinta|sedia a rotelle|disabil*|ossigeno|dottore|ambulanza|ospedale|ricoverat*|dialisi|chemio*',
    es: 'médic*|medicament*|medicina|insulina|diabétic*|diabetes|asma|alergi*|anafila*|infarto|dolor de pecho|embarazada|silla de ruedas|discapacit*|oxígeno|doctor|ambulancia|hospital|hospitalizad*|diálisis|quimio*',
  },
  legal: {
    en: 'lawyer|attorney|lawsuit|sue|suing|sued|legal action|take legal|court|small claims|class action|dot complaint|department of transportation|faa|consumer protection|ombudsman|regulator|eu261|ec261|eu 261|regulation 261|my rights|passenger rights|illegal|unlawful|breach of contract|fraud|chargeback|solicitor|litigation',
    fr: 'avocat|avocate|procès|poursuivre en justice|poursuites|porter plainte|plainte|tribunal|justice|action en justice|action collective|dgac|médiateur|association de consommateurs|ufc que choisir|que choisir|règlement 261|ce 261|ce261|mes droits|droits des passagers|illégal|illégale|escroquerie|fraude|mise en demeure|huissier',
    de: 'anwalt|anwältin|rechtsanwalt|klage|klagen|verklagen|gericht|rechtliche schritte|rechtsweg|sammelklage|schlichtungsstelle|söp|verbraucherzentrale|fluggastrechte|eu 261|eu261|verordnung 261|meine rechte|illegal|rechtswidrig|betrug|abmahnung|mahnbescheid|inkasso',
    it: 'avvocato|avvocata|causa|fare causa|denuncia|denunciare|tribunale|giudice|vie legali|azione legale|class action|enac|conciliazione|associazione consumatori|codacons|altroconsumo|regolamento 261|ce 261|ce261|miei diritti|diritti dei passeggeri|illegale|truffa|frode|diffida',
    es: 'abogado|abogada|demanda|demandar|denuncia|denunciar|juzgado|tribunal|acciones legales|vía judicial|demanda colectiva|aesa|consumo|facua|ocu|reglamento 261|ce 261|ce261|mis derechos|derechos del pasajero|ilegal|estafa|fraude|hoja de reclamaciones',
  },
  press: {
    en: 'journalist|journalists|reporter|reporters|the press|news desk|newsroom|editor at|my editor|writing a story|writing an article|my article|my story|my readers|my viewers|bbc|cnn|nbc|abc news|fox news|cbs|guardian|reuters|bloomberg|the times|new york times|nyt|wsj|associated press|interview|for comment|on the record|statement for|publish*|investigative|documentary|going to the media|contact the media|tell the media',
    fr: 'journaliste|journalistes|reporter|la presse|rédaction|rédacteur|rédactrice|alerter les médias|prévenir les médias|les médias|mon article|un article|reportage|le monde|le parisien|libération|le figaro|france info|franceinfo|bfm|bfmtv|tf1|france 2|france inter|rtl|europe 1|interview|interviewer|réaction pour|déclaration|publier|enquête|documentaire|60 millions de consommateurs',
    de: 'journalist*|reporter*|die presse|redaktion|redakteur*|die medien|an die medien|meinen artikel|einen artikel|bericht über|fernsehen|spiegel|bild zeitung|bild|süddeutsche|faz|zdf|ard|rtl|tagesschau|interview|stellungnahme|veröffentlich*|recherche|dokumentation',
    it: 'giornalista|giornalisti|reporter|la stampa|redazione|redattore|redattrice|ai media|ai giornali|il mio articolo|un articolo|corriere|corriere della sera|repubblica|rai|tg1|mediaset|striscia la notizia|le iene|sky tg24|intervista|dichiarazione|pubblicare|inchiesta|documentario',
    es: 'periodista|periodistas|reportero|reportera|la prensa|redacción|redactor|redactora|a los medios|mi artículo|un artículo|reportaje|el país|el mundo|rtve|antena 3|telecinco|la sexta|entrevista|declaraciones|publicar|investigación periodística|documental',
  },
  discrimination: {
    en: 'racist|racism|racial|discriminat*|sexist|sexism|homophob*|transphob*|islamophob*|antisemit*|xenophob*|profiled|profiling|because i m black|because of my race|because of my religion|because of my accent|because i m gay|because i m disabled|because of my disability|ableist|bigot*|slur',
    fr: 'raciste|racisme|discrimin*|sexiste|sexisme|homophob*|transphob*|islamophob*|antisémit*|xénophob*|délit de faciès|faciès|à cause de ma couleur|à cause de ma religion|à cause de mon accent|à cause de mon handicap|parce que je suis noir|parce que je suis noire|insulte raciste',
    de: 'rassist*|rassismus|diskriminier*|sexist*|sexismus|homophob*|transphob*|islamfeindlich*|antisemit*|fremdenfeindlich*|racial profiling|wegen meiner hautfarbe|wegen meiner religion|wegen meines akzents|wegen meiner behinderung',
    it: 'razzist*|razzismo|discrimina*|sessist*|sessismo|omofob*|transfob*|islamofob*|antisemit*|xenofob*|per il colore della mia pelle|per la mia religione|per il mio accento|per la mia disabilità',
    es: 'racista*|racismo|discrimin*|sexista*|sexismo|homófob*|homofob*|tránsfob*|islamófob*|antisemit*|xenófob*|por mi color de piel|por mi religión|por mi acento|por mi discapacidad',
  },
  death_injury: {
    en: 'died|death|killed|passed away|funeral|bereavement|injured|injury|injuries|got hurt|was hurt|broken arm|broken leg|broke my arm|broke my leg|bleeding|burned my|burns|concussion|fractur*|fell down|fell on|wounded|casualt*|fatality|fatalities|dead body|found dead',
    fr: 'mort|morte|morts|mortes|décédé*|décès|tué|tués|funérailles|obsèques|enterrement|deuil|blessé|blessée|blessés|blessure*|bras cassé|jambe cassée|saign*|sang|brûlé*|brûlure*|fracture*|tombé|tombée|chute|victime*',
    de: 'gestorben|tot|tote|todesfall|tod|getötet|verstorben*|beerdigung|trauerfall|verletzt*|verletzung*|arm gebrochen|bein gebrochen|blut*|verbrannt|verbrennung*|gehirnerschütterung|bruch|gestürzt|sturz|opfer',
    it: 'morto|morta|morti|morte|decedut*|decesso|ucciso|uccisi|funerale|lutto|ferito|ferita|feriti|ferite|braccio rotto|gamba rotta|sangue|sanguin*|ustion*|bruciat*|frattura|fratture|caduto|caduta|vittima|vittime',
    es: 'murió|muerto|muerta|muertos|muerte|fallecid*|fallecimiento|matado|funeral|entierro|luto|herido|herida|heridos|heridas|lesión|lesiones|brazo roto|pierna rota|sangre|sangrando|quemad*|quemadura*|fractura*|caído|caída|víctima*',
  },
  data_privacy: {
    en: 'data breach|hacked|my data|personal data|personal information|privacy|gdpr|identity theft|phishing|scam email|someone else s booking|someone elses booking|other people s data|my details|password reset|account compromised|compromised|stolen card|card stolen|delete my data|erase my data|data leak|leaked my data|leaked my details|security breach of',
    fr: 'fuite de données|piratage|piraté|piratée|hacké|mes données|données personnelles|informations personnelles|vie privée|rgpd|cnil|usurpation d identité|hameçonnage|phishing|réservation de quelqu un d autre|données d autres|compte piraté|carte volée|supprimer mes données|effacer mes données|droit à l oubli',
    de: 'datenleck|datenpanne|gehackt|hack|meine daten|persönliche daten|personenbezogene daten|datenschutz|dsgvo|identitätsdiebstahl|phishing|buchung von jemand anderem|daten anderer|konto gehackt|karte gestohlen|meine daten löschen|auskunft nach art 15',
    it: 'violazione dei dati|fuga di dati|hackerat*|i miei dati|dati personali|informazioni personali|privacy|gdpr|garante|furto d identità|phishing|prenotazione di un altro|dati di altri|account violato|carta rubata|cancellare i miei dati',
    es: 'filtración de datos|brecha de datos|hackead*|pirate*|mis datos|datos personales|información personal|privacidad|rgpd|aepd|suplantación de identidad|phishing|reserva de otra persona|datos de otros|cuenta hackeada|tarjeta robada|borrar mis datos',
  },
  vip: {
    en: 'platinum|diamond|1k|premier 1k|global services|chairman s preferred|executive platinum|million miler|vip|ceo of|celebrity|verified account|influencer|my followers|senator|minister|ambassador|member of parliament|mayor of',
    fr: 'platinum|platine|ultimate|vip|pdg|célébrité|influenceur|influenceuse|abonnés|mes abonnés|député|députée|sénateur|sénatrice|ministre|ambassadeur|maire',
    de: 'platinum|senator|hon circle|vip|vorstand|ceo|promi|prominent*|influencer|follower|meine follower|abgeordnete*|minister*|botschafter|bürgermeister',
    it: 'platinum|vip|amministratore delegato|ceo|celebrità|influencer|follower|i miei follower|deputato|deputata|senatore|senatrice|ministro|ambasciatore|sindaco',
    es: 'platinum|platino|vip|consejero delegado|ceo|famoso|famosa|influencer|seguidores|mis seguidores|diputado|diputada|senador|senadora|ministro|ministra|embajador|alcalde|alcaldesa',
  },
  crisis: {
    en: 'plane crash|crash landing|explosion|exploded|shooting|shooter|gunman|terror attack|terrorist*|terrorism|hijack*|earthquake|hurricane|tsunami|flooding|floods|wildfire|volcano|ash cloud|systemwide|system wide|it outage|all flights grounded|fleet grounded|airport closed|airport evacuated|mass cancellations|pandemic|outbreak|evacuation|lockdown|typhoon|cyclone|tornado|storm surge|derail*|train crash|helicopter crash|bus crash|building collapse|collapsed|flood|floodwaters|death toll|toll rises|toll climbs|victims|rescuers|rescue teams|relief efforts|bushfire*|landslide|avalanche|state of emergency|natural disaster|blackout|power outage|bomb|bombing|bombings|explosions|gunfire|shots fired|casualties|fatalities|killed|airline strike|pilots strike|pilot strike|crew strike|staff strike|on strike|strike action|general strike|walkout by|taken hostage|hostages|hostage situation|system outage|systemwide outage|dead bodies|people dead|found dead',
    fr: 'crash|accident d avion|explosion|fusillade|tireur|attentat|terroris*|détournement|otage*|séisme|tremblement de terre|ouragan|tsunami|inondation*|incendie de forêt|volcan|nuage de cendres|grève|grèves|panne informatique|panne générale|tous les vols annulés|cloués au sol|aéroport fermé|aéroport évacué|annulations massives|pandémie|épidémie|évacuation|confinement|typhon|cyclone|tornade|déraill*|effondrement|effondré|effondrée|inondé|inondée|inondés|victimes|secouristes|secours|bilan s alourdit|catastrophe naturelle|état d urgence|glissement de terrain|avalanche|coupure de courant|attentats|tués|morts',
    de: 'absturz|flugzeugabsturz|explosion|schießerei|schütze|anschlag|terror*|entführung|geisel*|erdbeben|hurrikan|tsunami|überschwemmung*|hochwasser|waldbrand|vulkan|aschewolke|streik|streiks|warnstreik|it ausfall|systemausfall|alle flüge gestrichen|flugverbot|flughafen gesperrt|flughafen geräumt|massenhaft gestrichen|pandemie|epidemie|evakuierung|lockdown|taifun|zyklon|tornado|entgleist*|einsturz|eingestürzt|überflutet|opfer|rettungskräfte|todesopfer|naturkatastrophe|ausnahmezustand|erdrutsch|lawine|stromausfall|anschläge|tote|getötet',
    it: 'schianto|incidente aereo|esplosione|sparatoria|attentato|terroris*|dirottamento|ostaggi*|terremoto|uragano|tsunami|alluvione|inondazion*|incendio boschivo|vulcano|nube di cenere|sciopero|scioperi|guasto informatico|blackout|tutti i voli cancellati|aeroporto chiuso|aeroporto evacuato|cancellazioni di massa|pandemia|epidemia|evacuazione|tifone|ciclone|tromba d aria|deragliat*|deragliamento|crollo|crollato|crollata|allagat*|vittime|soccorritori|soccorsi|bilancio delle vittime|calamità naturale|stato di emergenza|frana|valanga|blackout|attentati|morti|uccisi',
    es: 'accidente aéreo|explosión|tiroteo|atentado|terroris*|secuestro|rehenes|terremoto|huracán|tsunami|inundación|inundaciones|incendio forestal|volcán|nube de ceniza|huelga|huelgas|caída del sistema|apagón informático|todos los vuelos cancelados|aeropuerto cerrado|aeropuerto evacuado|cancelaciones masivas|pandemia|epidemia|evacuación|confinamiento|tifón|ciclón|tornado|descarril*|derrumbe|derrumbó|se derrumbó|inundad*|víctimas|rescatistas|rescate|balance de víctimas|catástrofe natural|estado de emergencia|deslizamiento|alud|apagón|sismo|temblor|atentados|muertos|fallecidos',
  },
  // a connection that will be or was missed
  missed_connection: {
    en: 'miss my connection|missed my connection|miss my connecting|missed my connecting|missing my connection|miss the connection|missed connection|misconnect*|connecting flight|connection|make my connection|won t make my|wont make my|miss my flight|missed my flight|tight connection',
    fr: 'rater ma correspondance|raté ma correspondance|manquer ma correspondance|manqué ma correspondance|correspondance ratée|correspondance manquée|louper ma correspondance|loupé ma correspondance|correspondance|rater mon vol|raté mon vol|manqué mon vol',
    de: 'anschluss verpassen|anschluss verpasst|anschlussflug verpasst|anschlussflug verpassen|anschlussflug|anschluss|umstieg|flug verpasst|flug verpassen|verpasse meinen|verpasst meinen',
    it: 'perdere la coincidenza|perso la coincidenza|perderò la coincidenza|coincidenza persa|coincidenza|volo in coincidenza|perdere il volo|perso il volo|perderò il volo',
    es: 'perder mi conexión|perdí mi conexión|perder la conexión|perdí la conexión|perderé mi conexión|conexión perdida|conexión|vuelo de conexión|perder el vuelo|perdí el vuelo|perder mi vuelo|perdí mi vuelo|escala',
  },
  anger: {
    en: 'furious|livid|outraged|disgusted|fuming|angry|pissed|pissed off|raging|enraged|beyond angry|never again|worst ever|fuck*|fck*|shit*|wtf|boycott*',
    fr: 'furieux|furieuse|hors de moi|écoeuré*|écœuré*|scandalisé*|en colère|énervé*|vénère|plus jamais|merde*|putain|boycott*|dégoûté*',
    de: 'wütend|stinksauer|außer mir|empört|fassungslos|angewidert|sauer|nie wieder|scheiße*|scheiss*|verdammt*|boykott*',
    it: 'furioso|furiosa|furiosi|infuriat*|incazzat*|indignat*|schifat*|arrabbiatissim*|mai più|merda|cazz*|boicott*',
    es: 'furioso|furiosa|furiosos|indignad*|cabread*|encabronad*|asqueado*|enfadadísim*|nunca más|mierda|joder|boicot*',
  },
  // product or service defects (routing to quality when they recur)
  defect: {
    en: 'broken|broke|not working|doesn t work|doesnt work|does not work|don t work|dont work|out of order|malfunction*|faulty|defect*|bug|buggy|glitch*|crashes|crashed|error|error message|keeps crashing|won t load|wont load|down|inoperable|dirty|filthy|stained|smell*|leak*|wifi|wi fi|entertainment system|screen|seat won t recline|outlet|power outlet|charger|app',
    fr: 'cassé|cassée|cassés|ne marche pas|ne fonctionne pas|marche pas|fonctionne pas|hors service|en panne|panne|défectueu*|défaut|bug|bugue|beugue|plante|planté|erreur|message d erreur|ne charge pas|sale|sales|taché*|odeur|fuite|wifi|wi fi|écran|siège cassé|prise|prise électrique|application|appli|site',
    de: 'kaputt|defekt*|funktioniert nicht|geht nicht|außer betrieb|störung|fehlerhaft*|mangel|bug|abgestürzt|stürzt ab|fehler|fehlermeldung|lädt nicht|dreckig|schmutzig|fleckig|geruch|stinkt|undicht|wlan|wifi|bildschirm|sitz kaputt|steckdose|app|webseite|website',
    it: 'rotto|rotta|rotti|rotte|non funziona|non funzionano|fuori servizio|guasto|guasta|difettos*|difetto|bug|si blocca|crasha|errore|messaggio di errore|non carica|sporco|sporca|sporchi|macchiat*|puzza|perdita|wifi|wi fi|schermo|sedile rotto|presa|presa elettrica|app|sito',
    es: 'roto|rota|rotos|rotas|no funciona|no funcionan|fuera de servicio|averiado|averiada|avería|defectuos*|defecto|bug|se cuelga|error|mensaje de error|no carga|sucio|sucia|sucios|manchad*|olor|huele|fuga|wifi|wi fi|pantalla|asiento roto|enchufe|aplicación|app|web',
  },
  recurring: {
    en: 'again|yet again|every time|everytime|always|each time|once again|for the third time|third time|second time|for the second time|keeps|keep happening|still|repeatedly|constantly|every flight|every week|recurring|same problem|same issue|as usual|as always|never works',
    fr: 'encore|encore une fois|à nouveau|de nouveau|à chaque fois|chaque fois|toujours|une fois de plus|pour la troisième fois|troisième fois|deuxième fois|sans arrêt|constamment|à chaque vol|chaque semaine|même problème|comme d habitude|comme toujours|systématiquement|récurrent*',
    de: 'schon wieder|wieder|jedes mal|immer|immer wieder|erneut|zum dritten mal|zum zweiten mal|ständig|dauernd|bei jedem flug|jede woche|gleiche problem|gleiches problem|wie immer|wie üblich|regelmäßig',
    it: 'ancora|di nuovo|ancora una volta|ogni volta|sempre|per la terza volta|terza volta|seconda volta|continuamente|ogni volo|ogni settimana|stesso problema|come al solito|come sempre|ricorrente',
    es: 'otra vez|de nuevo|una vez más|cada vez|siempre|por tercera vez|tercera vez|segunda vez|constantemente|continuamente|cada vuelo|cada semana|mismo problema|como siempre|como de costumbre|recurrente',
  },
};

/**
 * Sentiment lexicons written for Passeur (customer care on social networks), per language.
 * Terms are separated by `|`; `stem*` matches any word starting with `stem`; several words form a phrase.
 * Matching folds case and accents, so `très` and `tres` are the same term.
 *
 * Categories: pos/neg (±1), pos2/neg2 (±2, strong), negd (−1, service-failure words: delayed, lost, on hold …),
 * negator (flips the next words), intens (×1.6), dimin (×0.5), contrast (what follows weighs more).
 */
import type { LexiconTable } from './types.ts';

export const SENTIMENT_LEXICON: LexiconTable = {
  pos: {
    en: 'good|nice|great|cool|glad|happy|pleased|enjoy*|like|liked|likes|lovely|fine|fun|best|better|well done|smooth|thnx|thanx|tks|tysm|comfortable|comfy|friendly|helpful|kind|polite|courteous|quick|fast|efficient|easy|clean|safe|recommend*|appreciate*|thank*|thx|ty|congrat*|welcome|beautiful|pretty|fair|impressed|worth|win|won|winner|solved|resolved|fixed|sorted|on time|early|upgrade*|perfect|super|yay|wow|hope|hopeful|luck|lucky|pleasure|cheers|kudos|props|gorgeous|sweet|smile*|laugh*|yes|ok|okay|glad to|relieved|support*|care|cares|caring|prompt|professional|reliable|seamless|attentive|accommodating|generous|grateful|exceeded',
    fr: 'bien|bon|bonne|bons|bonnes|super|cool|content*|heureu*|ravi*|plaisir|aime|aimé|adore*|agréable*|sympa*|gentil*|aimable*|poli|polie|rapide*|efficace*|facile*|propre*|recommande*|merci*|bravo|félicit*|beau|belle|beaux|joli*|mieux|meilleur*|parfait*|génial*|top|chouette|confortable*|accueillant*|serviable*|professionnel*|à l heure|en avance|résolu*|réglé*|satisf*|reconnaissant*|chanceu*|espoir|espère|bienvenue|rire|sourire|souriant*|ponctuel*|impeccable*|fiable*|soulag*|remercie*|apprécie*|attentionn*|réactif*|réactive*',
    de: 'gut|gute|guten|guter|gutes|super|toll*|schön*|nett*|freundlich*|freu*|glücklich*|zufrieden*|danke*|dank|vielen dank|lieb*|mag|gerne|gern|angenehm*|bequem*|schnell*|effizient*|einfach|sauber*|empfehl*|bravo|glückwunsch|gratul*|besser*|beste*|perfekt*|klasse|spitze|prima|genial*|wunderbar*|hilfsbereit*|höflich*|pünktlich*|zuverlässig*|gelöst|erledigt|geklappt|hoffnung|hoffe|willkommen|lachen|lächeln|entspannt*|erleichtert|top|kompetent*|professionell*|großartig*|hervorragend*|ausgezeichnet*',
    it: 'bene|buon|buono|buona|buoni|buone|bello|bella|belli|belle|bravo|brava|bravi|brave|grazie|ottim*|contento|contenta|contenti|felic*|piace|piaciut*|adoro|amo|gentil*|cortes*|veloce|veloci|rapid*|efficient*|facile|pulit*|consiglio|consiglia*|complimenti|congratulazioni|meglio|miglior*|perfett*|fantastic*|magnific*|stupend*|splendid*|comod*|disponibil*|professional*|puntual*|affidabil*|risolt*|sistemat*|soddisfatt*|speranza|spero|benvenut*|sorris*|ridere|top|super|grande|eccellent*|meraviglios*|simpatic*|grat*',
    es: 'bien|buen|bueno|buena|buenos|buenas|genial*|guay|content*|feliz|felices|encant*|gusta|gustó|me gusta|amable*|cortés|rápid*|eficient*|fácil*|limpi*|recomiend*|recomend*|gracias|agradec*|enhorabuena|felicidades|felicit*|bonit*|hermos*|lind*|mejor|mejores|perfect*|fantástic*|estupend*|maravill*|excelent*|cómod*|atent*|profesional*|puntual*|resuelt*|solucionad*|satisfech*|esperanza|espero|bienvenid*|sonris*|reír|top|súper|super|increíble*|gran|majo|maja|simpátic*',
    nl: 'goed|goede|mooi*|leuk*|fijn*|blij|tevreden|bedankt|dank|dankjewel|dankuwel|super|top|geweldig*|prima|vriendelijk*|snel*|aanrader|perfect|beste|beter|uitstekend*',
    pt: 'bom|boa|bons|boas|ótim*|otim*|obrigad*|feliz|gosto|gostei|adoro|amo|legal|lind*|perfeit*|excelente*|maravilh*|rápid*|simpátic*|melhor|incrível|parabéns|top',
  },
  pos2: {
    en: 'love|loved|loving|loves|amazing|awesome|excellent|fantastic|wonderful|brilliant|outstanding|superb|incredible|fabulous|phenomenal|exceptional|best ever|thank you so much|thanks so much|rock|rocks|rockstar|heroes|hero|stellar|spectacular|delighted|thrilled|ecstatic|❤|love you',
    fr: 'adore|adoré|magnifique*|excellent*|fantastique*|formidable*|merveill*|extraordinaire*|incroyable*|exceptionnel*|sublime*|géniale|génial|merci beaucoup|merci infiniment|un grand merci|au top|trop bien|ravie|ravis|enchanté*|bravo à',
    de: 'liebe|großartig*|fantastisch*|wunderbar*|hervorragend*|ausgezeichnet*|grandios*|unglaublich gut|begeistert*|vielen herzlichen dank|herzlichen dank|tausend dank|spitzenklasse|traumhaft*|mega',
    it: 'adoro|fantastic*|meraviglios*|eccezional*|stupend*|eccellent*|splendid*|grazie mille|grazie di cuore|entusiast*|strepitos*|favolos*|incredibil*',
    es: 'encanta|encantó|encantad*|maravillos*|excelente*|fantástic*|increíble*|espectacular*|muchas gracias|mil gracias|estupend*|genial|brutal',
    nl: 'geweldig*|fantastisch*|heel erg bedankt|super bedankt',
    pt: 'maravilhos*|excelente*|incrível|muito obrigad*|adorei',
  },
  neg: {
    en: 'bad|poor|poorly|sad|unhappy|sorry|sucks|suck|sucked|annoy*|disappoint*|frustrat*|upset|angry|mad|worse|wrong|fail*|problem*|issue*|trouble|broken|broke|dirty|rude|slow|late|miss|missed|missing|lost|lose|losing|waste*|wasting|ugh|meh|hate*|hard|difficult|confus*|mess|messed|unfortunately|sadly|nope|never again|complain*|complaint*|bother*|lack*|nobody|no one|useless|pointless|tired|sick|hurt|worried|worry|cold|cramped|uncomfortable|expensive|overpriced|charged|fee|fees|unprofessional|incompetent|unhelpful|lied|lie|lies|liar*|scam*|shame*|stuck|stranded|ignored|ignoring|ignore|waiting|wait|hours|hrs|hold|denied|refuse*|rebook*|unable|cannot|cant|cancelled|canceled|cancel*|delay*|again|still|yet again|smh|wtf|ridiculous|whatever|lost luggage|no response|no answer|no help|hung up|hang up',
    fr: 'mal|mauvais*|nul|nulle|nuls|triste*|désolé*|dommage|décevant*|déçu*|déception*|énerv*|agaç*|fâché*|colère|pire|problème*|souci*|panne*|cassé*|sale*|sales|impoli*|lent*|retard*|raté*|rater|perdu*|perte|gâch*|hélas|malheureusement|marre|ras le bol|plainte*|réclamation*|personne|inutile*|fatigué*|malade*|inquiet*|froid|cher|chère|chers|frais|annul*|attente|attendre|attends|attendu|bloqué*|coincé*|ignor*|refus*|impossible|incompétent*|arnaque*|honte*|menti|mensonge*|encore|toujours pas|pourquoi|sérieusement|n importe quoi|galère*|bordel|bof|aucun*|aucune réponse|pas de réponse|zéro',
    de: 'schlecht*|traurig*|schade|leider|enttäusch*|ärger*|sauer|wütend*|frustriert*|schlimm*|schlimmer|falsch*|problem*|defekt*|kaputt*|dreckig*|schmutzig*|unhöflich*|langsam*|verspät*|verpasst*|verloren*|verschwend*|nervig*|nervt|genervt|hass*|schwierig*|beschwer*|reklamation*|niemand|nutzlos*|müde|krank*|sorge*|kalt|teuer*|gebühr*|storn*|annulliert*|gestrichen|ausgefallen|ausfall|warten|warte|wartezeit|stunden|std|festsitz*|gestrandet|ignorier*|abgelehnt|verweigert*|unmöglich|inkompetent*|betrug*|lüge*|gelogen|schon wieder|immer noch|warum|wieso|ernsthaft|lächerlich*|chaos|mist|keine antwort|keiner',
    it: 'male|brutto|brutta|brutti|brutte|cattiv*|triste*|peccato|purtroppo|delus*|deludent*|arrabbiat*|incazzat*|frustrat*|peggio|peggior*|sbagliat*|problem*|guast*|rotto|rotta|rotti|sporc*|maleducat*|lent*|ritard*|perso|persa|persi|perse|perdere|spreco|sprecat*|odio|difficil*|reclam*|lamentel*|nessuno|inutil*|stanc*|malat*|preoccupat*|freddo|caro|cara|cari|costos*|annullat*|cancellat*|soppress*|attesa|aspettare|aspetto|aspettando|ore|bloccat*|ignorat*|rifiutat*|impossibil*|incompetent*|truffa*|vergogn*|bugia*|ancora|perché|sul serio|ridicol*|casino|disagi*|nessuna risposta',
    es: 'mal|malo|mala|malos|malas|triste*|lástima|pena|desgraciadamente|lamentablemente|decepcion*|enfadad*|enojad*|molest*|frustrad*|peor|peores|equivocad*|problema*|averiad*|rot*|sucio*|sucia*|grosero*|maleducad*|lent*|retras*|perdid*|perder|perdí|desperdici*|odio|difícil*|queja*|reclamación*|reclamo*|nadie|inútil*|cansad*|enferm*|preocupad*|frío|caro|cara|caros|comisión|cancelad*|cancelación|anulad*|espera|esperar|esperando|horas|atrapad*|tirad*|ignor*|rechaz*|imposible|incompetent*|estafa*|vergüenza|mentira*|mintieron|otra vez|todavía|por qué|en serio|ridícul*|caos|ninguna respuesta|sin respuesta',
    nl: 'slecht*|jammer|helaas|teleurgesteld*|boos|vertraag*|vertraging|geannuleerd|kwijt|verloren|probleem|kapot|duur|wachten|nooit meer|waardeloos|klacht',
    pt: 'mau|má|ruim|ruins|triste|pena|infelizmente|decepcion*|chatead*|irritad*|pior|problema*|atras*|perdid*|cancelad*|espera|esperando|horas|caro|vergonha|péssim*',
  },
  neg2: {
    en: 'worst|terrible|horrible|awful|disgusting|disgrace*|pathetic|unacceptable|outrageous|appalling|atrocious|horrendous|nightmare|furious|livid|hate|hated|shameful|ridiculous|joke|fuck*|fck*|shit*|crap*|dreadful|abysmal|lousy|garbage|trash|sick of|fed up|never again|disaster*|incompetence|worst airline|never fly|never flying|boycott*',
    fr: 'pire|pires|horrible*|affreu*|lamentable*|inadmissible*|inacceptable*|scandal*|honteu*|catastroph*|cauchemar*|dégueulasse|dégoûtant*|furieu*|déteste*|nullissime|minable*|pitoyable*|merde*|putain|foutage|se foutre|plus jamais|écoeur*|écœur*|exaspér*|insupportable*|inadmissible|zéro respect|boycott*',
    de: 'schrecklich*|furchtbar*|katastroph*|unverschämt*|unmöglich|inakzeptabel*|skandal*|peinlich*|erbärmlich*|widerlich*|ekelhaft*|albtraum*|alptraum*|hasse|wütend|stinksauer|scheiße*|scheiss*|mist|nie wieder|zumutung|frechheit|armselig*|desaster*|boykott*',
    it: 'pessim*|orribil*|terribil*|vergognos*|inaccettabil*|scandalos*|schifo*|schifos*|disgustos*|incubo|furios*|odio|merda|cazz*|mai più|vergogna|indecente*|disastro*|disastros*|inammissibil*|assurd*|ridicolo|boicott*',
    es: 'pésim*|horribl*|terribl*|vergonzos*|inaceptable*|escandalos*|asco|asquer*|desastre*|desastros*|pesadilla|furios*|odio|mierda|joder|nunca más|vergüenza|indignant*|lamentable*|fatal|penoso|penosa|boicot*',
    nl: 'verschrikkelijk*|vreselijk*|schandalig*|belachelijk*|waardeloos*|nooit meer',
    pt: 'péssim*|horrível|terrível|vergonhos*|inaceitável|absurdo|nunca mais',
  },
  negd: {
    en: 'delayed|cancelled flight|cancelled flightled|late flight|lost bag|lost luggage|lost my|on hold|no one|still waiting|been waiting|waited|missed my connection|missed connection|stuck|stranded|overbooked|bumped|diverted|damaged|rebooked|left behind|no refund|no compensation|no wifi|no food|no water|charged twice|hung up|on the tarmac|hold music|busy signal|call back|sat on|sitting on',
    fr: 'en retard|annulé|annulée|vol annulé|bagage perdu|valise perdue|toujours pas|toujours rien|on attend|j attends|correspondance ratée|rater ma correspondance|bloqués|surbooking|surréservation|dérouté|endommagé*|abîmé*|pas de remboursement|aucun remboursement|pas de wifi|sans eau|débité deux fois|raccroch*|sur le tarmac',
    de: 'verspätet|verspätung|gestrichen|annulliert|gepäck verloren|koffer verloren|koffer weg|immer noch nicht|warte seit|warten seit|anschluss verpasst|anschlussflug verpasst|überbucht|umgeleitet|beschädigt*|keine erstattung|kein wlan|ohne wasser|doppelt abgebucht|aufgelegt|auf dem rollfeld',
    it: 'in ritardo|ritardo|cancellato|annullato|bagaglio perso|valigia persa|ancora niente|aspetto da|coincidenza persa|perso la coincidenza|bloccati|overbooking|dirottato|danneggiat*|nessun rimborso|senza acqua|addebitato due volte|riattaccato|sulla pista',
    es: 'con retraso|retrasado|retrasada|cancelado|cancelada|maleta perdida|equipaje perdido|todavía nada|sigo esperando|llevo esperando|perdí la conexión|perdí mi conexión|atrapados|overbooking|desviado|dañad*|sin reembolso|sin agua|cobrado dos veces|colgaron|en la pista',
  },
  negator: {
    en: 'not|no|never|none|nothing|nobody|neither|nor|without|dont|didnt|doesnt|isnt|wasnt|arent|werent|wont|wouldnt|cant|couldnt|shouldnt|havent|hasnt|hadnt|aint|cannot|hardly|lack|lacking',
    fr: 'pas|ne|n|jamais|rien|aucun|aucune|sans|ni|guère|personne|plus',
    de: 'nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals|nichts|ohne|weder|noch nie',
    it: 'non|no|mai|niente|nulla|nessun|nessuno|nessuna|senza|né',
    es: 'no|nunca|jamás|nada|ningún|ninguno|ninguna|sin|ni|tampoco',
    nl: 'niet|geen|nooit|niets|zonder',
    pt: 'não|nao|nunca|nada|nenhum|nenhuma|sem',
  },
  intens: {
    en: 'very|so|really|too|extremely|super|totally|absolutely|completely|truly|incredibly|highly|such|most|much|way|fucking|seriously|utterly|beyond|ever|soooo',
    fr: 'très|trop|vraiment|tellement|hyper|super|totalement|complètement|absolument|extrêmement|carrément|si|grave|vachement|franchement|énormément',
    de: 'sehr|so|wirklich|total|extrem|absolut|völlig|komplett|echt|mega|super|äußerst|zu|richtig|voll|unglaublich|besonders',
    it: 'molto|troppo|davvero|veramente|così|super|totalmente|assolutamente|completamente|estremamente|proprio|tanto|tantissimo|davvero tanto',
    es: 'muy|tan|demasiado|realmente|súper|totalmente|absolutamente|completamente|extremadamente|bastante|tanto|muchísimo',
    nl: 'heel|erg|zeer|echt|super|enorm|ontzettend',
    pt: 'muito|tão|demais|realmente|super|totalmente|extremamente',
  },
  dimin: {
    en: 'bit|slightly|somewhat|little|kinda|kind of|sort of|fairly|quite',
    fr: 'un peu|assez|plutôt|légèrement',
    de: 'etwas|bisschen|ein wenig|ziemlich|leicht',
    it: 'un po|abbastanza|piuttosto|leggermente',
    es: 'un poco|algo|bastante|ligeramente',
  },
  contrast: {
    en: 'but|however|though|although|yet|except|unfortunately',
    fr: 'mais|cependant|pourtant|sauf|malheureusement|toutefois',
    de: 'aber|jedoch|doch|allerdings|trotzdem|leider',
    it: 'ma|però|tuttavia|purtroppo|eppure|invece',
    es: 'pero|sin embargo|aunque|lamentablemente|excepto',
  },
};

/** Emoji polarity: each emoji followed by its polarity; emoticons use the pseudo code points of text.ts. */
const EMOJI_TABLE = [
  '☀0.5 ☺1.5 ♥1.5 ✅0.8 ✌1 ✨1 ❤2 ⭐1 🌈1 🌟1 🌹1 🍾1 🎁1 🎉1.5 🎊1.5 👋0.5 👌1 👍1',
  '👏1.5 💐1 💕2 💖2 💗2 💘2 💙1.5 💚1.5 💛1.5 💜1.5 💪1 💯1 🔥0.7 🖤0.5 😀1 😁1 😂0.5 😃1',
  '😄1 😅0.5 😆1 😇1 😉1 😊1.5 😋1 😌1 😍2 😎1 😏0.2 😗1 😘1.5 😙1 😚1 😛0.5 😜0.5 😝0.5 😸1',
  '😻2 🙂0.7 🙃0.2 🙌1.5 🙏0.8 🤗1.5 🤣0.5 🤩2 🥂1 🥰2 🥳1.5 🧡1.5',
  '☹-1.5 ⚠-0.5 ❌-1 👎-1.5 💀-0.5 💔-2 💢-1.5 💩-1.5 🖕-2.5 😐-0.5 😑-0.8 😒-1.5',
  '😓-1 😔-1.5 😕-1 😖-1.5 😞-1.5 😟-1 😠-2 😡-2 😢-1.5 😣-1.5 😤-1.5 😥-1 😦-1 😧-1',
  '😨-1.5 😩-1.5 😪-0.5 😫-1.5 😬-0.7 😭-1.5 😮-0.3 😰-1.5 😱-1.5 😲-0.5 😳-0.5',
  '😴-0.5 😵-1 😶-0.5 😷-0.5 🙁-1 🙄-1.5 🚫-1 🤒-1 🤕-1 🤢-2 🤦-1.5 🤬-2.5 🤮-2 🤯-1',
  '🤷-0.5 🥱-1 🥴-0.5 🥺-0.7',
].join(' ');

export const EMOJI_POLARITY: Record<number, number> = (() => {
  const out: Record<number, number> = {};
  for (const item of EMOJI_TABLE.split(' ')) {
    const m = /^(\D+?)(-?[\d.]+)$/u.exec(item);
    if (!m) continue;
    const cp = m[1]!.codePointAt(0);
    if (cp !== undefined) out[cp] = Number(m[2]);
  }
  // emoticons :) :( <3 ;) :D
  out[0xf0001] = 1;
  out[0xf0002] = -1.5;
  out[0xf0003] = 1.5;
  out[0xf0004] = 0.7;
  out[0xf0005] = 1;
  return out;
})();

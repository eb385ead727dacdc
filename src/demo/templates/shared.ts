/** Data shared by every language: the network, emoji, links and the odd inputs a safe interface must show as text. */
import type { Sentiment } from '../../triage/types.ts';

export interface DemoCity {
  code: string;
  /** Long-haul destinations are flown by AirSocial only. */
  longHaul?: boolean;
  /** Connecting hubs fill `{hub}`. */
  hub?: boolean;
  /** The city's name as people write it in each language; several spellings are picked at random. */
  names: Readonly<Record<string, readonly string[]>>;
}

export const DEMO_CITIES: readonly DemoCity[] = [
  {
    code: 'GVA',
    hub: true,
    names: {
      fr: ['Genève', 'GVA'],
      de: ['Genf'],
      it: ['Ginevra'],
      en: ['Geneva', 'GVA'],
      es: ['Ginebra'],
      nl: ['Genève'],
      pt: ['Genebra'],
    },
  },
  {
    code: 'ZRH',
    hub: true,
    names: {
      fr: ['Zurich'],
      de: ['Zürich', 'ZRH'],
      it: ['Zurigo'],
      en: ['Zurich', 'ZRH'],
      es: ['Zúrich'],
      nl: ['Zürich'],
      pt: ['Zurique'],
    },
  },
  {
    code: 'BSL',
    names: {
      fr: ['Bâle'],
      de: ['Basel'],
      it: ['Basilea'],
      en: ['Basel'],
      es: ['Basilea'],
      nl: ['Bazel'],
      pt: ['Basileia'],
    },
  },
  {
    code: 'LUG',
    names: {
      fr: ['Lugano'],
      de: ['Lugano'],
      it: ['Lugano'],
      en: ['Lugano'],
      es: ['Lugano'],
      nl: ['Lugano'],
      pt: ['Lugano'],
    },
  },
  {
    code: 'MXP',
    names: {
      fr: ['Milan'],
      de: ['Mailand', 'Milano'],
      it: ['Milano', 'Malpensa'],
      en: ['Milan'],
      es: ['Milán'],
      nl: ['Milaan'],
      pt: ['Milão'],
    },
  },
  {
    code: 'FCO',
    names: {
      fr: ['Rome'],
      de: ['Rom'],
      it: ['Roma', 'Fiumicino'],
      en: ['Rome'],
      es: ['Roma'],
      nl: ['Rome'],
      pt: ['Roma'],
    },
  },
  {
    code: 'NAP',
    names: {
      fr: ['Naples'],
      de: ['Neapel'],
      it: ['Napoli'],
      en: ['Naples'],
      es: ['Nápoles'],
      nl: ['Napels'],
      pt: ['Nápoles'],
    },
  },
  {
    code: 'VCE',
    names: {
      fr: ['Venise'],
      de: ['Venedig'],
      it: ['Venezia'],
      en: ['Venice'],
      es: ['Venecia'],
      nl: ['Venetië'],
      pt: ['Veneza'],
    },
  },
  {
    code: 'CTA',
    names: {
      fr: ['Catane'],
      de: ['Catania'],
      it: ['Catania'],
      en: ['Catania'],
      es: ['Catania'],
      nl: ['Catania'],
      pt: ['Catânia'],
    },
  },
  {
    code: 'CDG',
    hub: true,
    names: {
      fr: ['Paris', 'Paris-CDG', 'Roissy'],
      de: ['Paris'],
      it: ['Parigi'],
      en: ['Paris'],
      es: ['París'],
      nl: ['Parijs'],
      pt: ['Paris'],
    },
  },
  {
    code: 'NCE',
    names: { fr: ['Nice'], de: ['Nizza'], it: ['Nizza'], en: ['Nice'], es: ['Niza'], nl: ['Nice'], pt: ['Nice'] },
  },
  {
    code: 'LYS',
    names: { fr: ['Lyon'], de: ['Lyon'], it: ['Lione'], en: ['Lyon'], es: ['Lyon'], nl: ['Lyon'], pt: ['Lyon'] },
  },
  {
    code: 'FRA',
    hub: true,
    names: {
      fr: ['Francfort'],
      de: ['Frankfurt', 'FRA'],
      it: ['Francoforte'],
      en: ['Frankfurt'],
      es: ['Fráncfort'],
      nl: ['Frankfurt'],
      pt: ['Frankfurt'],
    },
  },
  {
    code: 'MUC',
    names: {
      fr: ['Munich'],
      de: ['München'],
      it: ['Monaco di Baviera'],
      en: ['Munich'],
      es: ['Múnich'],
      nl: ['München'],
      pt: ['Munique'],
    },
  },
  {
    code: 'BER',
    names: {
      fr: ['Berlin'],
      de: ['Berlin', 'BER'],
      it: ['Berlino'],
      en: ['Berlin'],
      es: ['Berlín'],
      nl: ['Berlijn'],
      pt: ['Berlim'],
    },
  },
  {
    code: 'HAM',
    names: {
      fr: ['Hambourg'],
      de: ['Hamburg'],
      it: ['Amburgo'],
      en: ['Hamburg'],
      es: ['Hamburgo'],
      nl: ['Hamburg'],
      pt: ['Hamburgo'],
    },
  },
  {
    code: 'VIE',
    names: {
      fr: ['Vienne'],
      de: ['Wien'],
      it: ['Vienna'],
      en: ['Vienna'],
      es: ['Viena'],
      nl: ['Wenen'],
      pt: ['Viena'],
    },
  },
  {
    code: 'LHR',
    names: {
      fr: ['Londres'],
      de: ['London'],
      it: ['Londra'],
      en: ['London', 'Heathrow'],
      es: ['Londres'],
      nl: ['Londen'],
      pt: ['Londres'],
    },
  },
  {
    code: 'AMS',
    names: {
      fr: ['Amsterdam'],
      de: ['Amsterdam'],
      it: ['Amsterdam'],
      en: ['Amsterdam'],
      es: ['Ámsterdam'],
      nl: ['Amsterdam', 'Schiphol'],
      pt: ['Amesterdão'],
    },
  },
  {
    code: 'BRU',
    names: {
      fr: ['Bruxelles'],
      de: ['Brüssel'],
      it: ['Bruxelles'],
      en: ['Brussels'],
      es: ['Bruselas'],
      nl: ['Brussel'],
      pt: ['Bruxelas'],
    },
  },
  {
    code: 'BCN',
    names: {
      fr: ['Barcelone'],
      de: ['Barcelona'],
      it: ['Barcellona'],
      en: ['Barcelona'],
      es: ['Barcelona'],
      nl: ['Barcelona'],
      pt: ['Barcelona'],
    },
  },
  {
    code: 'MAD',
    names: {
      fr: ['Madrid'],
      de: ['Madrid'],
      it: ['Madrid'],
      en: ['Madrid'],
      es: ['Madrid'],
      nl: ['Madrid'],
      pt: ['Madrid'],
    },
  },
  {
    code: 'LIS',
    names: {
      fr: ['Lisbonne'],
      de: ['Lissabon'],
      it: ['Lisbona'],
      en: ['Lisbon'],
      es: ['Lisboa'],
      nl: ['Lissabon'],
      pt: ['Lisboa'],
    },
  },
  {
    code: 'OPO',
    names: { fr: ['Porto'], de: ['Porto'], it: ['Porto'], en: ['Porto'], es: ['Oporto'], nl: ['Porto'], pt: ['Porto'] },
  },
  {
    code: 'PMI',
    names: {
      fr: ['Palma'],
      de: ['Palma', 'Malle'],
      it: ['Palma di Maiorca'],
      en: ['Palma'],
      es: ['Palma'],
      nl: ['Palma'],
      pt: ['Palma'],
    },
  },
  {
    code: 'ATH',
    names: {
      fr: ['Athènes'],
      de: ['Athen'],
      it: ['Atene'],
      en: ['Athens'],
      es: ['Atenas'],
      nl: ['Athene'],
      pt: ['Atenas'],
    },
  },
  {
    code: 'JFK',
    longHaul: true,
    names: {
      fr: ['New York'],
      de: ['New York'],
      it: ['New York'],
      en: ['New York', 'JFK'],
      es: ['Nueva York'],
      nl: ['New York'],
      pt: ['Nova Iorque'],
    },
  },
  {
    code: 'YUL',
    longHaul: true,
    names: {
      fr: ['Montréal'],
      de: ['Montreal'],
      it: ['Montréal'],
      en: ['Montreal'],
      es: ['Montreal'],
      nl: ['Montreal'],
      pt: ['Montreal'],
    },
  },
  {
    code: 'DXB',
    longHaul: true,
    names: { fr: ['Dubaï'], de: ['Dubai'], it: ['Dubai'], en: ['Dubai'], es: ['Dubái'], nl: ['Dubai'], pt: ['Dubai'] },
  },
];

/** Written between the two cities of `{route}`. */
export const ROUTE_SEPARATORS: readonly string[] = ['–', '–', '–', '-', ' - ', ' → ', '>', '/'];

export const DEMO_EMOJI: Readonly<Record<Sentiment, readonly string[]>> = {
  negative: ['😡', '🤬', '😤', '🙄', '😠', '😩', '😢', '🤡', '👎', '😭', '🤦‍♀️', '🤦‍♂️', '💸', '⏳'],
  neutral: ['✈️', '🤔', '🙏', '🧳', '📱', '😅', '👀', '🛫'],
  positive: ['😍', '🙏', '👏', '❤️', '✈️', '🥰', '👌', '💙', '😊', '🌅', '🙌'],
};

/** `{url}`: photos of a broken bag, a screenshot of an error, a boarding pass… */
export const DEMO_URL_PATTERNS: readonly string[] = [
  'https://pics.example.com/p/{id}',
  'https://photos.example.net/{id}.jpg',
  'https://airsocial.example/booking/manage?ref={ref}',
  'https://airsocial.example/flights/status/{flight}',
  'https://share.example.org/s/{id}',
];

/** Text that a safe interface must show exactly as typed. */
export const HOSTILE_MARKUP: readonly string[] = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '[support](javascript:alert(1))',
  '{{constructor.constructor("alert(1)")()}}',
];

export const ZERO_WIDTH_CHARS: readonly string[] = ['\u200b', '\u200c', '\u200d', '\ufeff', '\u2060'];

/** Right-to-left names and phrases; the override (U+202E) flips what follows it. */
export const RTL_NAMES: readonly string[] = ['محمد العلي', 'فاطمة الزهراء', 'יעל כהן', 'نور حداد', 'אבי לוי'];
export const RTL_PHRASES: readonly string[] = [
  'الرحلة متأخرة جدا',
  'أين حقيبتي؟',
  'شكرا جزيلا',
  'הטיסה בוטלה',
  'أريد استرداد أموالي',
  'invoice_\u202efdp.exe',
  'boarding\u202egnp.exe',
];

export const EMOJI_ONLY: readonly { text: string; sentiment: Sentiment }[] = [
  { text: '😡😡😡', sentiment: 'negative' },
  { text: '✈️❌😭', sentiment: 'negative' },
  { text: '🙄🙄', sentiment: 'negative' },
  { text: '🧳❓❓', sentiment: 'neutral' },
  { text: '⏰✈️😤😤😤', sentiment: 'negative' },
  { text: '👏👏👏✈️💙', sentiment: 'positive' },
  { text: '🤬🤬🤬🤬🤬', sentiment: 'negative' },
  { text: '😴💺⏳⏳⏳', sentiment: 'negative' },
  { text: '🥶🛫🏔️', sentiment: 'neutral' },
  { text: '❤️✈️', sentiment: 'positive' },
];

/** Handles of people who post odd markup; they never come back. */
export const ODD_HANDLES: readonly string[] = [
  'x55_tester',
  'h4ck3rman',
  'pentest_lol',
  'null_undefined',
  'root_0',
  'b0bby_tables',
];

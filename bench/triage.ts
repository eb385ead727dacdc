/**
 * `passeur bench triage`: texts triaged per second by the default triager, single-threaded, on
 * generated tweet-length customer messages in seven languages (handles, hashtags, URLs, emoji,
 * flight numbers, booking references, phone numbers), in batches of 1,000 as ingest sends them.
 */
import { loadTriager } from '../src/triage/index.ts';
import type { TriageInput } from '../src/triage/types.ts';

const OPENERS: Record<string, string[]> = {
  en: ['@AirSocial', '@AirSocial hi,', 'Hey @AirSocial', '@AirSocialHelp', ''],
  fr: ['@AirSocial_FR', 'Bonjour @AirSocial_FR,', '@AirSocial', ''],
  de: ['@AirSocial_DE', 'Hallo @AirSocial_DE,', '@AirSocial', ''],
  it: ['@AirSocial_IT', 'Ciao @AirSocial_IT,', '@AirSocial', ''],
  es: ['@AirSocial_ES', 'Hola @AirSocial_ES,', '@AirSocial', ''],
  nl: ['@AirSocial', 'Hallo @AirSocial,'],
  pt: ['@AirSocial', 'Olá @AirSocial,'],
};

const BODIES: Record<string, string[]> = {
  en: [
    'flight {F} delayed {N} hours and still no update at the gate',
    'you lost my bag on the way to {C}, file ref {R}, nobody answers the phone',
    'thanks to the crew of {F}, amazing service as always',
    'can I change the name on booking {R}? the website keeps giving me an error',
    'been on hold for {N}0 minutes, this is ridiculous',
    'my flight to {C} got cancelled, when do I get my refund?',
    'would be great if you offered free wifi on long flights',
    'stuck on the tarmac in {C} for {N} hours with no water, kids are crying',
    'seat {N}C was broken and the screen did not work the whole flight',
    'what time does check in open for {F} tomorrow morning?',
    'great job today, smooth boarding and we landed early',
    'I will miss my connection in {C}, please help, call me at +44 20 7946 0{N}58',
  ],
  fr: [
    'mon vol {F} a {N} h de retard, je vais rater ma correspondance à {C}, que faire ?',
    'valise perdue à {C}, dossier {R}, personne ne répond',
    'merci à l’équipage du {F}, service au top',
    'toujours pas remboursé pour le vol annulé, c’est inadmissible',
    'ce serait bien de pouvoir choisir son repas en ligne',
    'bloqués dans l’avion depuis {N} heures sans eau ni clim',
  ],
  de: [
    'Flug {F} hat {N} Stunden Verspätung, verpasse meinen Anschluss in {C}',
    'mein Koffer ist verloren gegangen, Vorgangsnummer {R}, niemand meldet sich',
    'vielen Dank an die Crew von {F}, super Flug',
    'seit {N}0 Minuten in der Warteschleife, unglaublich',
    'ihr solltet kostenloses WLAN anbieten',
  ],
  it: [
    'il volo {F} ha {N} ore di ritardo, perderò la coincidenza per {C}',
    'avete perso la mia valigia, pratica {R}, nessuno risponde',
    'grazie all’equipaggio del {F}, bravissimi',
    'siamo bloccati sulla pista da {N} ore senza acqua',
    'sarebbe utile poter scegliere il posto gratis',
  ],
  es: [
    'mi vuelo {F} tiene {N} horas de retraso y voy a perder la conexión en {C}',
    'habéis perdido mi maleta, localizador {R}, nadie contesta',
    'gracias a la tripulación del {F}, un servicio excelente',
    'llevamos {N} horas atrapados en la pista sin agua',
    'deberían dejar elegir asiento gratis al hacer el check-in',
  ],
  nl: [
    'mijn vlucht {F} heeft {N} uur vertraging en niemand vertelt ons iets',
    'bedankt voor de geweldige service aan boord',
  ],
  pt: ['o meu voo {F} está atrasado há {N} horas e ninguém nos diz nada', 'muito obrigado pelo excelente atendimento'],
};

const TAILS = [
  '',
  '',
  ' #fail',
  ' #travel',
  ' 😡',
  ' 🙏',
  ' ❤️',
  ' https://t.co/aB3dE9xYz',
  ' !!!',
  ' :(',
  ' #AirSocial ✈️',
];
const CITIES = ['Paris', 'Rome', 'Berlin', 'Madrid', 'Lisbon', 'Amsterdam', 'Chicago', 'Denver', 'Milano', 'München'];
const LANG_WEIGHTS: [string, number][] = [
  ['en', 40],
  ['fr', 15],
  ['de', 15],
  ['it', 12],
  ['es', 12],
  ['nl', 3],
  ['pt', 3],
];

/** Deterministic generator of `n` varied messages. */
export function generateTexts(n: number, seed = 1): TriageInput[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const total = LANG_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  const out: TriageInput[] = [];
  for (let i = 0; i < n; i++) {
    let r = rnd() * total;
    let lang = 'en';
    for (const [l, w] of LANG_WEIGHTS) {
      r -= w;
      if (r < 0) {
        lang = l;
        break;
      }
    }
    const body = pick(BODIES[lang]!)
      .replaceAll('{F}', `${pick(['AS', 'AF', 'LH', 'AZ', 'IB'])}${100 + Math.floor(rnd() * 8900)}`)
      .replaceAll('{N}', String(1 + Math.floor(rnd() * 8)))
      .replaceAll('{C}', pick(CITIES))
      .replaceAll('{R}', Array.from({ length: 6 }, () => pick([...'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'])).join(''));
    const opener = pick(OPENERS[lang]!);
    out.push({
      text: `${opener ? `${opener} ` : ''}${body}${pick(TAILS)}`,
      channel: pick(['x', 'bluesky', 'mastodon', 'facebook']),
    });
  }
  return out;
}

/** `texts` (or `messages`, as `passeur bench triage --messages N` passes it): how many texts to triage. */
export async function run(opts: {
  json: boolean;
  texts?: number;
  messages?: number;
}): Promise<Record<string, unknown>> {
  const n = opts.texts ?? opts.messages ?? 200_000;
  const log = (msg: string) => process.stderr.write(`bench triage: ${msg}\n`);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const triager = await loadTriager();
  const loadMs = performance.now() - t0;
  const rssLoaded = process.memoryUsage().rss;
  const texts = generateTexts(Math.min(n, 50_000));
  const batch = 1000;
  // warm-up (JIT), then the measured run
  for (let i = 0; i < Math.min(texts.length, 20_000); i += batch) triager.triage(texts.slice(i, i + batch));
  log(`model ${triager.model} loaded in ${loadMs.toFixed(0)} ms; triaging ${n} texts`);
  let done = 0;
  let chars = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (done < n) {
    const from = done % texts.length;
    const slice = texts.slice(from, Math.min(from + batch, texts.length, from + (n - done)));
    const res = triager.triage(slice);
    for (const t of slice) chars += t.text.length;
    done += res.length;
  }
  const secs = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const result = {
    name: 'triage',
    texts: done,
    texts_per_s: Math.round(done / secs),
    /** Rate per CPU-second of this process (insensitive to other load on the machine). */
    texts_per_cpu_s: Math.round(done / cpuSecs),
    mean_chars: Math.round(chars / done),
    model: triager.model,
    load_ms: Math.round(loadMs),
    model_rss_mb: Math.round((rssLoaded - rss0) / 1e5) / 10,
    rss_mb: Math.round(process.memoryUsage().rss / 1e5) / 10,
  };
  if (!opts.json) log(`${result.texts_per_s} texts/s (${result.mean_chars} chars per text)`);
  return result;
}

if (import.meta.main) {
  const json = process.argv.includes('--json');
  const i = process.argv.indexOf('--texts');
  const texts = i > 0 ? Number(process.argv[i + 1]) : undefined;
  const r = await run(texts ? { json, texts } : { json });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

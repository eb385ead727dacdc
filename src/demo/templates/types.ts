/**
 * Shapes of the demo corpus data. A language pack is plain data: message templates with `{slot}` placeholders,
 * the names and words used to fill them, follow-ups for threads and the volcanic-ash-cloud crisis messages.
 *
 * Slots understood by the generator (src/demo/corpus.ts):
 * - `{flight}`, `{flight2}`: flight numbers of the brand written to (AS1234 for AirSocial, ASX482 for AirSocial Express)
 * - `{route}`: a city pair such as `Genève–Paris`; `{from}`, `{to}`: its two cities; `{city}`: the departure city;
 *   `{hub}`: a connecting hub
 * - `{time}`: a clock time; `{day}`: a day to come (« demain », "am Freitag"); `{past}`: a day gone by;
 *   `{hours}`, `{minutes}`, `{n}`: small numbers
 * - `{amount}`: a price with its currency; `{fee}`: a small one (wifi, a snack); `{miles}`: a number of miles
 * - `{ref}`: a booking reference (K7XQ2B); `{file}`: a baggage file (GVAAS48213); `{member}`: a loyalty number
 * - `{gate}`, `{seat}`: B34, 14C
 * - `{brand}`: the brand's name; `{at}`: the brand's handle (or its name when the message is a plain mention)
 * - `{friend}`: another person's @handle; `{name}`: the author's first name; `{agent}`: a care agent's first name
 * - `{media}`: a newspaper or radio; `{hashtag}`: a hashtag; `{emoji}`: an emoji matching the sentiment; `{url}`: a link
 */
import type { AIRLINE_TOPICS, Intent, Sentiment } from '../../triage/types.ts';

export type DemoTopic = (typeof AIRLINE_TOPICS)[number];

/** Situations a care team must pick out of the stream quickly. */
export const URGENT_KINDS = [
  'missed_connection',
  'stranded',
  'tarmac',
  'medical',
  'press',
  'legal',
  'accessibility',
] as const;
export type UrgentKind = (typeof URGENT_KINDS)[number];

export interface MessageTemplate {
  intent: Intent;
  topic: DemoTopic;
  text: string;
  /** Defaults from the intent: complaint → negative, praise → positive, anything else → neutral. */
  sentiment?: Sentiment;
  urgent?: UrgentKind;
}

export interface FollowUpTemplate {
  intent: Intent;
  /** Absent: the follow-up keeps the topic of the thread it continues. */
  topic?: DemoTopic;
  text: string;
  sentiment?: Sentiment;
  /** The customer is done: no further follow-up in this thread. */
  closes?: boolean;
}

export interface LanguagePack {
  lang: string;
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** Words some people build their handle from (`marie_ski`, `LukasZH`). */
  handleWords: readonly string[];
  /** Day expressions for `{day}`: « demain », "am Freitag", "lunedì"… */
  days: readonly string[];
  /** Clock formats for `{time}`: `{H}` hours 0–23, `{h}` hours 1–12, `{mm}` minutes, `{ampm}` am/pm. */
  /** Past day expressions for `{past}`: « hier », "letzte Woche", "10 days ago"… */
  pastDays: readonly string[];
  timeFormats: readonly string[];
  /** Price formats for `{amount}`: `{n}` is the number. */
  amountFormats: readonly string[];
  media: readonly string[];
  agents: readonly string[];
  hashtags: Readonly<Record<Sentiment, readonly string[]>>;
  /** Joins the parts of a long rant. */
  rantGlue: readonly string[];
  templates: readonly MessageTemplate[];
  followUps: readonly FollowUpTemplate[];
  /** Volcanic-ash-cloud surge: every text names the volcano or the ash cloud. */
  crisis: readonly MessageTemplate[];
  crisisFollowUps: readonly FollowUpTemplate[];
  crisisHashtags: readonly string[];
  /** Words that mark a message as being about the ash cloud, lower case. */
  crisisTerms: readonly string[];
}

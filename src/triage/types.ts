/** Labels and shapes shared by every triage model. The `passeur triage` contract (docs/architecture.md) is built from these. */
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const INTENTS = ['question', 'complaint', 'request', 'suggestion', 'praise', 'other'] as const;
export type Intent = (typeof INTENTS)[number];

export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** The airline demo taxonomy; other organizations define their own topics as data. */
export const AIRLINE_TOPICS = [
  'delay',
  'cancellation',
  'baggage',
  'booking',
  'refund',
  'checkin',
  'onboard',
  'loyalty',
  'customer_service',
  'airport',
  'other',
] as const;

export interface TriageInput {
  text: string;
  channel?: string;
  /** A language already known (e.g. from the network's metadata or a person's correction); wins over detection. */
  lang?: string;
}

export interface PiiMatch {
  kind: 'email' | 'phone' | 'booking_ref' | 'card' | 'iban';
  start: number;
  end: number;
}

/** Why a label was chosen: its confidence in [0,1] and the main features/keywords behind it. */
export interface Explanation {
  confidence: number;
  features: string[];
}

export interface TopicScore {
  topic: string;
  confidence: number;
  features: string[];
}

export interface TriageResult {
  lang: string;
  sentiment: Sentiment;
  /** In [-1, 1]. */
  sentimentScore: number;
  intent: Intent;
  /** Ordered by confidence; the first is the main topic; may be empty. */
  topics: string[];
  urgency: Urgency;
  /** Suggested team slug, e.g. `customer_care`; routing starts from it. */
  team: string;
  sensitive: string[];
  pii: PiiMatch[];
  explain: {
    lang: Explanation;
    sentiment: Explanation;
    intent: Explanation;
    topics: TopicScore[];
    urgency: Explanation;
    team: Explanation;
    sensitive: Record<string, string[]>;
  };
  /** Identifies the model that produced this result (for audit and "retrained at"). */
  model: string;
}

/** Every triage model implements this; batch-first so ingest can triage many messages at once. */
export interface Triager {
  readonly model: string;
  triage(inputs: readonly TriageInput[]): TriageResult[];
}

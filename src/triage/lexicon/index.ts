/** All lexicon tables of the pipeline, with the category prefix each one gets. */
import type { Taxonomy } from '../taxonomy.ts';
import { INTENT_CUES, RISK_CUES } from './cues.ts';
import { SENTIMENT_LEXICON } from './sentiment.ts';
import { SENTIMENT_GENERAL } from './sentiment-general.ts';
import type { LexiconTable } from './types.ts';

export const CUE_TABLES: { prefix: string; table: LexiconTable }[] = [
  { prefix: 's:', table: SENTIMENT_LEXICON },
  { prefix: 's:', table: SENTIMENT_GENERAL },
  { prefix: 'i:', table: INTENT_CUES },
  { prefix: 'r:', table: RISK_CUES },
];

/** The topic keywords of a taxonomy as a lexicon table (category `t:<topic>`). */
export function topicTable(tax: Taxonomy): LexiconTable {
  const table: LexiconTable = {};
  for (const t of tax.topics) table[t.id] = t.keywords;
  return table;
}

/** A lexicon: category name → language (ISO 639-1, or `*` for every language) → `|`-separated terms. */
export type LexiconTable = Record<string, Partial<Record<string, string>>>;

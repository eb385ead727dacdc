/** Where the shipped models live, and their loaders (cached per process). */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactLangDetector, convertEldDatabase, type LangTable, readLangTable, writeLangTable } from './langid.ts';
import { type LoadedModel, loadModel, modelExists } from './model.ts';

export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('./models/', import.meta.url));

/** Languages favoured by language detection when a text is ambiguous (the product's languages). */
export const DEFAULT_LANGUAGES = ['en', 'fr', 'de', 'it', 'es', 'nl', 'pt'];

let langTable: LangTable | undefined;
let baseModel: LoadedModel | null | undefined;

/** The compact language detector over the shipped table. */
export function langDetector(languages: readonly string[] = DEFAULT_LANGUAGES): CompactLangDetector {
  langTable ??= readLangTable(join(DEFAULT_MODELS_DIR, 'lang.bin'));
  return new CompactLangDetector(langTable, { preferred: languages, otherWeight: 0.8 });
}

/** Converts the eld package's n-gram database into models/lang.bin (returns the number of n-grams). */
export async function buildLangTable(path: string, size = 'medium'): Promise<number> {
  // the package exports only its entry points: reach its data files next to the resolved entry
  const entry = import.meta.resolve('eld');
  const data = (await import(new URL(`../ngrams/${size}.js`, entry).href)) as {
    ngramsData: { languages: Record<string, string>; ngrams: Record<string, Record<string, number>> };
  };
  const dict = (await import(new URL('../dictionary.js', entry).href)) as { dictionary: string[] };
  const table = convertEldDatabase(data.ngramsData, dict.dictionary);
  writeLangTable(path, table);
  langTable = undefined;
  return table.keys.length;
}

/** The shipped default model (null when absent: the pipeline then runs on its lexicon priors). */
export function defaultModel(): LoadedModel | null {
  if (baseModel === undefined) {
    const dir = join(DEFAULT_MODELS_DIR, 'default');
    baseModel = modelExists(dir) ? loadModel(dir) : null;
  }
  return baseModel;
}

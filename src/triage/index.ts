/**
 * Triage: language, sentiment, intent, topics, urgency, sensitive flags, team suggestion and PII for
 * each message, in-process on the CPU. `loadTriager()` gives the shipped default model;
 * `loadTriager({ modelDir })` an organization's model written by `learn()`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_MODELS_DIR, defaultModel, langDetector } from './assets.ts';
import { type LanguageDetector, loadEldDetector } from './lang.ts';
import { type LoadedModel, loadModel, modelExists } from './model.ts';
import { TriagePipeline } from './pipeline.ts';
import { AIRLINE_TAXONOMY, parseTaxonomy, type Taxonomy } from './taxonomy.ts';
import type { Triager } from './types.ts';

export { buildLangTable, DEFAULT_LANGUAGES, DEFAULT_MODELS_DIR, defaultModel, langDetector } from './assets.ts';
export { type LearnExample, type LearnOptions, type LearnResult, learn } from './learn.ts';
export { detectPii, ibanValid, luhnValid, maskPii } from './pii.ts';
export { AIRLINE_TAXONOMY, parseTaxonomy, type Taxonomy, type TaxonomyTopic, type TeamRule } from './taxonomy.ts';
export type { Explanation, PiiMatch, TopicScore, TriageInput, TriageResult, Triager } from './types.ts';

export interface LoadTriagerOptions {
  /** An organization model directory written by `learn` (default: the shipped model only). */
  modelDir?: string;
  /** The organization's taxonomy (default: the one saved with the model, else the airline taxonomy). */
  taxonomy?: Taxonomy;
  /** Languages favoured by detection (default: en, fr, de, it, es, nl, pt); others stay detectable. */
  languages?: string[];
}

const cache = new Map<string, Triager>();
const taxonomyIds = new WeakMap<Taxonomy, number>();
let nextTaxonomyId = 1;

function cacheKey(opts: LoadTriagerOptions): string {
  let tax = 0;
  if (opts.taxonomy) {
    tax = taxonomyIds.get(opts.taxonomy) ?? nextTaxonomyId++;
    taxonomyIds.set(opts.taxonomy, tax);
  }
  let model = '';
  if (opts.modelDir) {
    const manifest = join(opts.modelDir, 'manifest.json');
    // a retrained model (same directory, new files) is loaded again
    model = existsSync(manifest) ? `${resolve(opts.modelDir)}@${statSync(manifest).mtimeMs}` : resolve(opts.modelDir);
  }
  return JSON.stringify([model, tax, opts.languages ?? null]);
}

/**
 * Loads the triage pipeline. Cheap to call repeatedly: pipelines are cached per model directory
 * (reloaded when its manifest changes), taxonomy object and language list. `triage()` is synchronous,
 * so one pipeline serves every caller of the process.
 */
export async function loadTriager(opts: LoadTriagerOptions = {}): Promise<Triager> {
  const key = cacheKey(opts);
  const hit = cache.get(key);
  if (hit) return hit;
  const triager = await buildTriager(opts);
  if (cache.size > 32) cache.clear();
  cache.set(key, triager);
  return triager;
}

async function buildTriager(opts: LoadTriagerOptions): Promise<Triager> {
  let detector: LanguageDetector;
  if (existsSync(join(DEFAULT_MODELS_DIR, 'lang.bin'))) detector = langDetector(opts.languages);
  else detector = await loadEldDetector('medium');
  const base = defaultModel();
  let model: LoadedModel | undefined = base ?? undefined;
  let taxonomy = opts.taxonomy;
  if (opts.modelDir) {
    if (!modelExists(opts.modelDir)) throw new Error(`${opts.modelDir}: no triage model (manifest.json missing)`);
    model = loadModel(opts.modelDir, base ?? undefined);
    const taxFile = join(opts.modelDir, 'taxonomy.json');
    if (!taxonomy && existsSync(taxFile)) taxonomy = parseTaxonomy(JSON.parse(readFileSync(taxFile, 'utf8')));
  }
  const parts: ConstructorParameters<typeof TriagePipeline>[0] = {
    taxonomy: taxonomy ?? AIRLINE_TAXONOMY,
    detector,
    modelId: model?.manifest.id ?? 'passeur-lexicon',
  };
  if (model) parts.model = model;
  return new TriagePipeline(parts);
}

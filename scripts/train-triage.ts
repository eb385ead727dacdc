/**
 * Trains the shipped default triage model into src/triage/models/ (run: `npm run train:triage`).
 *
 * 1. models/lang.bin: ELD's n-gram database (eld package, Apache-2.0) converted to a compact table.
 * 2. models/default/: sentiment, intent and topic heads trained from shippable data only: XLM-T
 *    (Apache-2.0), banking77 (CC BY 4.0) and Passeur's own seed examples and lexicons.
 * Reads ../shared/data (or $PASSEUR_SHARED_DATA). Deterministic for given data.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLangTable, DEFAULT_MODELS_DIR, langDetector } from '../src/triage/assets.ts';
import { hasSharedData, sharedDataDir } from '../src/triage/data.ts';
import { saveModel } from '../src/triage/model.ts';
import { DEFAULT_RECIPE, trainDefault } from '../src/triage/recipe.ts';
import { AIRLINE_TAXONOMY } from '../src/triage/taxonomy.ts';

const log = (msg: string) => process.stderr.write(`train-triage: ${msg}\n`);

async function main(): Promise<void> {
  if (!hasSharedData()) {
    log(`no training data at ${sharedDataDir()} (set PASSEUR_SHARED_DATA)`);
    process.exitCode = 1;
    return;
  }
  const t0 = performance.now();
  const langPath = join(DEFAULT_MODELS_DIR, 'lang.bin');
  const n = await buildLangTable(langPath);
  log(`language table: ${n} n-grams → ${langPath}`);
  const detector = langDetector();
  const heads = trainDefault(detector, AIRLINE_TAXONOMY, DEFAULT_RECIPE, log);
  const dir = join(DEFAULT_MODELS_DIR, 'default');
  const hash = createHash('sha256');
  for (const h of [heads.sentiment, heads.intent, heads.topics]) hash.update(Buffer.from(h.W.buffer));
  const id = `passeur-default-${hash.digest('hex').slice(0, 10)}`;
  saveModel(
    dir,
    {
      id,
      createdAt: new Date().toISOString(),
      features: DEFAULT_RECIPE.features,
      dtype: 'f16',
      training: {
        data: {
          'XLM-T sentiment (cardiffnlp/xlm-t, Apache-2.0)': heads.stats.xlmt,
          'banking77 (PolyAI, CC BY 4.0), weak sentiment labels': heads.stats.banking77,
          'Passeur seed examples': heads.stats.seeds,
        },
        recipe: DEFAULT_RECIPE,
        taxonomy: AIRLINE_TAXONOMY.name,
      },
    },
    [heads.sentiment, heads.intent, heads.topics],
  );
  const size = readFileSync(join(dir, 'weights.bin')).length;
  log(`model ${id}: ${(size / 1e6).toFixed(2)} MB → ${dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

await main();

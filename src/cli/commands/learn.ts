/**
 * `passeur learn --in FILE.jsonl --model-dir DIR [--taxonomy FILE.json] [--base-model-dir DIR]`:
 * trains the organization's triage model from corrected examples, one JSON object per line:
 * `{"text", "lang"?, "sentiment"?, "intent"?, "topics"?, "team"?}`. A missing field means "not
 * corrected". Prints a summary with the held-back scores; the model is then used with
 * `passeur triage --model-dir DIR`.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type LearnExample, type LearnResult, learn } from '../../triage/learn.ts';
import { parseTaxonomy } from '../../triage/taxonomy.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'train the organization triage model from corrected examples (JSONL)';

const USAGE = 'passeur learn --in FILE.jsonl --model-dir DIR [--taxonomy FILE.json] [--base-model-dir DIR]';

/** Reads corrected examples; bad lines are reported on stderr and skipped. */
export async function readExamples(path: string, warn: (msg: string) => void): Promise<LearnExample[]> {
  const out: LearnExample[] = [];
  const rl = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = raw.trim();
    if (!line) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      warn(`line ${lineNo}: invalid JSON, skipped`);
      continue;
    }
    if (typeof v !== 'object' || v === null || typeof (v as { text?: unknown }).text !== 'string') {
      warn(`line ${lineNo}: needs a string "text", skipped`);
      continue;
    }
    const o = v as Record<string, unknown>;
    const ex: LearnExample = { text: o.text as string };
    if (typeof o.lang === 'string' && o.lang) ex.lang = o.lang;
    if (typeof o.sentiment === 'string') ex.sentiment = o.sentiment as LearnExample['sentiment'] & string;
    if (typeof o.intent === 'string') ex.intent = o.intent as LearnExample['intent'] & string;
    if (Array.isArray(o.topics)) ex.topics = o.topics.filter((t): t is string => typeof t === 'string');
    if (typeof o.team === 'string') ex.team = o.team;
    out.push(ex);
  }
  return out;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

export function formatSummary(r: LearnResult): string {
  const lines = [
    `model ${r.modelId} (adapts ${r.baseModelId}) trained at ${r.trainedAt} → ${r.modelDir}`,
    `examples: ${r.examples}; corrections: sentiment ${r.corrected.sentiment}, intent ${r.corrected.intent}, topics ${r.corrected.topics}, team ${r.corrected.team}`,
    `adapted: ${r.adapted.length ? r.adapted.join(', ') : 'nothing (no corrections)'}; other fields keep the default behaviour`,
  ];
  if (r.heldOut.n === 0) {
    lines.push('held-back scoring: not enough examples (needs at least 20)');
  } else {
    lines.push(`held-back scores on ${r.heldOut.n} examples (base → learned):`);
    for (const task of ['sentiment', 'intent', 'topics', 'team'] as const) {
      const s = r.heldOut[task];
      if (!s) continue;
      const metric = task === 'topics' ? 'main-topic accuracy' : 'accuracy';
      lines.push(
        `  ${task.padEnd(10)} ${metric} ${pct(s.before.accuracy)} → ${pct(s.after.accuracy)}, macro-F1 ${s.before.macroF1.toFixed(3)} → ${s.after.macroF1.toFixed(3)} (n=${s.after.n})`,
      );
    }
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let values: { in?: string; 'model-dir'?: string; taxonomy?: string; 'base-model-dir'?: string };
  try {
    ({ values } = parseOptions(
      argv,
      {
        in: { type: 'string' },
        'model-dir': { type: 'string' },
        taxonomy: { type: 'string' },
        'base-model-dir': { type: 'string' },
      },
      USAGE,
    ));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`passeur learn: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (!values.in || !values['model-dir']) {
    process.stderr.write(`passeur learn: --in and --model-dir are required\nusage: ${USAGE}\n`);
    return 2;
  }
  if (!existsSync(values.in)) {
    process.stderr.write(`passeur learn: ${values.in}: no such file\n`);
    return 1;
  }
  const warn = (msg: string) => process.stderr.write(`passeur learn: ${msg}\n`);
  const examples = await readExamples(values.in, warn);
  if (examples.length === 0) {
    warn('no usable examples');
    return 1;
  }
  const opts: Parameters<typeof learn>[1] = { modelDir: values['model-dir'], log: warn };
  if (values.taxonomy) opts.taxonomy = parseTaxonomy(JSON.parse(readFileSync(values.taxonomy, 'utf8')));
  if (values['base-model-dir']) opts.baseModelDir = values['base-model-dir'];
  let result: LearnResult;
  try {
    result = await learn(examples, opts);
  } catch (err) {
    warn(err instanceof Error ? err.message : String(err));
    return 1;
  }
  process.stdout.write(`${formatSummary(result)}\n`);
  return 0;
}

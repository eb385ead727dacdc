import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Queryable } from '../../server/db/database.ts';
import { loadTriager } from '../../triage/index.ts';
import type { Triager } from '../../triage/types.ts';

/**
 * The organization's trained models live in the database (every process, on any machine, loads the same
 * one); each process writes the active model's files to a local cache folder for the triage loader.
 */
export interface StoredModel {
  id: number;
  model_id: string;
  trained_at: Date;
  examples: number;
  last_correction_id: number;
  result: Record<string, unknown>;
}

const cacheRoot = path.join(os.tmpdir(), 'passeur-triage-models');

export async function activeModel(
  db: Queryable,
  orgId: number,
): Promise<(StoredModel & { files: Record<string, string> }) | undefined> {
  const r = await db.query<StoredModel & { files: Record<string, string> }>(
    `select id, model_id, trained_at, examples, last_correction_id, result, files from triage_models
     where org_id = $1 and active order by id desc limit 1`,
    [orgId],
  );
  return r.rows[0];
}

/** The triage pipeline of the organization: its newest trained model, else the shipped default. */
export async function organizationTriager(db: Queryable, orgId: number): Promise<Triager> {
  const m = await activeModel(db, orgId);
  if (!m) return loadTriager();
  const dir = path.join(cacheRoot, `${orgId}-${m.id}-${m.model_id.replace(/[^\w.-]/g, '_')}`);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) {
    const tmp = `${dir}.${process.pid}.tmp`;
    fs.mkdirSync(tmp, { recursive: true });
    for (const [name, b64] of Object.entries(m.files)) {
      if (name.includes('/') || name.includes('..')) continue;
      fs.writeFileSync(path.join(tmp, name), Buffer.from(b64, 'base64'));
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  return loadTriager({ modelDir: dir });
}

export function readModelFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir)) files[name] = fs.readFileSync(path.join(dir, name)).toString('base64');
  return files;
}

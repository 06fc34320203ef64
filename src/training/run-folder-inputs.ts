import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PathRole } from '../core/index.js';

/** Folders of a run that readers load whole (checkpoints, TensorBoard logs). */
const TREES = new Set(['checkpoints', 'tensorboard']);

async function entries(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).map((e) => ({
      name: e.name,
      isDir: e.isDirectory(),
    }));
  } catch {
    return [];
  }
}

/**
 * What a command that reads a run folder must not overwrite, as inputs for `assertNoAlias`: every
 * `checkpoints/` and `tensorboard/` folder (as trees) and every `.json` / `.jsonl` file (config, vocabulary,
 * metric log, results, LF data) in the run folder and its stage folders (one level down). Other files — a
 * prediction `.tsv`, a report — may be written there.
 *
 * @example
 * ```ts
 * await assertNoAlias('mmtl predict', await runFolderInputs('runs/rte', '<runDir>'), [{ arg: '--out', path }]);
 * ```
 */
export async function runFolderInputs(runDir: string, arg: string): Promise<PathRole[]> {
  const roles: PathRole[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    for (const e of await entries(dir)) {
      const path = join(dir, e.name);
      if (e.isDir && TREES.has(e.name)) roles.push({ arg, path, tree: true });
      else if (e.isDir && depth === 0) await visit(path, 1);
      else if (!e.isDir && /\.jsonl?$/.test(e.name)) roles.push({ arg, path });
    }
  };
  await visit(runDir, 0);
  return roles;
}

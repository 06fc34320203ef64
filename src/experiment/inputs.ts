import type { PathRole } from '../core/index.js';
import { isFileWeak, type ExperimentConfig } from './schema.js';
import { isCustomTask } from './task-config.js';

/**
 * Every file and folder an experiment reads — the GLUE folder (GLUE tasks), the GloVe or BERT folder, each
 * custom task's data files, the weak rows and their LF module — as inputs for `assertNoAlias`, so a run
 * folder never lands on (or around) them, and `--overwrite` can never delete the user's data.
 *
 * @example
 * ```ts
 * await assertNoAlias('runExperiment', experimentInputs(cfg), [{ arg: 'runDir', path: dir, tree: true }]);
 * ```
 */
export function experimentInputs(cfg: ExperimentConfig): PathRole[] {
  const roles: PathRole[] = [];
  if (cfg.tasks.some((t) => !isCustomTask(t))) roles.push({ arg: 'glueDir', path: cfg.glueDir, tree: true });
  if (cfg.encoder.kind === 'bert') roles.push({ arg: 'encoder.dir', path: cfg.encoder.dir, tree: true });
  else if (cfg.encoder.embeddings === 'glove')
    roles.push({ arg: 'encoder.gloveDir', path: cfg.encoder.gloveDir, tree: true });
  for (const t of cfg.tasks) {
    if (!isCustomTask(t)) continue;
    for (const [split, path] of Object.entries(t.data)) {
      if (typeof path === 'string') roles.push({ arg: `tasks[${t.name}].data.${split}`, path });
    }
  }
  if (cfg.weak !== undefined && isFileWeak(cfg.weak)) {
    roles.push({ arg: 'weak.data', path: cfg.weak.data }, { arg: 'weak.lfs', path: cfg.weak.lfs });
  }
  return roles;
}

import type { PathRole } from '../../core/index.js';
import type { ExperimentConfig } from './schema.js';

/**
 * The files and folders an experiment reads — its file, the GLUE folder and a BERT folder — as inputs for
 * `assertNoAlias`, so a run folder never lands on (or around) them.
 *
 * @example
 * ```ts
 * await assertNoAlias('mmtl train', experimentInputs('exp.yaml', cfg), [{ arg: '--run-dir', path: dir, tree: true }]);
 * ```
 */
export function experimentInputs(configPath: string, cfg: ExperimentConfig): PathRole[] {
  const roles: PathRole[] = [
    { arg: '<config>', path: configPath },
    { arg: 'glueDir', path: cfg.glueDir, tree: true },
  ];
  if (cfg.encoder.kind === 'bert') roles.push({ arg: 'encoder.dir', path: cfg.encoder.dir, tree: true });
  return roles;
}

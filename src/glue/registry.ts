import { Registry } from '../core/index.js';
import { ax } from './ax.js';
import { cola } from './cola.js';
import { mnli } from './mnli.js';
import { mrpc } from './mrpc.js';
import { qnli } from './qnli.js';
import { qqp } from './qqp.js';
import { rte } from './rte.js';
import { sst2 } from './sst2.js';
import { stsb } from './stsb.js';
import type { GlueTaskSpec } from './task-spec.js';
import { wnli } from './wnli.js';

/**
 * The nine GLUE tasks plus the AX diagnostic, by GLUE's name. Looking up another name fails with
 * `E_UNKNOWN` listing these.
 *
 * | task | head | metrics (primary first) | GLUE score | submission |
 * |---|---|---|---|---|
 * | CoLA | 2 classes | matthews_corrcoef, accuracy | MCC | CoLA.tsv |
 * | SST-2 | 2 classes | accuracy | accuracy | SST-2.tsv |
 * | MRPC | 2 classes | acc_f1, f1, accuracy | mean(acc, F1) | MRPC.tsv |
 * | QQP | 2 classes | acc_f1, f1, accuracy | mean(acc, F1) | QQP.tsv |
 * | STS-B | regression 0–5 | pearson_spearman, pearson, spearman | mean(Pearson, Spearman) | STS-B.tsv |
 * | MNLI | 3 classes | accuracy | accuracy (m, and mm when present) | MNLI-m.tsv, MNLI-mm.tsv |
 * | QNLI | 2 classes | accuracy | accuracy | QNLI.tsv |
 * | RTE | 2 classes | accuracy | accuracy | RTE.tsv |
 * | WNLI | 2 classes | accuracy | accuracy | WNLI.tsv |
 * | AX | MNLI's head | — | — | AX.tsv |
 *
 * @example
 * ```ts
 * GLUE_TASKS.names(); // ['CoLA', 'SST-2', 'MRPC', 'QQP', 'STS-B', 'MNLI', 'QNLI', 'RTE', 'WNLI', 'AX']
 * GLUE_TASKS.get('RTE').labels; // ['entailment', 'not_entailment']
 * GLUE_TASKS.get('rte'); // throws E_UNKNOWN: unknown GLUE task 'rte'; expected one of CoLA, SST-2, …
 * ```
 */
export const GLUE_TASKS = new Registry<GlueTaskSpec>('GLUE task')
  .register(cola.name, cola)
  .register(sst2.name, sst2)
  .register(mrpc.name, mrpc)
  .register(qqp.name, qqp)
  .register(stsb.name, stsb)
  .register(mnli.name, mnli)
  .register(qnli.name, qnli)
  .register(rte.name, rte)
  .register(wnli.name, wnli)
  .register(ax.name, ax);

/**
 * The spec of a GLUE task by name (a shorthand for `GLUE_TASKS.get`); throws `E_UNKNOWN` listing the names.
 *
 * @example
 * ```ts
 * glueTask('STS-B').head; // { kind: 'regression', min: 0, max: 5 }
 * ```
 */
export function glueTask(name: string): GlueTaskSpec {
  return GLUE_TASKS.get(name);
}

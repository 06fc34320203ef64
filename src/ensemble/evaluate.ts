/** Scores an ensemble and each of its members on the same rows: members, their mean, and the ensemble. */
import { MmtlError } from '../core/index.js';
import { Payload } from '../tasks/index.js';
import type { Ensemble, MemberInput } from './ensemble.js';

/** Metric values by metric name. */
export interface MetricScores {
  metrics: Record<string, number>;
}

/** What {@link evaluateEnsemble} returns. */
export interface EnsembleEvaluation {
  /** Each member alone, in member order. */
  members: MetricScores[];
  /** The combined predictions. */
  ensemble: MetricScores;
  /** The mean over members of each metric (the "mean member"). */
  meanMember: MetricScores;
  /** The ensemble's margin over the mean member, per metric (ensemble − mean member). */
  gainOverMean: Record<string, number>;
}

/**
 * The gold labels a payload holds for `task`: the first class or regression label set routed to the task,
 * in dataset row order (-1 / NaN = missing).
 *
 * @example
 * ```ts
 * payloadGolds(devPayload, 'SST2'); // Int32Array [1, 0, 0, …]
 * ```
 */
export function payloadGolds(payload: Payload, task: string): Int32Array | Float32Array {
  for (const [labelSet, t] of payload.labelsToTasks) {
    const y = payload.dataset.labelSet(labelSet);
    if (t === task && (y.kind === 'class' || y.kind === 'regression')) return y.values;
  }
  throw new MmtlError(
    'E_DATA',
    `Argument 'payload' passed to 'payloadGolds' (${payload.name}) routes no class or regression label set to task '${task}'`,
  );
}

/**
 * Runs the ensemble on `inputs` (as `Ensemble.predict`) and scores each member, the mean member and the
 * ensemble against `golds` (first member's row order). Pass `golds` explicitly for precomputed members; by
 * default they come from the first payload among the inputs.
 *
 * @example
 * ```ts
 * const ev = evaluateEnsemble(ensemble, devPayload, { metrics: ['accuracy'] });
 * ev.members.map((m) => m.metrics.accuracy); // [0.79, 0.8, 0.78]
 * ev.ensemble.metrics.accuracy; // 0.815
 * ev.gainOverMean.accuracy; // 0.025
 * ```
 */
export function evaluateEnsemble(
  ensemble: Ensemble,
  inputs: Payload | readonly MemberInput[],
  options: { golds?: ArrayLike<number>; metrics?: readonly string[] } = {},
): EnsembleEvaluation {
  const first = inputs instanceof Payload ? inputs : inputs.find((x): x is Payload => x instanceof Payload);
  const golds = options.golds ?? (first === undefined ? undefined : payloadGolds(first, ensemble.task));
  if (golds === undefined) {
    throw new MmtlError(
      'E_ARG',
      "Argument 'options.golds' passed to 'evaluateEnsemble' is required when no input is a payload",
    );
  }
  const pred = ensemble.predict(inputs);
  const members = pred.scoreMembers(golds, options.metrics).map((metrics) => ({ metrics }));
  const ens = pred.score(golds, options.metrics);
  const mean: Record<string, number> = {};
  const gain: Record<string, number> = {};
  for (const name of Object.keys(ens)) {
    mean[name] = members.reduce((s, m) => s + m.metrics[name]!, 0) / members.length;
    gain[name] = ens[name]! - mean[name];
  }
  return { members, ensemble: { metrics: ens }, meanMember: { metrics: mean }, gainOverMean: gain };
}

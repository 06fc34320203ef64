/** Ensemble combiners (mean, weighted mean, majority vote) as a registry keyed by name. */
import { MmtlError, Registry } from '../core/index.js';
import { predsFromProbs, type TiePolicy } from '../tasks/index.js';
import type { EnsembleOutputType } from './member-outputs.js';

/** What a {@link Combiner} reads: every member's aligned outputs for the same n rows. */
export interface CombineInput {
  /** Per member: probabilities [n, k] row-major (regression: values [n]), all in the same row order. */
  members: readonly Float32Array[];
  /** Columns per row (1 for regression). */
  k: number;
  /** Classification or regression. */
  type: EnsembleOutputType;
  /** One non-negative weight per member summing to 1, or null when none were fitted or given. */
  weights: Float64Array | null;
  /** How predictions break ties between equally likely classes. */
  tiePolicy: TiePolicy;
}

/** What a {@link Combiner} returns. */
export interface Combined {
  /** Combined probabilities [n, k] (vote: vote shares; regression: the combined values). */
  probs: Float32Array;
  /** Predicted classes (regression: the combined values). */
  preds: Int32Array | Float32Array;
}

/** One way to combine members' outputs. */
export interface Combiner {
  /** Whether it reads `weights` (and fails without them). */
  needsWeights: boolean;
  /** Combines aligned member outputs. */
  combine(input: CombineInput): Combined;
}

function weightedMean(members: readonly Float32Array[], weights: ArrayLike<number>): Float32Array {
  const out = new Float64Array(members[0]!.length);
  members.forEach((p, m) => {
    const w = weights[m]!;
    for (let i = 0; i < out.length; i++) out[i]! += w * p[i]!;
  });
  return Float32Array.from(out);
}

function uniform(m: number): Float64Array {
  return new Float64Array(m).fill(1 / m);
}

function finish(probs: Float32Array, input: CombineInput): Combined {
  return {
    probs,
    preds: input.type === 'regression' ? probs : predsFromProbs(probs, input.k, input.tiePolicy),
  };
}

/**
 * The combiners by name (MeTaL's GLUE `eval_model.py` `avg` / `wavg` / `mv`):
 * - `mean`: the average of the members' probabilities (regression: of their values), then argmax;
 * - `weighted`: the weighted average with the ensemble's fitted or given weights (see `fitEnsembleWeights`);
 * - `vote`: each member votes for its argmax class (a member's own ties go to the lowest class); `probs` are
 *   the vote shares and ties between classes follow the tie policy ('first' takes the lowest class, as
 *   MeTaL's `scipy.stats.mode`). Regression has no vote: it takes the mean, as MeTaL does for STS-B.
 *
 * @example
 * ```ts
 * const members = [Float32Array.of(0.9, 0.1), Float32Array.of(0.2, 0.8), Float32Array.of(0.4, 0.6)];
 * const input = { members, k: 2, type: 'classification', weights: null, tiePolicy: 'first' } as const;
 * COMBINERS.get('mean').combine(input).probs; // Float32Array [0.5, 0.5]  → preds [0] (tie → first)
 * COMBINERS.get('vote').combine(input).preds; // Int32Array [1] (two votes for class 1)
 * ```
 */
export const COMBINERS = new Registry<Combiner>('ensemble combiner')
  .register('mean', {
    needsWeights: false,
    combine: (input) => finish(weightedMean(input.members, uniform(input.members.length)), input),
  })
  .register('weighted', {
    needsWeights: true,
    combine(input) {
      if (input.weights === null) {
        throw new MmtlError('E_STATE', "combiner 'weighted' has no weights", {
          hint: "fit them with 'Ensemble.fitWeights' on validation data or pass 'weights' to the Ensemble",
        });
      }
      return finish(weightedMean(input.members, input.weights), input);
    },
  })
  .register('vote', {
    needsWeights: false,
    combine(input) {
      const { members, k } = input;
      if (input.type === 'regression') return finish(weightedMean(members, uniform(members.length)), input);
      const shares = new Float32Array(members[0]!.length);
      const share = 1 / members.length;
      for (const p of members) {
        const votes = predsFromProbs(p, k, 'first');
        votes.forEach((c, i) => (shares[i * k + c]! += share));
      }
      return finish(shares, input);
    },
  });

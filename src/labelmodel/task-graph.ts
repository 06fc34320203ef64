import { assert } from '../core/index.js';

/** One task of a hierarchy: its cardinality and, for non-roots, the parent value that makes it apply. */
export interface HierarchyTask {
  k: number;
  parent?: { task: number; value: number };
}

/**
 * The feasible joint labels of several related tasks (MeTaL's task graph). A feasible vector holds one
 * label per task, `-1` where the task does not apply. The multi-task label model treats the feasible
 * vectors as the classes of one latent variable.
 *
 * @example
 * ```ts
 * TaskGraph.independent([2, 3]).size; // 6 (Cartesian product)
 * // animal/vehicle → (dog | cat) under animal, (car | bike) under vehicle
 * const g = TaskGraph.hierarchy([{ k: 2 }, { k: 2, parent: { task: 0, value: 0 } }, { k: 2, parent: { task: 0, value: 1 } }]);
 * g.feasible; // [[0,0,-1], [0,1,-1], [1,-1,0], [1,-1,1]]
 * ```
 */
export class TaskGraph {
  private constructor(
    /** Cardinality of each task. */
    readonly cardinalities: readonly number[],
    /** The feasible label vectors, `-1` = task not applicable. */
    readonly feasible: readonly (readonly number[])[],
  ) {}

  /** Number of feasible vectors (classes of the joint model). */
  get size(): number {
    return this.feasible.length;
  }

  /** Independent tasks: every combination of labels is feasible. */
  static independent(cardinalities: readonly number[]): TaskGraph {
    validateCards(cardinalities, 'TaskGraph.independent');
    let vecs: number[][] = [[]];
    for (const k of cardinalities) vecs = vecs.flatMap((v) => Array.from({ length: k }, (_, y) => [...v, y]));
    return new TaskGraph([...cardinalities], vecs);
  }

  /**
   * A tree of tasks: a child applies only when its parent task takes `parent.value`; tasks must be listed
   * parents first (a child's parent index is smaller than its own).
   */
  static hierarchy(tasks: readonly HierarchyTask[]): TaskGraph {
    const cards = tasks.map((t) => t.k);
    validateCards(cards, 'TaskGraph.hierarchy');
    tasks.forEach((t, i) => {
      if (t.parent === undefined) return;
      const { task, value } = t.parent;
      assert(
        Number.isInteger(task) &&
          task >= 0 &&
          task < i &&
          Number.isInteger(value) &&
          value >= 0 &&
          value < cards[task]!,
        'E_ARG',
        () =>
          `Argument 'tasks' passed to 'TaskGraph.hierarchy' has task ${i} with invalid parent ${JSON.stringify(t.parent)}; parents come first`,
      );
    });
    let vecs: number[][] = [[]];
    tasks.forEach((t) => {
      vecs = vecs.flatMap((v) => {
        const applies = t.parent === undefined || v[t.parent.task] === t.parent.value;
        return applies ? Array.from({ length: t.k }, (_, y) => [...v, y]) : [[...v, -1]];
      });
    });
    return new TaskGraph(cards, vecs);
  }

  /** An explicit list of feasible vectors. */
  static fromFeasible(cardinalities: readonly number[], feasible: readonly (readonly number[])[]): TaskGraph {
    validateCards(cardinalities, 'TaskGraph.fromFeasible');
    assert(
      feasible.length >= 2,
      'E_ARG',
      () => "Argument 'feasible' passed to 'TaskGraph.fromFeasible' needs at least 2 vectors",
    );
    for (const v of feasible) {
      assert(
        v.length === cardinalities.length &&
          v.every((y, t) => Number.isInteger(y) && y >= -1 && y < cardinalities[t]!),
        'E_ARG',
        () => `Argument 'feasible' passed to 'TaskGraph.fromFeasible' has invalid vector [${v.join(', ')}]`,
      );
    }
    return new TaskGraph(
      [...cardinalities],
      feasible.map((v) => [...v]),
    );
  }
}

function validateCards(cards: readonly number[], fn: string): void {
  assert(
    cards.length >= 1 && cards.every((k) => Number.isInteger(k) && k >= 2),
    'E_ARG',
    () => `Argument 'cardinalities' passed to '${fn}' must be integers ≥ 2, got [${cards.join(', ')}]`,
  );
}

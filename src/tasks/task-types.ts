import { MmtlError, Registry } from '../core/index.js';
import { bceWithLogits, crossEntropy, mseLoss, tensor, type Tensor } from '../tensor/index.js';
import type { LabelSet } from './dataset.js';

/**
 * How one kind of task turns head outputs into a loss and into outputs. The loss counts only supervised
 * rows (abstained / missing labels never enter it) and is the mean over them.
 */
export interface TaskType {
  /** Label-set kinds that can supervise this task type. */
  accepts: readonly LabelSet['kind'][];
  /** Head output → probabilities (classification), values (regression), per-label probabilities (multi-label). */
  output(logits: Tensor): Tensor;
  /**
   * Mean loss over the supervised rows of a batch. `active` holds the supervised row indices (int64) when
   * some rows are not supervised; class and token labels use ignore index -1 instead.
   */
  loss(logits: Tensor, labels: Tensor, kind: LabelSet['kind'], active: Tensor | null): Tensor;
  /** Default metrics for scoring. */
  defaultMetrics: readonly string[];
}

function rowsOf(t: Tensor, active: Tensor | null): Tensor {
  return active ? t.index(active) : t;
}

/** The task types by name; keys make the error message for unknown types. */
export const TASK_TYPES = new Registry<TaskType>('task type')
  .register('classification', {
    accepts: ['class', 'soft'],
    output: (logits) => logits.softmax(-1), // [B, k]
    loss(logits, labels, kind, active) {
      if (kind === 'class') return crossEntropy(logits, labels, { ignoreIndex: -1 }); // abstains ignored
      return crossEntropy(rowsOf(logits, active), rowsOf(labels, active)); // soft targets [B', k]
    },
    defaultMetrics: ['accuracy'],
  })
  .register('regression', {
    accepts: ['regression'],
    output: (logits) => (logits.rank === 2 && logits.shape[1] === 1 ? logits.squeeze(1) : logits), // [B]
    loss(logits, labels, _kind, active) {
      const pred = logits.rank === 2 && logits.shape[1] === 1 ? logits.squeeze(1) : logits;
      return mseLoss(rowsOf(pred, active), rowsOf(labels, active));
    },
    defaultMetrics: ['pearson', 'spearman'],
  })
  .register('multilabel', {
    accepts: ['multilabel'],
    output: (logits) => logits.sigmoid(), // [B, k]
    loss(logits, labels) {
      const mask = labels.ge(0).to('float32'); // [B, k] 1 where labeled
      const targets = labels.clamp(0); // -1 → 0, masked out below
      const perEntry = bceWithLogits(logits, targets, { weight: mask, reduction: 'sum' });
      return perEntry.div(mask.sum().clamp(1));
    },
    defaultMetrics: ['accuracy'],
  })
  .register('token', {
    accepts: ['token'],
    output: (logits) => logits.softmax(-1), // [B, T, k]
    loss(logits, labels) {
      const k = logits.shape[logits.rank - 1]!;
      const t = labels.shape[1]!;
      const trimmed = logits.shape[1] === t ? logits : logits.slice(1, 0, t); // [B, T, k]
      return crossEntropy(trimmed.reshape([-1, k]), labels.reshape([-1]), { ignoreIndex: -1 });
    },
    defaultMetrics: ['accuracy'],
  });

/** Checks that label set `labelSet` (of `kind`) can supervise task `task` of type `type`. */
export function checkLabelKind(type: string, kind: LabelSet['kind'], task: string, labelSet: string): void {
  const t = TASK_TYPES.get(type);
  if (!t.accepts.includes(kind)) {
    throw new MmtlError(
      'E_DATA',
      `label set '${labelSet}' (${kind}) cannot supervise task '${task}' of type '${type}'; it accepts ${t.accepts.join(', ')}`,
    );
  }
}

/** Supervised row indices as an int64 tensor, or null when every row is supervised. */
export function activeIndex(active: Uint8Array): Tensor | null {
  let n = 0;
  for (const a of active) n += a;
  if (n === active.length) return null;
  const idx = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < active.length; i++) if (active[i]) idx[j++] = i;
  return tensor(idx, { dtype: 'int64' });
}

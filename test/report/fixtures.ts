// Hand-made metric logs and report inputs shared by the report tests.
import type { LFSummaryRow } from '../../src/labeling/index.js';
import type { MetricRecord } from '../../src/training/index.js';

/** A 12-evaluation two-task run with an aggregate loss, an LR schedule, valid metrics and a slice key. */
export function twoTaskRun(evaluations = 12): MetricRecord[] {
  return Array.from({ length: evaluations }, (_, i) => {
    const step = (i + 1) * 50;
    return {
      step,
      epoch: i + 1,
      wallTime: 1_700_000_000 + i * 5,
      metrics: {
        'RTE/RTE/train/loss': 0.7 / (1 + i * 0.2),
        'MRPC/MRPC/train/loss': 0.65 / (1 + i * 0.15),
        'model/all/train/loss': 0.68 / (1 + i * 0.17),
        'model/all/train/lr': 1e-3 * (1 - i / evaluations),
        'RTE/RTE/valid/accuracy': 0.5 + i * 0.01,
        'MRPC/MRPC/valid/f1': 0.7 + i * 0.005,
        'MRPC/MRPC/valid/accuracy': i === evaluations - 1 ? NaN : 0.65 + i * 0.01,
        'RTE/RTE:negation/valid/accuracy': 0.45 + i * 0.01,
        'model/all/valid/task_mean': 0.6 + i * 0.007,
      },
    };
  });
}

/** Three LFs with gold-label accuracies (the last voted on no gold row). */
export const LF_SUMMARY: LFSummaryRow[] = [
  {
    lf: 'kw_check<&>',
    j: 0,
    polarity: [1],
    coverage: 0.2,
    overlaps: 0.1,
    conflicts: 0.05,
    correct: 18,
    incorrect: 2,
    empAcc: 0.9,
  },
  {
    lf: 'short_comment',
    j: 1,
    polarity: [0],
    coverage: 0.35,
    overlaps: 0.2,
    conflicts: 0.1,
    correct: 25,
    incorrect: 10,
    empAcc: 0.714,
  },
  {
    lf: 'never_fires',
    j: 2,
    polarity: [],
    coverage: 0,
    overlaps: 0,
    conflicts: 0,
    correct: 0,
    incorrect: 0,
    empAcc: null,
  },
];

/** Counts `<g class="mark-<type> role-mark …">` groups: one per series for lines. */
export function countMarkGroups(svg: string, type: string): number {
  return svg.split(`class="mark-${type} role-mark`).length - 1;
}

/** Texts of the SVG's axis titles. */
export function axisTitles(svg: string): string[] {
  const out: string[] = [];
  const re = /<g class="mark-text role-axis-title"[^>]*>.*?<text[^>]*>([^<]*)<\/text>/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) out.push(m[1]!);
  return out;
}

/** Texts of the legend's labels. */
export function legendLabels(svg: string): string[] {
  const out: string[] = [];
  const re = /<g class="mark-text role-legend-label"[^>]*>(.*?)<\/g>/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    for (const t of m[1]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)) out.push(t[1]!);
  }
  return out;
}

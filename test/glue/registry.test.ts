// The GLUE task registry: names, heads, label maps and their inverses, metrics, GLUE-score metrics,
// submission files, and the E_UNKNOWN error listing the tasks.
import { describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import { metrics } from '../../src/metrics/index.js';
import {
  GLUE_SUBMISSION_FILES,
  GLUE_TASKS,
  classificationTask,
  glueSplits,
  glueTask,
} from '../../src/glue/index.js';

const NAMES = ['CoLA', 'SST-2', 'MRPC', 'QQP', 'STS-B', 'MNLI', 'QNLI', 'RTE', 'WNLI', 'AX'];

describe('GLUE_TASKS', () => {
  it('holds the nine tasks plus AX', () => {
    expect(GLUE_TASKS.names()).toEqual(NAMES);
  });

  it('fails on unknown names listing the tasks', () => {
    expect(() => glueTask('SST2')).toThrow(MmtlError);
    try {
      glueTask('SST2');
    } catch (e) {
      expect((e as MmtlError).code).toBe('E_UNKNOWN');
      expect((e as MmtlError).message).toBe(`unknown GLUE task 'SST2'; expected one of ${NAMES.join(', ')}`);
    }
  });

  it('declares heads, losses and label maps', () => {
    const heads = Object.fromEntries(NAMES.map((n) => [n, glueTask(n).head]));
    expect(heads).toEqual({
      CoLA: { kind: 'classification', cardinality: 2 },
      'SST-2': { kind: 'classification', cardinality: 2 },
      MRPC: { kind: 'classification', cardinality: 2 },
      QQP: { kind: 'classification', cardinality: 2 },
      'STS-B': { kind: 'regression', min: 0, max: 5 },
      MNLI: { kind: 'classification', cardinality: 3 },
      QNLI: { kind: 'classification', cardinality: 2 },
      RTE: { kind: 'classification', cardinality: 2 },
      WNLI: { kind: 'classification', cardinality: 2 },
      AX: { kind: 'classification', cardinality: 3 },
    });
    expect(glueTask('STS-B').loss).toBe('mse');
    expect(glueTask('RTE').loss).toBe('cross_entropy');
    expect(glueTask('MNLI').labels).toEqual(['entailment', 'contradiction', 'neutral']);
    expect(glueTask('AX').labels).toEqual(glueTask('MNLI').labels);
    expect(glueTask('AX').headTask).toBe('MNLI');
    expect(glueTask('RTE').headTask).toBe('RTE');
    expect(glueTask('SST-2').goldLabelSet).toBe('SST-2_gold');
  });

  it('round-trips every label string through the label map', () => {
    for (const name of NAMES) {
      const spec = glueTask(name);
      spec.labels.forEach((label, id) => {
        expect(spec.parseLabel(label)).toBe(id);
        expect(spec.formatLabel(id)).toBe(label);
      });
    }
    expect(glueTask('RTE').parseLabel('contradiction')).toBeUndefined();
    expect(() => glueTask('RTE').formatLabel(2)).toThrow(/0\.\.1, got 2/);
    expect(() => glueTask('CoLA').formatLabel(0.5)).toThrow(MmtlError);
  });

  it('parses and formats STS-B scores on the raw 0–5 scale', () => {
    const stsb = glueTask('STS-B');
    expect(stsb.parseLabel('3.800')).toBe(3.8);
    expect(stsb.parseLabel('0')).toBe(0);
    expect(stsb.parseLabel('5.1')).toBeUndefined();
    expect(stsb.parseLabel('')).toBeUndefined();
    expect(stsb.parseLabel('x')).toBeUndefined();
    expect(stsb.formatLabel(5.31)).toBe('5.000');
    expect(stsb.formatLabel(-0.2)).toBe('0.000');
    expect(stsb.formatLabel(2.34567)).toBe('2.346');
    expect(() => stsb.formatLabel(NaN)).toThrow(/finite/);
  });

  it('names registered metrics, the primary one and the GLUE-score ones', () => {
    const table = Object.fromEntries(
      NAMES.map((n) => {
        const s = glueTask(n);
        return [n, [s.primaryMetric, s.scoreMetrics]];
      }),
    );
    expect(table).toEqual({
      CoLA: ['matthews_corrcoef', ['matthews_corrcoef']],
      'SST-2': ['accuracy', ['accuracy']],
      MRPC: ['acc_f1', ['accuracy', 'f1']],
      QQP: ['acc_f1', ['accuracy', 'f1']],
      'STS-B': ['pearson_spearman', ['pearson', 'spearman']],
      MNLI: ['accuracy', ['accuracy']],
      QNLI: ['accuracy', ['accuracy']],
      RTE: ['accuracy', ['accuracy']],
      WNLI: ['accuracy', ['accuracy']],
      AX: ['accuracy', []],
    });
    for (const n of NAMES) {
      const s = glueTask(n);
      for (const m of [...s.metrics, ...s.scoreMetrics]) expect(metrics.has(m)).toBe(true);
      expect(s.metrics).toContain(s.primaryMetric);
    }
    expect(glueTask('MRPC').metrics).toEqual(['acc_f1', 'f1', 'accuracy']);
    expect(glueTask('STS-B').metrics).toEqual(['pearson_spearman', 'pearson', 'spearman']);
  });

  it('lists MNLI splits and valid splits', () => {
    expect(Object.keys(glueTask('MNLI').splits)).toEqual([
      'train',
      'dev_matched',
      'dev_mismatched',
      'test_matched',
      'test_mismatched',
    ]);
    expect(glueTask('MNLI').validSplit).toBe('dev_matched');
    expect(glueTask('CoLA').validSplit).toBe('dev');
    expect(glueTask('AX').validSplit).toBeUndefined();
    expect(glueTask('MNLI').splits.dev_matched).toMatchObject({ label: 'gold_label', textA: 'sentence1' });
    expect(glueTask('QQP').splits.test).toMatchObject({
      index: 'id',
      textA: 'question1',
      textB: 'question2',
    });
  });
});

describe('GLUE_SUBMISSION_FILES', () => {
  it('lists the eleven GLUE files with their test sizes', () => {
    expect(GLUE_SUBMISSION_FILES.names()).toEqual([
      'CoLA.tsv',
      'SST-2.tsv',
      'MRPC.tsv',
      'QQP.tsv',
      'STS-B.tsv',
      'MNLI-m.tsv',
      'MNLI-mm.tsv',
      'QNLI.tsv',
      'RTE.tsv',
      'WNLI.tsv',
      'AX.tsv',
    ]);
    expect(GLUE_SUBMISSION_FILES.get('MNLI-mm.tsv')).toEqual({
      file: 'MNLI-mm.tsv',
      task: 'MNLI',
      split: 'test_mismatched',
      rows: 9847,
    });
    expect(GLUE_SUBMISSION_FILES.get('AX.tsv').rows).toBe(1104);
  });
});

describe('task builders', () => {
  it('build a task from the usual layout', () => {
    const splits = glueSplits({ dir: 'X', textA: 'a', textB: 'b', label: 'y', rows: { train: 3, test: 2 } });
    expect(splits).toEqual({
      train: { path: 'X/train.tsv', header: true, textA: 'a', textB: 'b', label: 'y', rows: 3 },
      test: { path: 'X/test.tsv', header: true, index: 'index', textA: 'a', textB: 'b', rows: 2 },
    });
    const x = classificationTask({ name: 'X', splits }, ['no', 'yes']);
    expect(x.parseLabel(' yes ')).toBe(1);
    expect(x.submissions).toEqual([{ file: 'X.tsv', split: 'test' }]);
    expect(x.scoreDatasets).toEqual(['X']);
  });
});

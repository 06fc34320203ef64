// GLUE datasets: BERT inputs (input_ids, token_type_ids) and word-id inputs (tokens, tokens_b) for small
// subsets of the shipped data, gold label sets named <TASK>_gold, row ids and truncation.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import { BertTokenizer, WordVocab } from '../../src/data/index.js';
import { glueDataset, glueWordDataset, loadGlueSplit, type GlueRow } from '../../src/glue/index.js';
import type { Field } from '../../src/tasks/index.js';

const glueDir = join(import.meta.dirname, '..', '..', 'data', 'glue');
const tokenizerDir = join(import.meta.dirname, '..', 'fixtures', 'bert-tiny-tokenizer');

let bert: BertTokenizer;
beforeAll(async () => {
  bert = await BertTokenizer.fromDir(tokenizerDir);
});

function row(field: Field, i: number): number[] {
  if (field.kind !== 'sequence') throw new Error('expected a sequence field');
  return Array.from(field.values.subarray(field.offsets[i], field.offsets[i + 1]));
}

describe('glueDataset', () => {
  it('encodes sentence pairs with type ids and class labels', async () => {
    const { rows } = await loadGlueSplit(glueDir, 'RTE', 'dev', { maxRows: 4 });
    const ds = glueDataset(rows, { task: 'RTE', tokenizer: bert, maxLength: 128 });
    expect(ds.name).toBe('RTE');
    expect(ds.size).toBe(4);
    expect(Object.keys(ds.inputs)).toEqual(['input_ids', 'token_type_ids']);
    expect(ds.labelSetNames()).toEqual(['RTE_gold']);
    const gold = ds.labelSet('RTE_gold');
    expect(gold).toEqual({ kind: 'class', values: Int32Array.from(rows, (r) => r.label!), cardinality: 2 });
    expect(ds.rowIds).toEqual(['0', '1', '2', '3']);
    const enc = bert.encode(rows[0]!.textA, rows[0]!.textB);
    expect(row(ds.inputs.input_ids!, 0)).toEqual(enc.ids);
    expect(row(ds.inputs.token_type_ids!, 0)).toEqual(enc.typeIds);
    expect(enc.ids[0]).toBe(bert.clsId);
    expect(enc.typeIds.at(-1)).toBe(1);
    expect(ds.inputs.input_ids).toMatchObject({ padValue: bert.padId });
  });

  it('truncates pairs to maxLength', async () => {
    const { rows } = await loadGlueSplit(glueDir, 'RTE', 'train', { maxRows: 8 });
    const ds = glueDataset(rows, { task: 'RTE', tokenizer: bert, maxLength: 16 });
    for (let i = 0; i < ds.size; i++) {
      const ids = row(ds.inputs.input_ids!, i);
      expect(ids.length).toBeLessThanOrEqual(16);
      expect(ids.filter((t) => t === bert.sepId)).toHaveLength(2);
    }
    expect(() => glueDataset(rows, { task: 'RTE', tokenizer: bert, maxLength: 2 })).toThrow(/≥ 3/);
  });

  it('encodes single sentences, STS-B scores and unlabeled test rows', async () => {
    const cola = await loadGlueSplit(glueDir, 'CoLA', 'dev', { maxRows: 3 });
    const dsCola = glueDataset(cola.rows, { task: 'CoLA', tokenizer: bert, maxLength: 64 });
    expect(row(dsCola.inputs.token_type_ids!, 0).every((t) => t === 0)).toBe(true);
    expect(dsCola.labelSet('CoLA_gold')).toMatchObject({ kind: 'class', cardinality: 2 });

    const stsb = await loadGlueSplit(glueDir, 'STS-B', 'dev', { maxRows: 3 });
    const dsStsb = glueDataset(stsb.rows, { task: 'STS-B', tokenizer: bert, maxLength: 64 });
    expect(dsStsb.labelSet('STS-B_gold')).toEqual({
      kind: 'regression',
      values: Float32Array.from(stsb.rows, (r) => r.label!),
    });

    const test = await loadGlueSplit(glueDir, 'WNLI', 'test', { maxRows: 3 });
    const dsTest = glueDataset(test.rows, { task: 'WNLI', tokenizer: bert, maxLength: 64 });
    expect(dsTest.labelSetNames()).toEqual([]);
    expect(dsTest.rowIds).toEqual(test.rows.map((r) => r.index));
  });

  it('marks missing labels as abstain or NaN', () => {
    const rows: GlueRow[] = [
      { textA: 'a', textB: 'b', label: 4, line: 1 },
      { textA: 'c', textB: 'd', line: 2 },
    ];
    const ds = glueDataset(rows, { task: 'STS-B', tokenizer: bert, maxLength: 16 });
    expect(Array.from(ds.labelSet('STS-B_gold').values)).toEqual([4, NaN]);
    const rte = glueDataset(
      rows.map((r) => ({ ...r, label: r.label === undefined ? undefined : 1 })),
      { task: 'RTE', tokenizer: bert, maxLength: 16 },
    );
    expect(Array.from(rte.labelSet('RTE_gold').values)).toEqual([1, -1]);
  });

  it('rejects rows that do not fit the task', () => {
    const single: GlueRow[] = [{ textA: 'a', line: 1 }];
    const e = (() => {
      try {
        glueDataset(single, { task: 'RTE', tokenizer: bert, maxLength: 16 });
      } catch (err) {
        return err as MmtlError;
      }
      return undefined;
    })();
    expect(e?.code).toBe('E_DATA');
    expect(e?.message).toContain('row 0 has no text B, but RTE is a sentence-pair task');
    const badLabel: GlueRow[] = [{ textA: 'a', textB: 'b', label: 2, line: 1 }];
    expect(() => glueDataset(badLabel, { task: 'RTE', tokenizer: bert, maxLength: 16 })).toThrow(/0\.\.1/);
    expect(() => glueDataset(single, { task: 'XX', tokenizer: bert, maxLength: 16 })).toThrow(
      /unknown GLUE task/,
    );
  });
});

describe('glueWordDataset', () => {
  it('encodes word ids of both texts with the gold labels', async () => {
    const { rows } = await loadGlueSplit(glueDir, 'MRPC', 'dev', { maxRows: 5 });
    const vocab = WordVocab.build(rows.map((r) => `${r.textA} ${r.textB!}`));
    const ds = glueWordDataset(rows, { task: 'MRPC', vocab, maxLength: 10 });
    expect(ds.name).toBe('MRPC');
    expect(Object.keys(ds.inputs)).toEqual(['tokens', 'tokens_b']);
    expect(row(ds.inputs.tokens!, 0)).toEqual(Array.from(vocab.encode(rows[0]!.textA).subarray(0, 10)));
    expect(row(ds.inputs.tokens_b!, 1)).toEqual(Array.from(vocab.encode(rows[1]!.textB!).subarray(0, 10)));
    expect(ds.labelSet('MRPC_gold')).toEqual({
      kind: 'class',
      values: Int32Array.from(rows, (r) => r.label!),
      cardinality: 2,
    });
  });

  it('has no tokens_b for single-sentence tasks and never emits empty rows', () => {
    const vocab = WordVocab.build(['good movie']);
    const rows: GlueRow[] = [
      { textA: 'good movie', label: 1, line: 2 },
      { textA: '   ', label: 0, line: 3 },
    ];
    const ds = glueWordDataset(rows, { task: 'SST-2', vocab, maxLength: 1 });
    expect(Object.keys(ds.inputs)).toEqual(['tokens']);
    expect(row(ds.inputs.tokens!, 0)).toEqual([vocab.id('good')]);
    expect(row(ds.inputs.tokens!, 1)).toEqual([WordVocab.UNK_ID]);
    expect(ds.labelSetNames()).toEqual(['SST-2_gold']);
    expect(() => glueWordDataset(rows, { task: 'SST-2', vocab, maxLength: 0 })).toThrow(/'maxLength'/);
  });
});

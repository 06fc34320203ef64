// GLUE loaders: official row counts and label balance of the shipped data/glue, column handling (no header,
// BOM, CRLF, quotes), and coded errors or skipping for the malformed files of test/fixtures/glue-bad.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MmtlError } from '../../src/core/index.js';
import { GLUE_TASKS, loadGlueSplit, type GlueSplit } from '../../src/glue/index.js';

const glueDir = join(import.meta.dirname, '..', '..', 'data', 'glue');
const badDir = join(import.meta.dirname, '..', 'fixtures', 'glue-bad');

// GLUE's published sizes (also in data/glue/VERIFY.txt), for every file shipped in the repo.
const OFFICIAL: [string, GlueSplit, number][] = [
  ['CoLA', 'train', 8551],
  ['CoLA', 'dev', 1043],
  ['CoLA', 'test', 1063],
  ['SST-2', 'train', 67349],
  ['SST-2', 'dev', 872],
  ['SST-2', 'test', 1821],
  ['MRPC', 'train', 3668],
  ['MRPC', 'dev', 408],
  ['MRPC', 'test', 1725],
  ['STS-B', 'train', 5749],
  ['STS-B', 'dev', 1500],
  ['STS-B', 'test', 1379],
  ['RTE', 'train', 2490],
  ['RTE', 'dev', 277],
  ['RTE', 'test', 3000],
  ['WNLI', 'train', 635],
  ['WNLI', 'dev', 71],
  ['WNLI', 'test', 146],
  ['QNLI', 'dev', 5463],
  ['QNLI', 'test', 5463],
  ['AX', 'test', 1104],
];

async function errorOf(p: Promise<unknown>): Promise<MmtlError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MmtlError);
  return e as MmtlError;
}

describe('loadGlueSplit on the shipped GLUE data', () => {
  it.each(OFFICIAL)('%s %s has the official %i rows, none skipped', async (task, split, n) => {
    const { rows, skipped } = await loadGlueSplit(glueDir, task, split);
    expect(rows.length).toBe(n);
    expect(GLUE_TASKS.get(task).splits[split]?.rows).toBe(n);
    expect(skipped).toEqual([]);
    const isTest = split === 'test';
    const pair = GLUE_TASKS.get(task).splits[split]?.textB !== undefined;
    const odd = rows.filter(
      (r) =>
        r.textA.trim() === '' ||
        (r.textB !== undefined) !== pair ||
        (r.label === undefined) !== isTest ||
        (isTest && !/^\d+$/.test(r.index ?? '')),
    );
    expect(odd).toEqual([]);
    if (isTest) expect(new Set(rows.map((r) => r.index)).size).toBe(n);
  });

  it('maps labels with sane class balance', async () => {
    const counts = async (task: string, split: GlueSplit) => {
      const { rows } = await loadGlueSplit(glueDir, task, split);
      const c = new Array<number>(GLUE_TASKS.get(task).labels.length).fill(0);
      for (const r of rows) c[r.label!]!++;
      return c;
    };
    expect(await counts('CoLA', 'train')).toEqual([2528, 6023]);
    expect(await counts('SST-2', 'train')).toEqual([29780, 37569]);
    expect(await counts('MRPC', 'train')).toEqual([1194, 2474]);
    expect(await counts('RTE', 'train')).toEqual([1249, 1241]); // entailment, not_entailment
    expect(await counts('QNLI', 'dev')).toEqual([2702, 2761]);
    expect(await counts('WNLI', 'train')).toEqual([323, 312]);
  });

  it('reads the right columns of each layout', async () => {
    const cola = await loadGlueSplit(glueDir, 'CoLA', 'dev');
    expect(cola.rows[0]).toEqual({
      textA: 'The sailors rode the breeze clear of the rocks.',
      label: 1,
      line: 1,
    });
    // CoLA dev ends without a final newline: the last row still counts.
    expect(cola.rows.at(-1)?.line).toBe(1043);
    const mrpc = await loadGlueSplit(glueDir, 'MRPC', 'train', { maxRows: 1 });
    expect(mrpc.rows).toHaveLength(1); // the byte-order mark before 'Quality' does not hide the label column
    expect(mrpc.rows[0]!.label).toBe(1);
    expect(mrpc.rows[0]!.textA).toMatch(/^Amrozi accused his brother/);
    const stsb = await loadGlueSplit(glueDir, 'STS-B', 'train', { maxRows: 2 });
    expect(stsb.rows).toEqual([
      {
        index: '0',
        textA: 'A plane is taking off.',
        textB: 'An air plane is taking off.',
        label: 5,
        line: 2,
      },
      {
        index: '1',
        textA: 'A man is playing a large flute.',
        textB: 'A man is playing a flute.',
        label: 3.8,
        line: 3,
      },
    ]);
    const rte = await loadGlueSplit(glueDir, 'RTE', 'dev', { maxRows: 1 });
    expect(rte.rows[0]).toMatchObject({ index: '0', textB: 'Christopher Reeve had an accident.', label: 1 });
    const ax = await loadGlueSplit(glueDir, 'AX', 'test', { maxRows: 1 });
    expect(ax.rows[0]).toEqual({
      index: '0',
      textA: 'The cat sat on the mat.',
      textB: 'The cat did not sit on the mat.',
      line: 2,
    });
    const stsbAll = await loadGlueSplit(glueDir, 'STS-B', 'dev');
    expect(stsbAll.rows.every((r) => r.label! >= 0 && r.label! <= 5)).toBe(true);
  });

  it('stops after maxRows', async () => {
    expect((await loadGlueSplit(glueDir, 'SST-2', 'train', { maxRows: 5 })).rows).toHaveLength(5);
    expect((await loadGlueSplit(glueDir, 'SST-2', 'train', { maxRows: 0 })).rows).toHaveLength(0);
    expect((await loadGlueSplit(glueDir, 'CoLA', 'train', { maxRows: 0 })).rows).toHaveLength(0);
  });
});

describe('loadGlueSplit errors', () => {
  it('rejects unknown tasks and splits, listing the choices', async () => {
    const task = await errorOf(loadGlueSplit(glueDir, 'rte', 'dev'));
    expect(task.code).toBe('E_UNKNOWN');
    expect(task.message).toContain('CoLA, SST-2, MRPC, QQP, STS-B, MNLI, QNLI, RTE, WNLI, AX');
    const split = await errorOf(loadGlueSplit(glueDir, 'MNLI', 'dev'));
    expect(split.code).toBe('E_UNKNOWN');
    expect(split.message).toContain('train, dev_matched, dev_mismatched, test_matched, test_mismatched');
    const ax = await errorOf(loadGlueSplit(glueDir, 'AX', 'train'));
    expect(ax.message).toContain('expected one of test');
  });

  it('rejects bad options', async () => {
    expect((await errorOf(loadGlueSplit(glueDir, 'RTE', 'dev', { maxRows: -1 }))).code).toBe('E_ARG');
    const bad = { onBadRow: 'warn' } as unknown as { onBadRow: 'skip' };
    expect((await errorOf(loadGlueSplit(glueDir, 'RTE', 'dev', bad))).message).toContain("'onBadRow'");
  });

  it('fails with E_IO and a layout hint on a missing folder or file', async () => {
    const dir = await errorOf(loadGlueSplit(join(badDir, 'nope'), 'RTE', 'dev'));
    expect(dir.code).toBe('E_IO');
    expect(dir.message).toContain('glue_data layout');
    const file = await errorOf(loadGlueSplit(glueDir, 'MNLI', 'train')); // MNLI is not shipped
    expect(file.code).toBe('E_IO');
    expect(file.message).toContain(join('MNLI', 'train.tsv'));
    expect(file.message).toContain('dev_matched.tsv');
  });

  it('finds data/glue under MMTL_DATA_DIR when the working directory has none, and says so when missing', async () => {
    const cwd = process.cwd();
    const empty = mkdtempSync(join(tmpdir(), 'mmtl-noglue-'));
    try {
      process.chdir(empty);
      vi.stubEnv('MMTL_DATA_DIR', '');
      const e = await errorOf(loadGlueSplit('data/glue', 'RTE', 'dev'));
      expect(e.code).toBe('E_IO');
      expect(e.message).toContain(`'${join(empty, 'data', 'glue')}' (relative to the working directory)`);
      expect(e.message).toContain('MMTL_DATA_DIR');
      expect(e.message).toContain('--glue-dir');
      vi.stubEnv('MMTL_DATA_DIR', join(glueDir, '..'));
      const { rows, path } = await loadGlueSplit('data/glue', 'RTE', 'dev');
      expect(rows).toHaveLength(277);
      expect(path).toBe(join(glueDir, 'RTE', 'dev.tsv'));
    } finally {
      process.chdir(cwd);
      vi.unstubAllEnvs();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names file and line of the first malformed row', async () => {
    const e = await errorOf(loadGlueSplit(badDir, 'RTE', 'train'));
    expect(e.code).toBe('E_DATA');
    expect(e.message).toContain(join('RTE', 'train.tsv'));
    expect(e.message).toContain('line 3: expected 4 columns, got 3');
    expect(e.details).toMatchObject({ line: 3 });
    expect(e.hint).toContain("onBadRow: 'skip'");
  });

  it('skips and counts malformed rows when asked', async () => {
    const { rows, skipped } = await loadGlueSplit(badDir, 'RTE', 'train', { onBadRow: 'skip' });
    expect(rows.map((r) => r.index)).toEqual(['0', '5']);
    expect(rows[0]!.textA).toBe('He said "hi" to "them.'); // quotes are plain text
    expect(skipped.map((s) => s.line)).toEqual([3, 4, 5, 7]);
    expect(skipped[1]!.reason).toBe('text A is empty');
    expect(skipped[2]!.reason).toBe(`unknown label "maybe"; expected one of 'entailment', 'not_entailment'`);
    expect(skipped[3]!.reason).toMatch(/^expected 4 columns, got 5/);
  });

  it('checks header-less CoLA rows by position', async () => {
    const { rows, skipped } = await loadGlueSplit(badDir, 'CoLA', 'train', { onBadRow: 'skip' });
    expect(rows).toEqual([
      { textA: 'Good sentence.', label: 1, line: 1 },
      { textA: 'Bad sentence here.', label: 0, line: 2 },
    ]);
    expect(skipped).toEqual([
      { line: 3, reason: expect.stringMatching(/^expected 4 columns, got 3/) as unknown },
      { line: 4, reason: `unknown label "2"; expected one of '0', '1'` },
      { line: 5, reason: 'text A is empty' },
    ]);
  });

  it('checks STS-B scores are numbers in [0, 5]', async () => {
    const { rows, skipped } = await loadGlueSplit(badDir, 'STS-B', 'dev', { onBadRow: 'skip' });
    expect(rows.map((r) => r.label)).toEqual([4.2, 5]);
    expect(skipped.map((s) => s.line)).toEqual([3, 4]);
    expect(skipped[0]!.reason).toContain('expected a number in [0, 5]');
  });

  it('reads BOM and CRLF files and flags empty indexes', async () => {
    const mrpc = await loadGlueSplit(badDir, 'MRPC', 'dev');
    expect(mrpc.rows).toEqual([
      { textA: 'Windows line one .', textB: 'Windows line 1 .', label: 1, line: 2 },
      { textA: 'Second "quoted row .', textB: 'Other .', label: 0, line: 3 },
    ]);
    const sst = await loadGlueSplit(badDir, 'SST-2', 'test', { onBadRow: 'skip' });
    expect(sst.rows).toEqual([{ index: '7', textA: 'fine .', line: 3 }]);
    expect(sst.skipped).toEqual([{ line: 2, reason: 'the index is empty' }]);
  });

  it('fails on a header without a needed column or an empty file, even when skipping', async () => {
    const header = await errorOf(loadGlueSplit(badDir, 'WNLI', 'train', { onBadRow: 'skip' }));
    expect(header.code).toBe('E_DATA');
    expect(header.message).toContain("line 1: the header has no label column 'label'");
    const empty = await errorOf(loadGlueSplit(badDir, 'RTE', 'dev', { onBadRow: 'skip' }));
    expect(empty.code).toBe('E_DATA');
    expect(empty.message).toContain('is empty');
  });
});

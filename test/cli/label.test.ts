import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import {
  LabelMatrix,
  loadLabelMatrix,
  saveLabelMatrix,
  type LFSummaryRow,
} from '../../src/labeling/index.js';
import { captureIo } from '../helpers/cli-io.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const data = join(fixtures, 'youtube', 'train-200.jsonl');
const tsModule = join(fixtures, 'lfs', 'youtube-lfs.ts');
const jsModule = join(fixtures, 'lfs', 'flaky-lfs.mjs');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmtl-cli-label-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mmtl label apply', () => {
  it('writes a label matrix and prints a summary line', async () => {
    const io = captureIo();
    const out = join(dir, 'L.npy');
    const code = await runCli(
      ['label', 'apply', '--lfs', tsModule, '--data', data, '--out', out, '--id-field', 'id'],
      io,
    );
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/^labeled 200 rows with 7 LFs -> .*L\.npy \(coverage \d+\.\d%\)\n$/);
    const L = await loadLabelMatrix(out);
    expect([L.n, L.m]).toEqual([200, 7]);
    expect(L.names[0]).toBe('keyword_my');
    expect(L.rowIds![0]).toBe('yt-0');
  });

  it('labels a WRENCH whole-file JSON (records keyed by id) in file order', async () => {
    const wrench = join(fixtures, 'wrench-youtube-mini', 'train.json');
    const out = join(dir, 'wrench-L.json');
    const io = captureIo();
    const code = await runCli(
      ['label', 'apply', '--lfs', join(fixtures, 'lfs', 'wrench-lfs.mjs'), '--data', wrench, '--out', out],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const L = await loadLabelMatrix(out);
    const rows = Object.values(
      JSON.parse(readFileSync(wrench, 'utf8')) as Record<string, { data: { text: string } }>,
    );
    expect([L.n, L.m]).toEqual([rows.length, 2]);
    rows.forEach((r, i) => expect(L.get(i, 0)).toBe(r.data.text.includes('http') ? 1 : -1));
    const parallelOut = join(dir, 'wrench-L2.json');
    const io2 = captureIo();
    const args = ['--lfs', join(fixtures, 'lfs', 'wrench-lfs.mjs'), '--data', wrench, '--workers', '2'];
    expect(await runCli(['label', 'apply', ...args, '--out', parallelOut], io2), io2.stderr).toBe(0);
    expect([...(await loadLabelMatrix(parallelOut)).data]).toEqual([...L.data]);
  });

  it('gives the same matrix with --workers and reports failures with --fault-tolerant', async () => {
    const serialOut = join(dir, 'serial.json');
    const parallelOut = join(dir, 'parallel.json');
    const a = captureIo();
    const b = captureIo();
    expect(
      await runCli(
        ['label', 'apply', '--lfs', jsModule, '--data', data, '--out', serialOut, '--fault-tolerant'],
        a,
      ),
    ).toBe(0);
    expect(
      await runCli(
        [
          'label',
          'apply',
          '--lfs',
          jsModule,
          '--data',
          data,
          '--out',
          parallelOut,
          '--fault-tolerant',
          '--workers',
          '2',
        ],
        b,
      ),
    ).toBe(0);
    expect(readFileSync(parallelOut, 'utf8')).toBe(readFileSync(serialOut, 'utf8'));
    expect(a.stdout).toMatch(/; failures: flaky \d+\n$/);
    expect(b.stdout).toBe(a.stdout.replace('serial.json', 'parallel.json'));
  });

  it('fails with E_LF (exit 1) naming the LF and row without --fault-tolerant', async () => {
    const io = captureIo();
    const code = await runCli(
      ['label', 'apply', '--lfs', jsModule, '--data', data, '--out', join(dir, 'x.npy')],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderr).toMatch(
      /^error E_LF: LF 'flaky' failed on row \d+ \(line \d+ of '.*train-200.jsonl'\): boom/,
    );
  });

  it('draws a progress bar on stderr when it is a terminal', async () => {
    const io = captureIo(true);
    const code = await runCli(
      ['label', 'apply', '--lfs', tsModule, '--data', data, '--out', join(dir, 'tty.csv')],
      io,
    );
    expect(code).toBe(0);
    expect(io.stderr).toContain('labeling');
    expect(io.stderr).toContain('100%');
  });

  it('rejects bad options', async () => {
    const io = captureIo();
    const code = await runCli(
      ['label', 'apply', '--lfs', tsModule, '--data', data, '--out', join(dir, 'y.npy'), '--workers', '0'],
      io,
    );
    expect(code).not.toBe(0);
    expect(io.stderr).toContain('--workers must be an integer ≥ 1');
    const io2 = captureIo();
    expect(
      await runCli(
        ['label', 'apply', '--lfs', tsModule, '--data', join(dir, 'none.jsonl'), '--out', join(dir, 'z.npy')],
        io2,
      ),
    ).toBe(3);
    expect(io2.stderr).toMatch(/^error E_IO/);
  });
});

describe('mmtl label analyze', () => {
  const rows = readFileSync(data, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { label: number; weak_labels: number[] });
  const names = Array.from({ length: 10 }, (_, j) => `lf${j}`);
  const Lpath = (): string => join(dir, 'wrench.npy');

  beforeAll(async () => {
    await saveLabelMatrix(
      Lpath(),
      LabelMatrix.fromRows(
        rows.map((r) => r.weak_labels),
        names,
      ),
    );
  });

  it('prints a table', async () => {
    const io = captureIo();
    expect(await runCli(['label', 'analyze', '--L', Lpath()], io)).toBe(0);
    const lines = io.stdout.trim().split('\n');
    expect(lines[0]).toBe('200 rows, 10 LFs: coverage 0.805, overlap 0.455, conflict 0.280');
    expect(lines[1]).toMatch(/^lf\s+j\s+polarity\s+coverage\s+overlaps\s+conflicts$/);
    expect(lines[2]).toMatch(/^lf0\s+0\s+\[1\]\s+0\.210\s+0\.165\s+0\.090$/);
    expect(lines).toHaveLength(12);
  });

  it('prints JSON rows with accuracy from every kind of gold file', async () => {
    const labels = rows.map((r) => r.label);
    const goldFiles: [string, string][] = [
      ['gold.json', JSON.stringify(labels)],
      ['gold.txt', labels.join('\n') + '\n'],
      ['gold.csv', 'label\n' + labels.join('\n') + '\n'],
    ];
    const outputs: string[] = [];
    for (const [name, text] of goldFiles) {
      const path = join(dir, name);
      await writeFile(path, text);
      const io = captureIo();
      expect(
        await runCli(['label', 'analyze', '--L', Lpath(), '--gold', path, '--json'], io),
        io.stderr,
      ).toBe(0);
      outputs.push(io.stdout);
    }
    const io = captureIo();
    expect(await runCli(['label', 'analyze', '--L', Lpath(), '--gold', data, '--json'], io)).toBe(0);
    outputs.push(io.stdout);
    expect(new Set(outputs).size).toBe(1);
    const summary = JSON.parse(outputs[0]!) as LFSummaryRow[];
    expect(summary[6]).toMatchObject({ lf: 'lf6', j: 6, polarity: [0], correct: 14, incorrect: 28 });
    expect(summary[6]!.empAcc).toBeCloseTo(14 / 42, 12);
  });

  it('shows accuracy columns in the table with --gold, and fails on a short gold file', async () => {
    const path = join(dir, 'gold-short.json');
    await writeFile(path, '[0, 1]');
    const io = captureIo();
    expect(await runCli(['label', 'analyze', '--L', Lpath(), '--gold', path], io)).toBe(1);
    expect(io.stderr).toMatch(/^error E_SHAPE: Argument 'Y' passed to 'LFAnalysis' has 2 labels/);
    const ok = captureIo();
    expect(await runCli(['label', 'analyze', '--L', Lpath(), '--gold', join(dir, 'gold.json')], ok)).toBe(0);
    expect(ok.stdout.split('\n')[1]).toMatch(/correct\s+incorrect\s+emp_acc$/);
  });
});

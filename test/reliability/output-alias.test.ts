// Outputs never alias inputs: every CLI command that reads and writes files refuses (E_ARG, exit 2) when an
// output resolves to an input — same path, a symlink, a hard link, a sidecar, or a folder around it — and
// writes nothing.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoAlias, isMmtlError } from '../../src/core/index.js';
import { LabelMatrix, saveLabelMatrix } from '../../src/labeling/index.js';
import { cli, expectUnchanged, snapshot, tempDir } from './helpers.js';

const LFS = join(import.meta.dirname, 'fixtures', 'link-lfs.mjs');

const L = LabelMatrix.fromRows(
  [
    [1, 0, -1],
    [0, 0, 1],
    [1, -1, 1],
    [-1, 1, 0],
  ],
  ['a', 'b', 'c'],
);

/** A folder with a saved label matrix (L.npy + L.npy.names.json) and a fitted model (lm.json). */
async function matrixFolder(): Promise<string> {
  const dir = tempDir('alias');
  await saveLabelMatrix(join(dir, 'L.npy'), L);
  await saveLabelMatrix(join(dir, 'L.json'), L);
  const { code, io } = await cli(
    'labelmodel',
    'fit',
    '--L',
    join(dir, 'L.npy'),
    '--k',
    '2',
    '--out',
    join(dir, 'lm.json'),
    '--epochs',
    '5',
  );
  expect(code, io.stderr).toBe(0);
  return dir;
}

async function expectRefused(dir: string, argv: string[], arg: string): Promise<void> {
  const before = snapshot(dir);
  const { code, io } = await cli(...argv);
  expect(code, io.stderr).toBe(2);
  expect(io.stderr).toMatch(
    new RegExp(`error E_ARG: Argument '${arg}' passed to 'mmtl .*writing it would destroy the input`),
  );
  expectUnchanged(before, dir);
}

describe('assertNoAlias', () => {
  it('compares real paths, inodes and folders', async () => {
    const dir = tempDir('alias');
    writeFileSync(join(dir, 'in.txt'), 'x');
    symlinkSync(join(dir, 'in.txt'), join(dir, 'sym.txt'));
    linkSync(join(dir, 'in.txt'), join(dir, 'hard.txt'));
    const input = [{ arg: 'in', path: join(dir, 'in.txt') }];
    for (const out of ['in.txt', 'sym.txt', 'hard.txt', 'sub/../in.txt']) {
      await expect(assertNoAlias('f', input, [{ arg: 'out', path: join(dir, out) }])).rejects.toSatisfy((e) =>
        isMmtlError(e, 'E_ARG'),
      );
    }
    await assertNoAlias('f', input, [{ arg: 'out', path: join(dir, 'other.txt') }]);
    await expect(assertNoAlias('f', input, [{ arg: 'out', path: dir, tree: true }])).rejects.toThrow(
      /is a folder that holds 'in'/,
    );
    await expect(
      assertNoAlias(
        'f',
        [{ arg: 'in', path: dir, tree: true }],
        [{ arg: 'out', path: join(dir, 'new', 'x') }],
      ),
    ).rejects.toThrow(/lies inside 'in'/);
  });
});

describe('CLI commands refuse outputs that alias their inputs', () => {
  it('mmtl labelmodel predict --L L.npy --out L.npy (and the sidecar, a symlink, a hard link)', async () => {
    const dir = await matrixFolder();
    const base = [
      'labelmodel',
      'predict',
      '--model',
      join(dir, 'lm.json'),
      '--L',
      join(dir, 'L.npy'),
      '--out',
    ];
    await expectRefused(dir, [...base, join(dir, 'L.npy')], '--out');
    await expectRefused(dir, [...base, join(dir, 'L.npy.names.json')], '--out');
    await expectRefused(dir, [...base, join(dir, 'lm.json')], '--out');
    symlinkSync(join(dir, 'L.npy'), join(dir, 'link.npy'));
    await expectRefused(dir, [...base, join(dir, 'link.npy')], '--out');
    linkSync(join(dir, 'L.npy'), join(dir, 'hard.npy'));
    await expectRefused(dir, [...base, join(dir, 'hard.npy')], '--out');
    // a path of its own works
    const { code, io } = await cli(...base, join(dir, 'probs.npy'));
    expect(code, io.stderr).toBe(0);
  });

  it('mmtl labelmodel fit --L L.json --out L.json', async () => {
    const dir = await matrixFolder();
    await expectRefused(
      dir,
      ['labelmodel', 'fit', '--L', join(dir, 'L.json'), '--k', '2', '--out', join(dir, 'L.json')],
      '--out',
    );
  });

  it('mmtl label apply --data d.csv --out d.csv, and --out over the LF module', async () => {
    const dir = tempDir('alias');
    writeFileSync(join(dir, 'd.csv'), 'text\nhello\nworld http\n');
    const base = ['label', 'apply', '--lfs', LFS, '--data', join(dir, 'd.csv'), '--out'];
    await expectRefused(dir, [...base, join(dir, 'd.csv')], '--out');
    // a .npy output's sidecar is an output too
    writeFileSync(join(dir, 'x.npy.names.json'), 'text\nhello\n');
    await expectRefused(
      dir,
      [
        'label',
        'apply',
        '--lfs',
        LFS,
        '--data',
        join(dir, 'x.npy.names.json'),
        '--format',
        'csv',
        '--out',
        join(dir, 'x.npy'),
      ],
      '--out',
    );
  });

  it('mmtl predict / glue submit never write over the run folder or the GLUE data', async () => {
    const dir = tempDir('alias');
    const runDir = join(dir, 'run');
    const glueDir = join(dir, 'glue');
    mkdirSync(join(runDir, 'stage1', 'checkpoints', 'best'), { recursive: true });
    writeFileSync(join(runDir, 'config.json'), JSON.stringify({ tasks: ['RTE'], glueDir }));
    writeFileSync(join(runDir, 'stage1', 'metrics.jsonl'), '{"step":1}\n');
    writeFileSync(join(runDir, 'stage1', 'checkpoints', 'best', 'model.safetensors'), 'weights');
    mkdirSync(join(glueDir, 'RTE'), { recursive: true });
    writeFileSync(join(glueDir, 'RTE', 'test.tsv'), 'index\tsentence1\tsentence2\n');
    for (const out of [
      join(runDir, 'config.json'),
      join(runDir, 'stage1', 'metrics.jsonl'),
      join(runDir, 'stage1', 'checkpoints', 'best', 'model.safetensors'),
      join(runDir, 'stage1', 'checkpoints', 'best', 'new.tsv'),
      join(glueDir, 'RTE', 'test.tsv'),
    ]) {
      await expectRefused(dir, ['predict', runDir, '--out', out], '--out');
    }
    await expectRefused(dir, ['glue', 'submit', runDir, '--out', join(glueDir, 'RTE')], '--out');
    await expectRefused(
      dir,
      ['glue', 'submit', runDir, '--out', join(runDir, 'stage1', 'checkpoints')],
      '--out',
    );
  });

  it('mmtl train / ensemble never put the run folder around the experiment file or the data', async () => {
    const dir = tempDir('alias');
    const glueDir = join(dir, 'glue');
    mkdirSync(glueDir);
    writeFileSync(join(dir, 'exp.yaml'), `tasks: [RTE]\nglueDir: ${glueDir}\n`);
    await expectRefused(dir, ['train', join(dir, 'exp.yaml'), '--run-dir', dir], '--run-dir');
    await expectRefused(
      dir,
      ['train', join(dir, 'exp.yaml'), '--run-dir', join(glueDir, 'run')],
      '--run-dir',
    );
    await expectRefused(dir, ['ensemble', join(dir, 'exp.yaml'), '--run-dir', dir], '--run-dir');
  });

  it('mmtl glue ladder --out never appends to the GLUE data', async () => {
    const dir = tempDir('alias');
    mkdirSync(join(dir, 'glue', 'RTE'), { recursive: true });
    writeFileSync(join(dir, 'glue', 'RTE', 'dev.tsv'), 'index\tsentence1\n');
    await expectRefused(
      dir,
      ['glue', 'ladder', '--glue-dir', join(dir, 'glue'), '--out', join(dir, 'glue', 'RTE', 'dev.tsv')],
      '--out',
    );
  });
});

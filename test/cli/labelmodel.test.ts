import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { LabelMatrix, saveLabelMatrix } from '../../src/labeling/index.js';
import { LabelModel, readWrenchSplit } from '../../src/labelmodel/index.js';
import { captureIo } from '../helpers/cli-io.js';

const wrenchDir = join(import.meta.dirname, '..', 'fixtures', 'wrench-youtube-mini');

let dir: string;
let Ltrain: string;
let Ltest: string;
let gold: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmtl-cli-lm-'));
  const names = Array.from({ length: 10 }, (_, j) => `lf${j}`);
  const toMatrix = (s: Awaited<ReturnType<typeof readWrenchSplit>>): LabelMatrix =>
    new LabelMatrix({ n: s.L.n, m: s.L.m, data: Int8Array.from(s.L.data), names });
  const train = await readWrenchSplit(join(wrenchDir, 'train.json'));
  const test = await readWrenchSplit(join(wrenchDir, 'test.json'));
  Ltrain = join(dir, 'L_train.npy');
  Ltest = join(dir, 'L_test.npy');
  gold = join(dir, 'y_test.json');
  await saveLabelMatrix(Ltrain, toMatrix(train));
  await saveLabelMatrix(Ltest, toMatrix(test));
  await writeFile(gold, JSON.stringify([...test.Y]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mmtl labelmodel', () => {
  it('fit → predict → eval round trip', async () => {
    const model = join(dir, 'lm.json');
    const io = captureIo();
    expect(
      await runCli(
        [
          'labelmodel',
          'fit',
          '--L',
          Ltrain,
          '--k',
          '2',
          '--out',
          model,
          '--mode',
          'snorkel',
          '--epochs',
          '500',
          '--seed',
          '123',
        ],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({
      out: model,
      n: 200,
      m: 10,
      k: 2,
      classBalance: [0.5, 0.5],
    });
    const lm = await LabelModel.load(model);
    expect(lm.k).toBe(2);

    for (const ext of ['json', 'npy']) {
      const out = join(dir, `probs.${ext}`);
      const io2 = captureIo();
      expect(await runCli(['labelmodel', 'predict', '--model', model, '--L', Ltest, '--out', out], io2)).toBe(
        0,
      );
      if (ext === 'json') {
        const rows = JSON.parse(readFileSync(out, 'utf8')) as number[][];
        expect(rows).toHaveLength(100);
        expect(rows[0]![0]! + rows[0]![1]!).toBeCloseTo(1, 6);
      } else {
        const bytes = readFileSync(out);
        expect(bytes.subarray(1, 6).toString('latin1')).toBe('NUMPY');
        expect(bytes.toString('latin1', 10, 80)).toMatch(/'shape': \(100, 2\)/);
      }
    }

    const io3 = captureIo();
    expect(await runCli(['labelmodel', 'eval', '--model', model, '--L', Ltest, '--gold', gold], io3)).toBe(0);
    const scores = JSON.parse(io3.stdout) as Record<string, number>;
    expect(Object.keys(scores).sort()).toEqual(['accuracy', 'coverage', 'f1', 'macro_f1']);
    expect(scores.accuracy).toBeGreaterThan(0.7);
    // --seed does not change how a saved model's ties are broken
    for (const seed of ['1', '7']) {
      const io4 = captureIo();
      await runCli(
        ['labelmodel', 'eval', '--model', model, '--L', Ltest, '--gold', gold, '--seed', seed],
        io4,
      );
      expect(JSON.parse(io4.stdout)).toEqual(scores);
    }
  });

  it('fit --dev-L/--dev-gold picks the labeler on dev and saves it', async () => {
    const valid = await readWrenchSplit(join(wrenchDir, 'valid.json'));
    const Lvalid = join(dir, 'L_valid.npy');
    const yValid = join(dir, 'y_valid.json');
    await saveLabelMatrix(
      Lvalid,
      new LabelMatrix({
        n: valid.L.n,
        m: 10,
        data: Int8Array.from(valid.L.data),
        names: Array.from({ length: 10 }, (_, j) => `lf${j}`),
      }),
    );
    await writeFile(yValid, JSON.stringify([...valid.Y]));
    const model = join(dir, 'lm-dev.json');
    const io = captureIo();
    const args = [
      'labelmodel',
      'fit',
      '--L',
      Ltrain,
      '--k',
      '2',
      '--out',
      model,
      '--dev-L',
      Lvalid,
      '--dev-gold',
      yValid,
    ];
    expect(await runCli(args, io)).toBe(0);
    const out = JSON.parse(io.stdout) as { choice: string; dev: { name: string; dev: number }[] };
    expect(out.choice).toMatch(/^(majority|lm:)/);
    expect(out.dev[0]!.name).toBe('majority');
    expect((await LabelModel.load(model)).k).toBe(2);
    const io2 = captureIo();
    expect(
      await runCli(['labelmodel', 'fit', '--L', Ltrain, '--k', '2', '--out', model, '--dev-L', Lvalid], io2),
    ).toBe(2);
    expect(io2.stderr).toMatch(/--dev-gold/);
  });

  it('eval --wrench prints one JSON line with majority and label-model scores', async () => {
    const io = captureIo();
    expect(await runCli(['labelmodel', 'eval', '--wrench', wrenchDir, '--seed', '123'], io)).toBe(0);
    const lines = io.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as {
      dataset: string;
      majority: Record<string, number>;
      label_model: Record<string, number>;
    };
    expect(r.dataset).toBe('wrench-youtube-mini');
    expect(Object.keys(r.majority).sort()).toEqual(['accuracy', 'f1', 'fit_s', 'macro_f1']);
    expect(Object.keys(r.label_model).sort()).toEqual([
      'accuracy',
      'class_balance',
      'f1',
      'fit_s',
      'macro_f1',
    ]);
    expect(r.label_model.accuracy).toBeGreaterThan(0.7);
    // the fixture's valid split is labeled: dev_tuned is there, with its choice
    expect((r as unknown as { dev_tuned: { choice: string } }).dev_tuned.choice).toMatch(/^(majority|lm:)/);
  });

  it('reports bad input with an error code and exit status', async () => {
    const io = captureIo();
    const bad = join(dir, 'probs.txt');
    expect(
      await runCli(
        ['labelmodel', 'predict', '--model', join(dir, 'missing.json'), '--L', Ltest, '--out', bad],
        io,
      ),
    ).toBe(3);
    expect(io.stderr).toMatch(/E_IO/);
    const io2 = captureIo();
    expect(
      await runCli(
        [
          'labelmodel',
          'fit',
          '--L',
          Ltrain,
          '--k',
          '2',
          '--out',
          join(dir, 'x.json'),
          '--class-balance',
          '0.9,0.3',
        ],
        io2,
      ),
    ).toBe(2);
    expect(io2.stderr).toMatch(/E_ARG.*classBalance/);
    const io3 = captureIo();
    expect(await runCli(['labelmodel', 'eval', '--model', join(dir, 'lm.json')], io3)).toBe(2);
    expect(io3.stderr).toMatch(/needs --model, --L and --gold/);
  });
});

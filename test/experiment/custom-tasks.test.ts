import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMmtlError } from '../../src/core/index.js';
import {
  buildExperiment,
  evaluateFile,
  loadExperiment,
  parseExperiment,
  predictFile,
  runExperiment,
  type ExperimentOptions,
} from '../../src/experiment/index.js';
import { Trainer } from '../../src/training/index.js';
import { ownExperimentYaml, writeOwnData, type OwnData } from './fixtures.js';

const tiny = { kind: 'bilstm', embeddings: 'random', hiddenSize: 8, headHidden: 0 } as const;

let data: OwnData;
beforeAll(() => {
  data = writeOwnData(mkdtempSync(join(tmpdir(), 'mmtl-own-')), {
    train: 120,
    valid: 40,
    test: 30,
    new: 10,
    unlabeled: 60,
  });
});

async function expectCode(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isMmtlError(e, code as never), String(e)).toBe(true);
  expect((e as Error).message).toMatch(pattern);
}

function write(name: string, text: string): string {
  const p = join(data.dir, name);
  writeFileSync(p, text);
  return p;
}

describe('experiment files with tasks of your own', () => {
  it('resolve data paths against the experiment file and check task names', async () => {
    writeFileSync(join(data.dir, 'exp.yaml'), ownExperimentYaml());
    const cfg = await loadExperiment(join(data.dir, 'exp.yaml'));
    const topic = cfg.tasks[0] as Extract<(typeof cfg.tasks)[number], object>;
    expect(topic.data.train).toBe(data.text.train);
    expect(topic.label).toMatchObject({
      field: 'label',
      type: 'class',
      classes: ['sports', 'weather', 'finance'],
    });
    expect(() => parseExperiment({ tasks: ['RTE', 'NOPE'] })).toThrow(
      /tasks\[1\] is 'NOPE', which is not a GLUE task/,
    );
    expect(() =>
      parseExperiment({
        tasks: [
          { name: 'a', data: { train: 'x.csv' }, input: 'text' },
          { name: 'a', data: { train: 'y.csv' }, input: 'text' },
        ],
      }),
    ).toThrow(/task 'a' is listed twice/);
    expect(() =>
      parseExperiment({
        tasks: [{ name: 'a', data: { train: 'x.csv' }, input: 'text' }],
        weak: { task: 'b', data: 'u.csv', lfs: 'lfs.ts' },
      }),
    ).toThrow(/weak.task is 'b'; expected one of your own tasks \(a\)/);
  });

  it('build a text task on the shared encoder and a tabular task with an MLP over standardized columns', async () => {
    writeFileSync(join(data.dir, 'exp.yaml'), ownExperimentYaml());
    const built = await buildExperiment(await loadExperiment(join(data.dir, 'exp.yaml')));
    try {
      expect(built.model.taskNames()).toEqual(['topic', 'churn']);
      const topic = built.model.task('topic');
      expect(topic).toMatchObject({
        type: 'classification',
        cardinality: 3,
        metrics: ['accuracy', 'f1_macro'],
      });
      expect(Object.keys(topic.modules)).toEqual(expect.arrayContaining(['embed', 'encoder', 'topic_head']));
      expect(Object.keys(built.model.task('churn').modules)).toEqual(['churn_mlp']);
      // classes inferred from the train labels, sorted
      expect(built.meta.churn!.classes).toEqual(['no', 'yes']);
      // standardization from the train split: the train features have mean 0 and sd 1
      const s = built.meta.churn!.standardizer!;
      expect(s.columns).toEqual(['age', 'income']);
      const train = built.custom.find((c) => c.loaded.cfg.name === 'churn')!.train;
      const x = (train.inputs.features as { values: Float32Array }).values;
      const n = x.length / 2;
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        mean += x[2 * i + 1]! / n;
        sq += x[2 * i + 1]! ** 2 / n;
      }
      expect(mean).toBeCloseTo(0, 5);
      expect(sq).toBeCloseTo(1, 4);
      expect(built.custom[0]!.train.rowIds[0]).toBe('train-0');
      expect(built.payloads.map((p) => `${p.dataset.name}/${p.split}`)).toEqual([
        'topic/train',
        'topic/valid',
        'churn/train',
        'churn/valid',
      ]);
      expect(built.tests.map((p) => p.dataset.name)).toEqual(['topic', 'churn']);
      const r = await new Trainer({ nEpochs: 1, tensorboard: false }).fit(built.model, built.payloads);
      expect(Object.keys(r.finalMetrics)).toEqual(
        expect.arrayContaining(['topic/topic/valid/f1_macro', 'churn/churn/valid/accuracy']),
      );
    } finally {
      built.model.dispose();
    }
  });

  it('take pairs, regression, multilabel, token and soft labels from JSONL/TSV files', async () => {
    const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
    const pairs = write(
      'pairs.tsv',
      `a\tb\tsame\n${Array.from({ length: 20 }, (_, i) => `w${i % 4} x\tw${i % 3} y\t${i % 4 === i % 3 ? 'yes' : 'no'}`).join('\n')}\n`,
    );
    const reg = write(
      'reg.jsonl',
      jsonl(Array.from({ length: 20 }, (_, i) => ({ t: `n${i % 5}`, y: (i % 5) / 2 }))),
    );
    const multi = write(
      'multi.jsonl',
      jsonl(
        Array.from({ length: 20 }, (_, i) => ({ t: `w${i % 3} v${i % 2}`, tags: i % 2 ? ['a', 'b'] : 'c' })),
      ),
    );
    const token = write(
      'token.jsonl',
      jsonl(Array.from({ length: 20 }, (_, i) => ({ t: `the cat ${i % 2 ? 'ran' : 'sat'}`, tags: 'D N V' }))),
    );
    const soft = write(
      'soft.csv',
      `text,p\n${Array.from({ length: 20 }, (_, i) => `w${i % 2},${i % 2 ? '0.2 0.8' : '0.9 0.1'}`).join('\n')}\n`,
    );
    const options: ExperimentOptions = {
      tasks: [
        { name: 'pairs', data: { train: pairs, valid: pairs }, input: ['a', 'b'], label: { field: 'same' } },
        {
          name: 'reg',
          data: { train: reg, valid: reg },
          input: 't',
          label: { field: 'y', type: 'regression' },
        },
        {
          name: 'multi',
          data: { train: multi, valid: multi },
          input: 't',
          label: { field: 'tags', type: 'multilabel', classes: ['a', 'b', 'c'] },
        },
        {
          name: 'tok',
          data: { train: token, valid: token },
          input: 't',
          label: { field: 'tags', type: 'token' },
        },
        {
          name: 'soft',
          data: { train: soft, valid: soft },
          input: 'text',
          label: { field: 'p', type: 'soft', classes: ['ham', 'spam'] },
        },
      ],
      encoder: tiny,
      batchSize: 8,
    };
    const built = await buildExperiment(parseExperiment(options));
    try {
      expect(built.model.taskNames().map((t) => built.model.task(t).type)).toEqual([
        'classification',
        'regression',
        'multilabel',
        'token',
        'classification',
      ]);
      expect(built.meta.tok!.classes).toEqual(['D', 'N', 'V']);
      expect(built.custom[2]!.train.labelSet('multi_gold')).toMatchObject({
        kind: 'multilabel',
        cardinality: 3,
      });
      expect(built.custom[4]!.train.labelSet('soft_gold').kind).toBe('soft');
      expect(built.custom[4]!.valid!.labelSet('soft_gold').kind).toBe('class'); // valid scores the argmax
      const r = await new Trainer({ nEpochs: 1, tensorboard: false }).fit(built.model, built.payloads);
      expect(Object.keys(r.finalMetrics)).toEqual(
        expect.arrayContaining([
          'pairs/pairs/valid/accuracy',
          'reg/reg/valid/pearson',
          'reg/reg/valid/mse',
          'multi/multi/valid/f1',
          'tok/tok/valid/accuracy',
          'soft/soft/valid/f1_macro',
        ]),
      );
    } finally {
      built.model.dispose();
    }
  });

  it('predict regression values, multilabel class lists and one tag per word', async () => {
    const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
    const reg = write(
      'reg2.jsonl',
      jsonl(Array.from({ length: 16 }, (_, i) => ({ t: `n${i % 4}`, y: i % 4 }))),
    );
    const multi = write(
      'multi2.jsonl',
      jsonl(Array.from({ length: 16 }, (_, i) => ({ t: `w${i % 3}`, tags: i % 2 ? 'a|b' : 'c' }))),
    );
    const token = write(
      'token2.jsonl',
      jsonl(Array.from({ length: 16 }, () => ({ t: 'the cat sat', tags: 'D N V' }))),
    );
    const runDir = join(data.dir, 'run-kinds');
    const r = await runExperiment(
      parseExperiment({
        tasks: [
          {
            name: 'reg',
            data: { train: reg, valid: reg },
            input: 't',
            label: { field: 'y', type: 'regression' },
          },
          {
            name: 'multi',
            data: { train: multi },
            input: 't',
            label: { field: 'tags', type: 'multilabel', separator: '|' },
          },
          { name: 'tok', data: { train: token }, input: 't', label: { field: 'tags', type: 'token' } },
        ],
        encoder: tiny,
        batchSize: 8,
        stage1: { nEpochs: 1, tensorboard: false },
        runDir,
      }),
    );
    r.model.dispose();
    const news = write('kinds-new.jsonl', jsonl([{ t: 'n1' }, { t: 'a dog ran far' }]));
    const regPreds = (await predictFile(runDir, news, { task: 'reg' })).lines;
    expect(regPreds).toHaveLength(2);
    expect(typeof regPreds[0]!.prediction).toBe('number');
    expect(regPreds[0]).not.toHaveProperty('probabilities');
    const multiPreds = (await predictFile(runDir, news, { task: 'multi' })).lines;
    expect(multiPreds[0]!.probabilities).toHaveLength(3);
    expect((multiPreds[0]!.prediction as string[]).every((c) => ['a', 'b', 'c'].includes(c))).toBe(true);
    const tokPreds = (await predictFile(runDir, news, { task: 'tok' })).lines;
    expect((tokPreds[1]!.prediction as string[]).length).toBe(4); // one tag per word
    expect((tokPreds[1]!.probabilities as number[][])[0]).toHaveLength(3);
  });

  it('fail on bad input with a coded error naming the file, line, field and the fix', async () => {
    const task = (over: Record<string, unknown>) =>
      parseExperiment({
        tasks: [{ name: 'topic', data: { train: data.text.train }, input: 'text', ...over }],
        encoder: tiny,
      });
    await expectCode(
      buildExperiment(task({ input: 'txt' })),
      'E_DATA',
      /train: '.*train\.csv' line 2 has no field 'txt' \(asked for by tasks\[0\]\.input\); the columns are id, text, label/,
    );
    await expectCode(
      buildExperiment(task({ label: { classes: ['sports', 'weather'] } })),
      'E_DATA',
      /train\.csv' line \d+, field 'label': label 'finance' is not one of the classes \(sports, weather\).*add 'finance' to tasks\[0\]\.label\.classes/,
    );
    const bad = write('tab-bad.csv', 'age,income,churn\n30,50000,no\n41,lots,yes\n');
    await expectCode(
      buildExperiment(
        parseExperiment({
          tasks: [
            {
              name: 'churn',
              data: { train: bad },
              input: { numeric: ['age', 'income'] },
              label: { field: 'churn' },
            },
          ],
        }),
      ),
      'E_DATA',
      /tab-bad\.csv' line 3, field 'income': "lots" is not a number; tasks\[0\]\.input\.numeric takes numeric columns only/,
    );
    const empty = write('empty.csv', 'id,text,label\n');
    await expectCode(
      buildExperiment(task({ data: { train: data.text.train, valid: empty } })),
      'E_DATA',
      /task 'topic' valid: '.*empty\.csv' has no rows \(an empty split\)/,
    );
    await expectCode(
      buildExperiment(task({ data: { train: join(data.dir, 'nope.csv') } })),
      'E_IO',
      /no such file/,
    );
  });

  it('refuse an existing run folder, and leave it as it was when a run with --overwrite fails on bad input', async () => {
    const runDir = join(data.dir, 'run-refuse');
    const cfg = (train: string) =>
      parseExperiment({
        tasks: [
          {
            name: 'churn',
            data: { train, valid: data.tabular.valid },
            input: { numeric: ['age', 'income'] },
            label: { field: 'churn' },
          },
        ],
        stage1: { nEpochs: 1, tensorboard: false },
        runDir,
      });
    const first = await runExperiment(cfg(data.tabular.train));
    first.model.dispose();
    const results = readFileSync(join(runDir, 'results.json'), 'utf8');
    await expectCode(
      runExperiment(cfg(data.tabular.train)),
      'E_ARG',
      /already exists.*--overwrite.*--resume/,
    );
    const bad = write('tab-bad2.csv', 'age,income,churn\n30,1000,no\n40,,yes\n');
    await expectCode(runExperiment(cfg(bad), { overwrite: true }), 'E_DATA', /the value is empty/);
    expect(readFileSync(join(runDir, 'results.json'), 'utf8')).toBe(results);
    const again = await runExperiment(cfg(data.tabular.train), { overwrite: true });
    again.model.dispose();
    expect(again.runDir).toBe(runDir);
  });

  it('predict new rows and score labelled files with the run’s classes and standardization', async () => {
    const runDir = join(data.dir, 'run-predict');
    writeFileSync(
      join(data.dir, 'exp.yaml'),
      ownExperimentYaml(['stage1: { nEpochs: 3, tensorboard: false }', `runDir: ${runDir}`]),
    );
    const r = await runExperiment(await loadExperiment(join(data.dir, 'exp.yaml')));
    r.model.dispose();
    const { task, lines } = await predictFile(runDir, data.text.new, { task: 'topic' });
    expect(task).toBe('topic');
    expect(lines).toHaveLength(10);
    expect(lines.map((l) => l.id)).toEqual(Array.from({ length: 10 }, (_, i) => `new-${i}`));
    for (const l of lines) {
      expect(['sports', 'weather', 'finance']).toContain(l.prediction);
      const p = l.probabilities as number[];
      expect(p).toHaveLength(3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(l.prediction).toBe(['sports', 'weather', 'finance'][p.indexOf(Math.max(...p))]);
    }
    // predicting the labelled valid file (labels ignored) agrees with the run's own valid accuracy
    const valid = await predictFile(runDir, data.tabular.valid, { task: 'churn' });
    const gold = readFileSync(data.tabular.valid, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[2]);
    const acc = valid.lines.filter((l, i) => l.prediction === gold[i]).length / gold.length;
    expect(valid.lines[0]).not.toHaveProperty('id');
    expect(acc).toBeCloseTo(r.tasks.churn!.stage1, 6);
    const scores = await evaluateFile(runDir, data.tabular.valid, { task: 'churn' });
    expect(scores['churn/churn/eval/accuracy']).toBeCloseTo(acc, 6);
    await expectCode(
      predictFile(runDir, data.text.new, { task: 'nope' }),
      'E_ARG',
      /the run's tasks are topic, churn/,
    );
    await expectCode(
      predictFile(runDir, data.text.new, { task: 'churn' }),
      'E_DATA',
      /new\.csv' line 2 has no field 'age'.*the columns are id, text/,
    );
  });
});

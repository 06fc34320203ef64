// Small "own data" files written by the tests themselves: a CSV text task (topic of a sentence), a CSV tabular
// task (churn from age and income), unlabeled rows for labeling functions, and new rows to predict.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/index.js';

/** Topic words per class (the classes are listed in this order in the experiments). */
export const TOPICS = {
  sports: ['goal', 'match', 'team', 'coach', 'score', 'league'],
  weather: ['rain', 'sunny', 'storm', 'cloud', 'wind', 'snow'],
  finance: ['stock', 'market', 'bank', 'price', 'profit', 'loan'],
} as const;
const FILLER = ['the', 'a', 'today', 'we', 'saw', 'big', 'new', 'very', 'and', 'after'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.float() * xs.length)]!;
}

function csvLine(values: readonly (string | number)[]): string {
  return values
    .map((v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v)))
    .join(',');
}

/** A sentence about `topic`: two of its words among filler words. */
function sentence(rng: Rng, topic: keyof typeof TOPICS): string {
  const words = [
    pick(rng, TOPICS[topic]),
    pick(rng, TOPICS[topic]),
    ...Array.from({ length: 4 }, () => pick(rng, FILLER)),
  ];
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(rng.float() * (i + 1));
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  return words.join(' ');
}

/** What {@link writeOwnData} wrote, by name. */
export interface OwnData {
  dir: string;
  /** Text task: `id,text,label` (train/valid/test), `id,text` (new), `id,text` (unlabeled). */
  text: { train: string; valid: string; test: string; new: string; unlabeled: string };
  /** Tabular task: `age,income,churn` (train/valid/test), `age,income` (new). */
  tabular: { train: string; valid: string; test: string; new: string };
}

/**
 * Writes the files into `dir` (seeded: the same files every time). Churn is "yes" when
 * (age − 50)/15 + (60000 − income)/30000 plus a little noise is positive.
 */
export function writeOwnData(
  dir: string,
  sizes = { train: 240, valid: 60, test: 60, new: 25, unlabeled: 200 },
  seed = 7,
): OwnData {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const topics = Object.keys(TOPICS) as (keyof typeof TOPICS)[];
  const path = (f: string) => join(dir, f);
  const text = (split: string, n: number, labelled: boolean) => {
    const lines = [labelled ? 'id,text,label' : 'id,text'];
    for (let i = 0; i < n; i++) {
      const t = pick(rng, topics);
      lines.push(
        csvLine(labelled ? [`${split}-${i}`, sentence(rng, t), t] : [`${split}-${i}`, sentence(rng, t)]),
      );
    }
    writeFileSync(path(`${split}.csv`), `${lines.join('\n')}\n`);
    return path(`${split}.csv`);
  };
  const tab = (split: string, n: number, labelled: boolean) => {
    const lines = [labelled ? 'age,income,churn' : 'age,income'];
    for (let i = 0; i < n; i++) {
      const age = Math.round((18 + 62 * rng.float()) * 10) / 10;
      const income = Math.round(10000 + 110000 * rng.float());
      const churn = (age - 50) / 15 + (60000 - income) / 30000 + 0.3 * (rng.float() - 0.5) > 0 ? 'yes' : 'no';
      lines.push(csvLine(labelled ? [age, income, churn] : [age, income]));
    }
    writeFileSync(path(`tab-${split}.csv`), `${lines.join('\n')}\n`);
    return path(`tab-${split}.csv`);
  };
  return {
    dir,
    text: {
      train: text('train', sizes.train, true),
      valid: text('valid', sizes.valid, true),
      test: text('test', sizes.test, true),
      new: text('new', sizes.new, false),
      unlabeled: text('unlabeled', sizes.unlabeled, false),
    },
    tabular: {
      train: tab('train', sizes.train, true),
      valid: tab('valid', sizes.valid, true),
      test: tab('test', sizes.test, true),
      new: tab('new', sizes.new, false),
    },
  };
}

/** An experiment file (YAML) with the text task `topic` and the tabular task `churn`, relative paths. */
export function ownExperimentYaml(extra: readonly string[] = []): string {
  return [
    'name: own',
    'tasks:',
    '  - name: topic',
    '    data: { train: train.csv, valid: valid.csv, test: test.csv }',
    '    input: text',
    '    label: { field: label, type: class, classes: [sports, weather, finance] }',
    '    id: id',
    '  - name: churn',
    '    data: { train: tab-train.csv, valid: tab-valid.csv, test: tab-test.csv }',
    '    input: { numeric: [age, income] }',
    '    label: { field: churn }',
    'encoder: { kind: bilstm, embeddings: random, hiddenSize: 16, headHidden: 16 }',
    'tabular: { hidden: [16] }',
    'maxLength: 16',
    ...extra,
  ].join('\n');
}

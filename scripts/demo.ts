// `npm run demo`: the spam tutorial, the mmtl way (see examples/spam/pipeline.ts). No network, no download.
//   npm run demo -- [end model: bilstm+ngrams (default) | ngrams | bilstm] [--seed N]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runSpamDemo } from '../examples/spam/pipeline.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string', default: '0' } },
});
const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got '${values.seed}'`);

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'runs', `spam-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const r = await runSpamDemo({
  dataDir: join(root, 'data'),
  outDir,
  endModel: positionals[0],
  seed,
  log: (line) => console.log(line),
});
console.log('\nLF summary (valid split):');
console.table(
  r.lfSummary.map((s) => ({
    lf: s.lf,
    polarity: s.polarity.join(','),
    coverage: pct(s.coverage),
    overlaps: pct(s.overlaps),
    conflicts: pct(s.conflicts),
    accuracy: s.empAcc === undefined || s.empAcc === null ? '-' : pct(s.empAcc),
  })),
);
console.log('\nTest set (250 comments)          accuracy   F1');
console.log(
  `majority vote                    ${pct(r.test.majorityVote.accuracy).padStart(8)}  ${pct(r.test.majorityVote.f1).padStart(6)}   (Snorkel tutorial: 84.0%)`,
);
console.log(
  `label model                      ${pct(r.test.labelModel.accuracy).padStart(8)}  ${pct(r.test.labelModel.f1).padStart(6)}   (Snorkel tutorial: 86.0%)`,
);
console.log(
  `end model on label-model labels ${pct(r.test.classifier.accuracy).padStart(8)}  ${pct(r.test.classifier.f1).padStart(6)}   (Snorkel tutorial LR: 94.4%)`,
);
console.log(
  `  (end model ${r.endModel.name}, seed ${seed}; its checkpoint chosen on the 120 valid comments)`,
);
for (const [name, s] of Object.entries(r.test.slices)) {
  console.log(
    `  slice ${name.padEnd(26)} ${pct(s.accuracy).padStart(8)}  ${pct(s.f1).padStart(6)}   (${s.size} comments)`,
  );
}
console.log(
  `\n${r.seconds.toFixed(0)} s; results in ${join(outDir, 'results.json')}\nreport: ${r.report ?? '(none)'}`,
);

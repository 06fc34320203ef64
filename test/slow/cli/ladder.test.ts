import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import { captureIo as capture } from '../../helpers/cli-io.js';

interface Row {
  bench: string;
  rung: string;
  values: number[];
  mean: number | null;
  note?: string;
}

describe('mmtl glue ladder', () => {
  it('climbs every rung on a tiny budget (slice-based learning; the SST-2 weak rung on train rows past the labeled cap)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmtl-ladder-'));
    const io = capture();
    const code = await runCli(
      [
        'glue',
        'ladder',
        '--task',
        'SST-2',
        '--other-tasks',
        'CoLA',
        '--seeds',
        '0',
        '--epochs',
        '1',
        '--max-train-rows',
        '80',
        '--aux-max-rows',
        '40',
        '--weak-max-rows',
        '200',
        '--max-length',
        '16',
        '--hidden',
        '8',
        '--slice-method',
        'attention',
        '--run-dir',
        join(dir, 'runs'),
        '--out',
        join(dir, 'results.md'),
      ],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const rows = io.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Row);
    expect(rows.map((r) => r.rung)).toEqual([
      'single-task BiLSTM, random embeddings',
      '+ GloVe (transfer)',
      '+ attention',
      '+ multi-task with the other tasks',
      '+ per-task fine-tuning (two-stage)',
      '+ slice-based learning (attention)',
      '+ weakly labeled extra data (labeling functions)',
      '+ auxiliary POS token task',
      '+ ensemble of the seeds’ models (mean probabilities)',
    ]);
    for (const r of rows) {
      expect(r.values).toHaveLength(1);
      expect(r.values[0]).toBeGreaterThan(0.3);
      expect(r.values[0]).toBeLessThanOrEqual(1);
    }
    const weak = rows[6]!;
    expect(weak.note).toBe(
      'SST-2 train rows past the labeled ones (≤ 200, labels unused), sentiment LFs, label model',
    );
    const results = JSON.parse(readFileSync(join(dir, 'runs', 'rung7-seed0', 'results.json'), 'utf8')) as {
      weak: { lfs: string; rows: number };
    };
    expect(results.weak).toMatchObject({ lfs: 'sentiment', rows: 200 });
    expect(readFileSync(join(dir, 'results.md'), 'utf8')).toContain('### SST-2 (bilstm)');
  });
});

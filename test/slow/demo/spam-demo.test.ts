// The demo pipeline (`npm run demo`) on a subset, so it cannot silently rot.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSpamDemo } from '../../../examples/spam/pipeline.js';

describe('spam demo pipeline', () => {
  it('runs end to end on a subset and writes its results', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'mmtl-demo-'));
    const lines: string[] = [];
    const r = await runSpamDemo({
      dataDir: 'data',
      outDir,
      epochs: 5,
      maxTrain: 800,
      log: (l) => lines.push(l),
    });
    expect(r.lfSummary.map((s) => s.lf)).toContain('regex_check_out');
    expect(r.endModel.name).toBe('bilstm+ngrams'); // the demo's default: BiLSTM ⊕ bag of n-grams
    expect(r.endModel.summary).toMatch(/BiLSTM .* ⊕ bag of \d+ n-grams → 32 \(sqrtn\) → heads/);
    expect(r.test.majorityVote.accuracy).toBeGreaterThan(0.8);
    expect(r.test.labelModel.accuracy).toBeGreaterThan(0.8);
    expect(r.test.classifier.accuracy).toBeGreaterThan(0.7);
    expect(Object.keys(r.test.slices)).toEqual(['short', 'has_link']);
    expect(existsSync(join(outDir, 'results.json'))).toBe(true);
    expect(r.report).toBe(join(outDir, 'report.html'));
    expect(existsSync(r.report!)).toBe(true);
    expect(lines.some((l) => l.startsWith('classifier test accuracy'))).toBe(true);
  });

  it('trains the n-gram-only end model on the same labels', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'mmtl-demo-'));
    const r = await runSpamDemo({ dataDir: 'data', outDir, endModel: 'ngrams', epochs: 3, maxTrain: 800 });
    expect(r.endModel.summary).toMatch(/^bag of \d+ n-grams → 32 \(sqrtn\) → heads$/);
    expect(r.test.classifier.accuracy).toBeGreaterThan(0.7);
    const saved = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as {
      endModel: { name: string };
    };
    expect(saved.endModel.name).toBe('ngrams');
  });
});

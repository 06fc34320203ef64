// The demo pipeline (`npm run demo`) on a subset, so it cannot silently rot.
import { existsSync, mkdtempSync } from 'node:fs';
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
    expect(r.test.majorityVote.accuracy).toBeGreaterThan(0.8);
    expect(r.test.labelModel.accuracy).toBeGreaterThan(0.8);
    expect(r.test.classifier.accuracy).toBeGreaterThan(0.7);
    expect(Object.keys(r.test.slices)).toEqual(['short', 'has_link']);
    expect(existsSync(join(outDir, 'results.json'))).toBe(true);
    expect(r.report).toBe(join(outDir, 'report.html'));
    expect(existsSync(r.report!)).toBe(true);
    expect(lines.some((l) => l.startsWith('classifier test accuracy'))).toBe(true);
  });
});

// Enforces the layering of ../shared/DESIGN.md: imports point down only; peers on one layer do not import
// each other unless listed; the weak-supervision half never reaches the tensor engine.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Layer rank of each top-level folder of src/ (higher may import lower). */
const RANK: Record<string, number> = {
  core: 0,
  tensor: 1,
  metrics: 2,
  labeling: 3,
  labelmodel: 4,
  nn: 5,
  data: 5,
  tasks: 6,
  training: 7,
  slicing: 8,
  report: 9,
  glue: 9,
  ensemble: 9,
  experiment: 10,
  cli: 11,
};
/** Folders that must not import these folders even though they are lower. */
const FORBIDDEN: Record<string, string[]> = {
  labeling: ['tensor'],
  labelmodel: ['tensor'],
  metrics: ['tensor'],
};

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? listTs(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function folderOf(file: string): string {
  const rel = relative(srcDir, file).split(/[\\/]/);
  return rel.length === 1 ? '' : rel[0]!;
}

const importRe = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('layering', () => {
  const files = listTs(srcDir);
  it('knows every folder of src/', () => {
    const folders = new Set(files.map(folderOf).filter((f) => f !== ''));
    for (const f of folders) expect(RANK, `src/${f} has no layer in test/layers.test.ts`).toHaveProperty(f);
  });
  it('imports point down only', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      if (from === '') continue; // src/index.ts is the public barrel
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2]!;
        if (!spec.startsWith('.')) continue;
        const to = folderOf(resolve(dirname(file), spec));
        if (to === from) continue;
        const bad =
          to === '' ||
          RANK[to] === undefined ||
          RANK[to] >= RANK[from]! ||
          (FORBIDDEN[from] ?? []).includes(to);
        if (bad) violations.push(`${relative(srcDir, file)} imports ${spec} (${from} → ${to || 'src root'})`);
      }
    }
    expect(violations).toEqual([]);
  });
});

// Helpers of the PyTorch parity tests: read reference tensors and measure max abs differences.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSafetensors, type Tensor } from '../../src/tensor/index.js';

/** test/fixtures. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Loads a reference file; `get(name)` fails loudly on a missing key. */
export async function loadReference(
  path: string,
): Promise<{ get: (name: string) => Tensor; names: string[] }> {
  const map = await loadSafetensors(path);
  return {
    names: [...map.keys()],
    get(name: string): Tensor {
      const t = map.get(name);
      if (!t) throw new Error(`reference ${path} has no '${name}'`);
      return t;
    },
  };
}

/** max |a − b| over all elements (shapes must match). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`shape mismatch [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`);
  }
  const x = a.to('float64').data<'float64'>();
  const y = b.to('float64').data<'float64'>();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

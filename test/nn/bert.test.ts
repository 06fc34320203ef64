// BERT parity with a PyTorch reference (scripts/fixtures/make_bert_fixture.py): outputs, gradients, one Adam step.
import { mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BertModel, bertConfigFromHf, moduleFromConfig, normalizeBertKey } from '../../src/nn/index.js';
import {
  crossEntropy,
  linear,
  loadSafetensors,
  Optimizer,
  saveSafetensors,
  tidy,
  type Tensor,
} from '../../src/tensor/index.js';
import { FIXTURES, loadReference, maxAbsDiff } from './parity-helpers.js';

const DIR = join(FIXTURES, 'bert-tiny-random');
const TOL = 1e-4;
let ref: Awaited<ReturnType<typeof loadReference>>;
let bert: BertModel;
const tmp = mkdtempSync(join(tmpdir(), 'mmtl-bert-'));

beforeAll(async () => {
  ref = await loadReference(join(DIR, 'reference.safetensors'));
  bert = await BertModel.fromPretrained(DIR);
  bert.eval();
});
afterAll(() => {
  bert.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

function inputs(): { inputIds: Tensor; attentionMask: Tensor; tokenTypeIds: Tensor } {
  return {
    inputIds: ref.get('input.ids'),
    attentionMask: ref.get('input.mask'),
    tokenTypeIds: ref.get('input.token_type_ids'),
  };
}

function loss(model: BertModel): Tensor {
  const { sequenceOutput, pooledOutput } = model.forward(inputs());
  const pooled = pooledOutput!; // [B, H]
  const logits = linear(pooled, ref.get('head.weight'), ref.get('head.bias')); // [B, 3]
  return pooled
    .mul(ref.get('head.v'))
    .sum()
    .add(crossEntropy(logits, ref.get('head.labels')))
    .add(sequenceOutput.mul(ref.get('head.u')).sum().mul(0.1));
}

describe('BertModel (HF-compatible)', () => {
  it('reads the HF config and parameter names', () => {
    expect(bert.config).toMatchObject({
      vocabSize: 100,
      hiddenSize: 32,
      numLayers: 2,
      numHeads: 4,
      intermediateSize: 64,
    });
    const names = [...bert.namedParameters().keys()];
    expect(names).toContain('encoder.layer.1.attention.self.query.weight');
    expect(names).toContain('encoder.layer.0.attention.output.LayerNorm.bias');
    expect(names).toContain('embeddings.token_type_embeddings.weight');
    expect(names).toContain('pooler.dense.weight');
    expect(names.filter((n) => !ref.names.includes(`grad.${n}`))).toEqual([]);
    expect(names).toHaveLength(ref.names.filter((n) => n.startsWith('grad.')).length);
  });

  it('matches PyTorch outputs to 1e-4', () => {
    const d = tidy(() => {
      const out = bert.forward(inputs());
      return {
        seq: maxAbsDiff(out.sequenceOutput, ref.get('out.sequence')),
        pooled: maxAbsDiff(out.pooledOutput!, ref.get('out.pooled')),
      };
    });
    expect(d.seq).toBeLessThan(TOL);
    expect(d.pooled).toBeLessThan(TOL);
  });

  it('matches PyTorch gradients to 1e-4 and one Adam step', async () => {
    const model = await BertModel.fromPretrained(DIR);
    model.eval();
    const opt = new Optimizer('adam', model.parameters(), { lr: 1e-3 });
    const l = tidy(() => {
      const value = loss(model);
      value.backward();
      return value.item();
    });
    expect(Math.abs(l - ref.get('loss').item())).toBeLessThan(TOL);
    let worstGrad = 0;
    for (const [name, p] of model.namedParameters()) {
      const g = p.grad!;
      worstGrad = Math.max(worstGrad, maxAbsDiff(g, ref.get(`grad.${name}`)));
      g.dispose();
    }
    expect(worstGrad).toBeLessThan(TOL);
    opt.step();
    // Adam's first update is −lr·g/(|g| + ε): where PyTorch's gradient is ~0 (rows no token used) it is
    // float noise divided by float noise, so those entries are left out of the comparison.
    let worstParam = 0;
    for (const [name, p] of model.namedParameters()) {
      const gRef = ref.get(`grad.${name}`).abs().to('float64').data<'float64'>();
      const a = p.to('float64').data<'float64'>();
      const b = ref.get(`adam.${name}`).to('float64').data<'float64'>();
      for (let i = 0; i < a.length; i++)
        if (gRef[i]! > 1e-6) worstParam = Math.max(worstParam, Math.abs(a[i]! - b[i]!));
    }
    expect(worstParam).toBeLessThan(TOL);
    opt.dispose();
    model.dispose();
  });

  it('loads "bert."-prefixed, half-precision checkpoints and ignores head weights', async () => {
    const dir = join(tmp, 'prefixed');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    copyFileSync(join(DIR, 'config.json'), join(dir, 'config.json'));
    const state = await loadSafetensors(join(DIR, 'model.safetensors'));
    const renamed = new Map<string, Tensor>();
    for (const [k, t] of state) renamed.set(`bert.${k}`, t.to('float16'));
    renamed.set('classifier.weight', state.get('pooler.dense.weight')!);
    await saveSafetensors(join(dir, 'model.safetensors'), renamed);
    const half = await BertModel.fromPretrained(dir);
    expect(half.parameters().every((p) => p.dtype === 'float32')).toBe(true);
    const d = tidy(() => maxAbsDiff(half.eval().forward(inputs()).pooledOutput!, ref.get('out.pooled')));
    expect(d).toBeLessThan(5e-2);
    half.dispose();
    for (const t of [...state.values(), ...renamed.values()]) t.dispose();
  });

  it('round-trips its config and normalizes old key names', () => {
    const copy = moduleFromConfig(bert.toConfig());
    expect(copy).toBeInstanceOf(BertModel);
    expect([...copy.namedParameters().keys()]).toEqual([...bert.namedParameters().keys()]);
    copy.dispose();
    expect(normalizeBertKey('bert.embeddings.LayerNorm.gamma')).toBe('embeddings.LayerNorm.weight');
    expect(() => bertConfigFromHf({ hidden_size: 30, num_attention_heads: 4 })).toThrow(/not a multiple/);
  });
});

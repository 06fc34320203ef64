/**
 * BertModel: BERT compatible with Hugging Face checkpoints (config.json + model.safetensors, HF parameter
 * names, with or without the `bert.` prefix). Parity with a PyTorch reference: test/nn/bert.test.ts.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { loadSafetensors, noGrad, type DType, type Tensor } from '../tensor/index.js';
import { BertConfigSchema, readBertConfig, type BertConfig } from './bert-config.js';
import { BertEmbeddings } from './bert-embeddings.js';
import { Embedding } from './embedding.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { extendedAttentionMask } from './masks.js';
import { MODULES, parseConfig, type ModuleConfig } from './module-config.js';
import { Module } from './module.js';
import { Pooler } from './pooler.js';
import { TransformerEncoder } from './transformer-encoder.js';

/** Inputs of {@link BertModel.forward}. */
export interface BertInputs {
  /** Token ids, int64 [B, T]. */
  inputIds: Tensor;
  /** 1 for tokens, 0 for padding [B, T] (any numeric dtype); all ones when omitted. */
  attentionMask?: Tensor | null;
  /** Segment ids, int64 [B, T]; zeros when omitted. */
  tokenTypeIds?: Tensor | null;
}

/** Outputs of {@link BertModel.forward}. */
export interface BertOutputs {
  /** Last layer's hidden states [B, T, H]. */
  sequenceOutput: Tensor;
  /** `tanh(dense(h[:, 0]))` [B, H] (the [CLS] vector); null when the model has no pooler. */
  pooledOutput: Tensor | null;
}

/** Options of {@link BertModel}. */
export interface BertModelOptions {
  /** Build the pooler (default true). */
  addPooler?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /**
   * Receives warnings of {@link BertModel.fromPretrained} (e.g. a checkpoint without pooler weights, whose
   * pooler then keeps its fresh random initialization). The library never prints: pass
   * `(w) => console.warn(w)` to see them.
   */
  onWarning?: (message: string) => void;
}

async function isFile(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  return st?.isFile() ?? false;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The one-line command that converts a Hugging Face `pytorch_model.bin` (a torch pickle) in `dir` into the
 * `model.safetensors` that {@link BertModel.fromPretrained} reads. It needs only PyTorch (no `safetensors`
 * package): it writes the safetensors layout (8-byte header length, JSON header, raw little-endian bytes)
 * by hand, tensors in name order.
 *
 * @example
 * ```ts
 * pytorchBinConversionCommand('models/bert'); // "python3 -c \"import torch,json,struct,itertools,sys; …\" models/bert"
 * ```
 */
export function pytorchBinConversionCommand(dir: string): string {
  const py = [
    'import torch,json,struct,itertools,sys',
    'd=sys.argv[1]',
    "sd={k:v.detach().contiguous() for k,v in torch.load(d+'/pytorch_model.bin',map_location='cpu').items() if torch.is_tensor(v)}",
    'ks=sorted(sd)',
    "T={torch.float32:'F32',torch.float16:'F16',torch.bfloat16:'BF16',torch.float64:'F64',torch.int64:'I64',torch.int32:'I32',torch.int16:'I16',torch.int8:'I8',torch.uint8:'U8',torch.bool:'BOOL'}",
    'bs=[sd[k].reshape(-1).view(torch.uint8).numpy().tobytes() for k in ks]',
    'e=[0,*itertools.accumulate(map(len,bs))]',
    "h=json.dumps({k:{'dtype':T[sd[k].dtype],'shape':list(sd[k].shape),'data_offsets':[e[i],e[i+1]]} for i,k in enumerate(ks)}).encode()",
    "h+=b' '*(-len(h)%8)",
    "open(d+'/model.safetensors','wb').write(struct.pack('<Q',len(h))+h+b''.join(bs))",
  ].join(';');
  return `python3 -c "${py}" ${shellQuote(dir)}`;
}

/**
 * Normalizes checkpoint keys to BertModel's: drops a leading `bert.`, renames old `gamma`/`beta` to
 * `weight`/`bias`.
 *
 * @example
 * ```ts
 * normalizeBertKey('bert.encoder.layer.0.output.LayerNorm.gamma'); // 'encoder.layer.0.output.LayerNorm.weight'
 * ```
 */
export function normalizeBertKey(key: string): string {
  return key
    .replace(/^bert\./, '')
    .replace(/\.gamma$/, '.weight')
    .replace(/\.beta$/, '.bias');
}

/**
 * BERT: embeddings → `numLayers` post-LN transformer layers → pooler, with HF's names
 * (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, …,
 * `pooler.dense.weight`). New models get BERT's initialization N(0, initializerRange²).
 *
 * @example
 * ```ts
 * const bert = await BertModel.fromPretrained('test/fixtures/bert-tiny-random');
 * const ids = tensor([[2, 15, 7, 3]], { dtype: 'int64' });
 * const { sequenceOutput, pooledOutput } = bert.eval().forward({ inputIds: ids, attentionMask: ones([1, 4]) });
 * sequenceOutput.shape; // [1, 4, 32]
 * pooledOutput?.shape;  // [1, 32]
 * ```
 */
export class BertModel extends Module {
  static readonly kind = 'BertModel';
  readonly embeddings: BertEmbeddings;
  readonly encoder: TransformerEncoder;
  readonly pooler: Pooler | null;

  constructor(
    readonly config: BertConfig,
    options: BertModelOptions = {},
  ) {
    super();
    const { dtype } = options;
    this.embeddings = this.registerModule('embeddings', new BertEmbeddings(config, { dtype }));
    this.encoder = this.registerModule(
      'encoder',
      new TransformerEncoder({
        numLayers: config.numLayers,
        hiddenSize: config.hiddenSize,
        numHeads: config.numHeads,
        intermediateSize: config.intermediateSize,
        activation: config.activation,
        hiddenDropout: config.hiddenDropout,
        attentionDropout: config.attentionDropout,
        layerNormEps: config.layerNormEps,
        dtype,
      }),
    );
    this.pooler =
      options.addPooler === false
        ? null
        : this.registerModule('pooler', new Pooler(config.hiddenSize, { dtype }));
    initBertWeights(this, config.initializerRange);
  }

  /**
   * Loads an HF BERT directory: `config.json` and `model.safetensors` (F32/F16/BF16, converted to float32 or
   * `dtype`). Keys may carry a `bert.` prefix; other keys (`cls.*`, `classifier.*`, `position_ids`) are
   * ignored. Missing encoder weights are an E_CHECKPOINT error; a missing pooler keeps its fresh init and is
   * reported through `options.onWarning`. A folder with only `pytorch_model.bin` (a torch pickle, which
   * mmtl does not read) is an E_CHECKPOINT error whose hint is the one-line command that converts it
   * ({@link pytorchBinConversionCommand}); a Git LFS pointer in place of the weights says so.
   */
  static async fromPretrained(dir: string, options: BertModelOptions = {}): Promise<BertModel> {
    const fn = `BertModel.fromPretrained('${dir}')`;
    const st = await stat(dir).catch(() => undefined);
    if (!st?.isDirectory()) {
      throw new MmtlError('E_IO', `${fn}: ${st === undefined ? 'no folder' : 'not a folder'} '${dir}'`, {
        hint: 'pass a Hugging Face BERT folder (config.json, model.safetensors, vocab.txt)',
      });
    }
    const weightsPath = join(dir, 'model.safetensors');
    if (!(await isFile(weightsPath))) {
      if (await isFile(join(dir, 'pytorch_model.bin'))) {
        throw new MmtlError(
          'E_CHECKPOINT',
          `${fn}: the folder has pytorch_model.bin (a torch pickle, which mmtl does not read) but no model.safetensors`,
          {
            hint: `convert it once with PyTorch installed: ${pytorchBinConversionCommand(dir)}`,
            details: { command: pytorchBinConversionCommand(dir) },
          },
        );
      }
      throw new MmtlError('E_CHECKPOINT', `${fn}: no model.safetensors in the folder`, {
        hint: 'download the model with its model.safetensors (Hugging Face folders hold it beside config.json)',
      });
    }
    const config = await readBertConfig(join(dir, 'config.json'));
    const raw = await loadSafetensors(weightsPath, {
      dtype: options.dtype ?? 'float32',
    }).catch((e: unknown) => {
      // keep the loader's own hint (a Git LFS pointer, a damaged file): it names the actual cause
      throw new MmtlError('E_CHECKPOINT', `${fn}: ${(e as Error).message}`, { cause: e });
    });
    const model = new BertModel(config, options);
    const state = new Map<string, Tensor>();
    for (const [k, t] of raw) state.set(normalizeBertKey(k), t);
    try {
      const { missing } = model.loadStateDict(state, { strict: false });
      const required = missing.filter((k) => !k.startsWith('pooler.'));
      if (required.length > 0) {
        throw new MmtlError(
          'E_CHECKPOINT',
          `${fn}: model.safetensors lacks ${required.length} weights: ${required.slice(0, 5).join(', ')}${required.length > 5 ? ', …' : ''}`,
        );
      }
      if (model.pooler !== null && missing.some((k) => k.startsWith('pooler.'))) {
        options.onWarning?.(
          `${fn}: model.safetensors has no pooler weights (pooler.dense.*); the pooler keeps a random ` +
            'initialization, so the pooled [CLS] vector is untrained until fine-tuning (pass addPooler: false ' +
            'to build none)',
        );
      }
    } catch (e) {
      model.dispose();
      throw e;
    } finally {
      for (const t of raw.values()) t.dispose();
    }
    return model;
  }

  /** Hidden size H. */
  get hiddenSize(): number {
    return this.config.hiddenSize;
  }

  /** ids/mask/types [B, T] → sequence output [B, T, H] and pooled output [B, H]. */
  forward(inputs: BertInputs): BertOutputs {
    const { inputIds, attentionMask, tokenTypeIds } = inputs;
    const x = this.embeddings.forward(inputIds, tokenTypeIds); // [B, T, H]
    const mask = attentionMask ? extendedAttentionMask(attentionMask, x.dtype) : null; // [B, 1, 1, T]
    const sequenceOutput = this.encoder.forward(x, mask); // [B, T, H]
    const pooledOutput = this.pooler ? this.pooler.forward(sequenceOutput) : null; // [B, H]
    return { sequenceOutput, pooledOutput };
  }

  toConfig(): ModuleConfig {
    return { kind: BertModel.kind, ...this.config, addPooler: this.pooler !== null };
  }

  /** Rebuilds from {@link toConfig} output (fresh weights). */
  static fromConfig(config: ModuleConfig): BertModel {
    const c = parseConfig(
      BertConfigSchema.extend({ kind: z.string(), addPooler: z.boolean().default(true) }),
      config,
      'BertModel.fromConfig',
    );
    const { kind: _, addPooler, ...bert } = c;
    return new BertModel(bert, { addPooler });
  }
}
MODULES.register(BertModel.kind, (c) => BertModel.fromConfig(c));

/**
 * BERT's initialization (HF `_init_weights`): Linear and Embedding weights N(0, std²), biases 0,
 * LayerNorm 1 and 0, embedding padding rows 0.
 *
 * @example
 * ```ts
 * initBertWeights(new Linear(4, 4), 0.02);
 * ```
 */
export function initBertWeights(module: Module, std: number): void {
  noGrad(() => {
    for (const m of module.namedModules().values()) {
      if (m instanceof Linear) {
        m.weight.normal_(0, std);
        m.bias?.fill_(0);
      } else if (m instanceof Embedding) {
        m.weight.normal_(0, std);
        if (m.paddingIdx !== null) m.weight.select(0, m.paddingIdx).fill_(0).dispose();
      } else if (m instanceof LayerNorm) {
        m.weight?.fill_(1);
        m.bias?.fill_(0);
      }
    }
  });
}

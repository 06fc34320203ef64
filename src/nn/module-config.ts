/** Module configs: the `MODULES` registry (kind → factory), `moduleFromConfig`, and `loadModule` from a file. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MmtlError, Registry } from '../core/index.js';
import { parseSafetensors } from '../tensor/index.js';
import type { Module } from './module.js';

/**
 * safetensors metadata key under which `Module.save` stores the module's config.
 *
 * @example
 * ```ts
 * parseSafetensors(bytes).metadata[CONFIG_METADATA_KEY]; // '{"kind":"Linear","inFeatures":4,…}'
 * ```
 */
export const CONFIG_METADATA_KEY = 'mmtl.module';

/** A JSON value (what configs are made of). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A module's config: its `kind` plus the constructor arguments, as plain JSON. */
export interface ModuleConfig {
  kind: string;
  [key: string]: JsonValue;
}

/** Rebuilds a module from its config. */
export type ModuleFactory = (config: ModuleConfig) => Module;

/**
 * Every module class, by `kind`: the registry {@link moduleFromConfig} reads. Each module file registers
 * its class when loaded; register your own modules the same way.
 *
 * @example
 * ```ts
 * MODULES.register(MyHead.kind, (c) => MyHead.fromConfig(c));
 * MODULES.names(); // ['Linear', 'LayerNorm', …, 'MyHead']
 * ```
 */
export const MODULES = new Registry<ModuleFactory>('module');

/**
 * Rebuilds any registered module (nested modules included) from {@link Module.toConfig} output. The new
 * module has fresh initial weights; load a state dict to restore trained ones.
 *
 * @example
 * ```ts
 * const copy = moduleFromConfig(new Linear(4, 2).toConfig()); // a Linear(4 → 2)
 * copy.loadStateDict(original.stateDict());
 * ```
 */
export function moduleFromConfig(config: ModuleConfig): Module {
  if (typeof config !== 'object' || config === null || typeof config.kind !== 'string') {
    throw new MmtlError('E_CONFIG', "Argument 'config' passed to 'moduleFromConfig' has no string 'kind'");
  }
  return MODULES.get(config.kind)(config);
}

/**
 * Parses a module config with a zod schema, turning failures into E_CONFIG errors that name the module.
 *
 * @example
 * ```ts
 * const c = parseConfig(z.object({ size: z.number() }), { kind: 'X', size: 3 }, 'X.fromConfig'); // { size: 3 }
 * ```
 */
export function parseConfig<S extends z.ZodType>(schema: S, config: unknown, fn: string): z.output<S> {
  const r = schema.safeParse(config);
  if (!r.success) {
    throw new MmtlError(
      'E_CONFIG',
      `Argument 'config' passed to '${fn}' is invalid:\n${z.prettifyError(r.error)}`,
    );
  }
  return r.data;
}

/**
 * Rebuilds a module saved with {@link Module.save}: its config from the file's metadata, then its weights.
 *
 * @example
 * ```ts
 * await model.save('/tmp/m.safetensors');
 * const again = await loadModule('/tmp/m.safetensors'); // same kind, same weights
 * ```
 */
export async function loadModule(path: string): Promise<Module> {
  let buf: Uint8Array;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new MmtlError('E_IO', `could not read '${path}': ${(e as Error).message}`, { cause: e });
  }
  const raw = parseSafetensors(buf, path).metadata[CONFIG_METADATA_KEY];
  if (raw === undefined) {
    throw new MmtlError('E_CHECKPOINT', `'${path}' has no module config in its metadata`, {
      hint: 'it was not written by Module.save; build the module yourself and call module.load(path)',
    });
  }
  const module = moduleFromConfig(JSON.parse(raw) as ModuleConfig);
  await module.load(path);
  return module;
}

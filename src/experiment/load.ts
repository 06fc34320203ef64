import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MmtlError } from '../core/index.js';
import { GLUE_TASKS } from '../glue/index.js';
import { ExperimentConfig, isFileWeak } from './schema.js';
import { isCustomTask } from './task-config.js';

/**
 * Sets `path` (dotted, e.g. `stage1.optimizer.lr`) in a plain object to `raw`, parsed as a YAML scalar or
 * flow collection (`3`, `true`, `null`, `[RTE, MRPC]`, `{kind: bert}`), creating objects on the way.
 *
 * @example
 * ```ts
 * setPath(cfg, 'stage1.nEpochs', '5'); // cfg.stage1.nEpochs === 5
 * ```
 */
export function setPath(target: Record<string, unknown>, path: string, raw: string): void {
  const keys = path.split('.');
  if (keys.some((k) => k === ''))
    throw new MmtlError('E_ARG', `--set '${path}': the key path has an empty part`);
  let node = target;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (next === undefined) node[k] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new MmtlError('E_ARG', `--set '${path}': '${k}' is not an object`);
    }
    node = node[k] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = parseYaml(raw) as unknown;
}

/**
 * Reads an experiment file (YAML or JSON), applies `--set key=value` overrides, and validates it. Errors are
 * E_IO (file) or E_CONFIG listing every problem with its path.
 *
 * @example
 * ```ts
 * const cfg = await loadExperiment('exp.yaml', ['stage1.nEpochs=2', 'tasks=[RTE]']);
 * ```
 */
export async function loadExperiment(
  path: string,
  overrides: readonly string[] = [],
): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MmtlError('E_IO', `could not read experiment '${path}': ${(e as Error).message}`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) as unknown; // YAML is a superset of JSON
  } catch (e) {
    throw new MmtlError('E_CONFIG', `experiment '${path}' is not valid YAML/JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MmtlError('E_CONFIG', `experiment '${path}' must be a mapping of settings`);
  }
  // Overrides go on top of the defaults when the file is valid on its own (so `--set encoder.attention=true`
  // works without restating encoder.kind), else on top of the raw file (so `--set` can fill what it lacks).
  const filled = ExperimentConfig.safeParse(raw);
  const obj = (filled.success ? structuredClone(filled.data) : raw) as Record<string, unknown>;
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new MmtlError('E_ARG', `--set '${o}' must look like key.path=value`);
    setPath(obj, o.slice(0, eq), o.slice(eq + 1));
  }
  return parseExperiment(obj, path, dirname(resolve(path)));
}

/**
 * Validates a plain experiment object (E_CONFIG listing every problem): the schema, then the task list
 * (GLUE names must exist, task names must be distinct) and `weak.task`. The files of custom tasks and of
 * `weak` become absolute paths, resolved against `baseDir` (the experiment file's folder; default the
 * working directory), so a run folder's `config.json` works from anywhere (`mmtl train --resume`).
 *
 * @example
 * ```ts
 * const cfg = parseExperiment({ tasks: [{ name: 'topic', data: { train: 'train.csv' }, input: 'text' }] }, 'exp', '/data');
 * cfg.tasks[0]; // { name: 'topic', data: { train: '/data/train.csv' }, input: 'text', label: { field: 'label', type: 'class', … }, … }
 * ```
 */
export function parseExperiment(
  raw: unknown,
  source = 'experiment',
  baseDir = process.cwd(),
): ExperimentConfig {
  const r = ExperimentConfig.safeParse(raw);
  if (!r.success) {
    throw new MmtlError('E_CONFIG', `${source} is invalid:\n${z.prettifyError(r.error)}`, {
      details: { issues: r.error.issues },
    });
  }
  const cfg = r.data;
  const names: string[] = [];
  for (const [i, t] of cfg.tasks.entries()) {
    if (isCustomTask(t)) {
      names.push(t.name);
      const d = t.data;
      t.data = {
        train: resolve(baseDir, d.train),
        ...(d.valid === undefined ? {} : { valid: resolve(baseDir, d.valid) }),
        ...(d.test === undefined ? {} : { test: resolve(baseDir, d.test) }),
      };
    } else {
      if (!GLUE_TASKS.has(t)) {
        throw new MmtlError(
          'E_CONFIG',
          `${source}: tasks[${i}] is '${t}', which is not a GLUE task; expected one of ${GLUE_TASKS.names().join(', ')}, or a task of your own`,
          { hint: 'write your own task as { name, data: { train, valid }, input, label }' },
        );
      }
      names.push(GLUE_TASKS.get(t).name);
    }
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new MmtlError('E_CONFIG', `${source}: task '${twice}' is listed twice in tasks`, {
      hint: 'give every task its own name',
    });
  }
  if (cfg.weak && isFileWeak(cfg.weak)) {
    const w = cfg.weak;
    w.data = resolve(baseDir, w.data);
    w.lfs = resolve(baseDir, w.lfs);
    const custom = cfg.tasks.filter(isCustomTask).map((t) => t.name);
    const task = w.task ?? custom[0];
    if (task === undefined || !custom.includes(task)) {
      throw new MmtlError(
        'E_CONFIG',
        `${source}: weak.task is '${task ?? '(none)'}'; expected one of your own tasks (${custom.join(', ') || 'none in tasks'})`,
        { hint: 'weak with data/lfs labels a task of your own; GLUE tasks take weak: { fromTask, lfs }' },
      );
    }
    w.task = task;
  }
  return cfg;
}

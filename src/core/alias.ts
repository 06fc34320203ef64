import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { MmtlError } from './errors.js';

/**
 * One path a command reads or writes, for {@link assertNoAlias}.
 *
 * @example
 * ```ts
 * const entry: PathRole = { arg: '--L', path: 'L.npy' };
 * const folder: PathRole = { arg: '--run-dir', path: 'runs/a', tree: true };
 * ```
 */
export interface PathRole {
  /** How the user named it (a flag such as `--out`, or an argument name), shown in the error. */
  arg: string;
  /** The path as given. */
  path: string;
  /**
   * The path is a folder and everything inside it counts: an output anywhere inside an input tree, or an input
   * anywhere inside an output tree, is an alias too (default false: a single file).
   */
  tree?: boolean;
}

interface Resolved extends PathRole {
  real: string;
  /** `dev:ino` when the path exists (catches hard links). */
  id: string | undefined;
}

/** The real path of `path`: symlinks resolved in its longest existing prefix, the rest appended. */
async function realPathOf(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    const parent = dirname(abs);
    if (parent === abs) return abs;
    return join(await realPathOf(parent), basename(abs));
  }
}

async function resolveRole(role: PathRole): Promise<Resolved> {
  const real = await realPathOf(role.path);
  const st = await stat(real).catch(() => undefined);
  return { ...role, real, id: st === undefined ? undefined : `${st.dev}:${st.ino}` };
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function aliases(input: Resolved, output: Resolved): boolean {
  if (input.real === output.real) return true;
  if (input.id !== undefined && input.id === output.id) return true;
  if (input.tree === true && inside(output.real, input.real)) return true;
  if (output.tree === true && inside(input.real, output.real)) return true;
  return false;
}

/**
 * Refuses to run a command whose output would overwrite one of its inputs. Every path is resolved to its real
 * path (symlinks followed, `..` removed; a path that does not exist yet is resolved through its existing
 * parent) and existing files are also compared by device and inode (hard links). An output aliases an input
 * when both resolve to the same file, when the output lies inside an input marked `tree`, or when the input
 * lies inside an output marked `tree`. Sidecar files (a `.npy` label matrix's `.names.json`) must be listed
 * by the caller as paths of their own. Throws `E_ARG` naming both arguments; writes nothing.
 *
 * @example
 * ```ts
 * await assertNoAlias('mmtl labelmodel predict',
 *   [{ arg: '--model', path: 'lm.json' }, { arg: '--L', path: 'L.npy' }, { arg: '--L', path: 'L.npy.names.json' }],
 *   [{ arg: '--out', path: 'L.npy' }]);
 * // throws E_ARG: Argument '--out' passed to 'mmtl labelmodel predict' ('L.npy') is the same file as
 * // '--L' ('L.npy'): writing it would destroy the input (write the output to another path)
 * ```
 */
export async function assertNoAlias(
  fn: string,
  inputs: readonly PathRole[],
  outputs: readonly PathRole[],
): Promise<void> {
  const ins = await Promise.all(inputs.map(resolveRole));
  const outs = await Promise.all(outputs.map(resolveRole));
  for (const out of outs) {
    for (const input of ins) {
      if (!aliases(input, out)) continue;
      const how =
        input.real === out.real || input.id === out.id
          ? 'is the same file as'
          : out.tree === true && !(input.tree === true && inside(out.real, input.real))
            ? 'is a folder that holds'
            : 'lies inside';
      throw new MmtlError(
        'E_ARG',
        `Argument '${out.arg}' passed to '${fn}' ('${out.path}') ${how} '${input.arg}' ('${input.path}'): ` +
          `writing it would destroy the input`,
        {
          hint: 'write the output to another path',
          details: { output: out.real, input: input.real },
        },
      );
    }
  }
}

// Bench dispatcher: `npm run bench -- <name> [flags]` runs `tsx bench/run.ts <name> …`, which loads the named
// bench module and hands it the remaining arguments. Each bench module exports `run(argv)`.

/** What every bench module exports. */
export interface BenchModule {
  /** Runs the bench with its own command-line flags (everything after the bench name). */
  run(argv: string[]): Promise<void>;
}

/** Registry of benches: name → loader of its module. Add a line here to add a bench. */
export const BENCHES: Readonly<Record<string, () => Promise<BenchModule>>> = {
  engine: () => import('./engine.js'),
  mtl: () => import('./mtl.js'),
  ensemble: () => import('./ensemble.js'),
  labelmodel: () => import('./labelmodel.js'),
  'lf-applier': () => import('./lf-applier.js'),
  slicing: () => import('./slicing.js'),
};

/** Runs the bench named by `argv[0]` with the rest of `argv`; prints the list of benches when unknown. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : BENCHES[name];
  if (load === undefined) {
    const names = Object.keys(BENCHES).sort().join(', ');
    console.error(
      name === undefined
        ? `usage: npm run bench -- <name> [flags]; benches: ${names}`
        : `unknown bench '${name}'; expected one of ${names}`,
    );
    return 2;
  }
  const mod = await load();
  await mod.run(rest);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

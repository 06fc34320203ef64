#!/usr/bin/env node
// The mmtl command. An installed package runs the compiled CLI (dist/, built when the package is packed); a
// clone, which has src/, runs the TypeScript sources through tsx so that a stale dist/ is never used.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
}

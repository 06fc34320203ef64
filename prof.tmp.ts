import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import * as m from './bench/mtl.js';
const s = new Session(); s.connect();
await s.post('Profiler.enable');
await s.post('Profiler.setSamplingInterval', { interval: 100 });
// warm: build data etc. inside benchMtl; profile everything but we filter by timestamps? just profile whole bench
await s.post('Profiler.start');
const r = await m.benchMtl({ batch: Number(process.argv[2] ?? 32), threads: 1 });
const { profile } = await s.post('Profiler.stop');
console.log(JSON.stringify(r));
writeFileSync('/tmp/prof.cpuprofile', JSON.stringify(profile));

// Opens a run report in headless Chromium (Debian package `chromium`) and checks that the page renders its
// plots: every inline SVG gets a non-zero layout box, and a screenshot shows the charts' colours. Without
// /usr/bin/chromium (or CHROMIUM_PATH) the test installs it when root with apt-get, else skips with the
// reason; MMTL_REQUIRE_CHROMIUM=1 turns that skip into a failure.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRunReport } from '../../../src/report/index.js';
import { LF_SUMMARY, twoTaskRun } from '../../report/fixtures.js';
import { countColor, decodePng, distinctColors } from './png.js';

const run = promisify(execFile);
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const WIDTH = 1200;
const HEIGHT = 2400;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds Chromium; as root with apt-get, installs the Debian package once. Returns why not, or undefined. */
function ensureChromium(): string | undefined {
  if (executable(CHROMIUM)) return undefined;
  const root = process.getuid?.() === 0;
  if (!root || !executable('/usr/bin/apt-get')) {
    return `${CHROMIUM} is missing and cannot be installed here (needs root and apt-get): run 'apt-get install -y chromium' or set CHROMIUM_PATH`;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]): void => {
    execFileSync('/usr/bin/apt-get', args, { env, stdio: 'pipe', timeout: 300_000 });
  };
  try {
    try {
      apt(['install', '-y', 'chromium']);
    } catch {
      // stale or missing package lists
      apt(['update']);
      apt(['install', '-y', 'chromium']);
    }
  } catch (e) {
    return `'apt-get install -y chromium' failed: ${(e as Error).message.split('\n')[0] ?? ''}`;
  }
  return executable(CHROMIUM) ? undefined : `apt-get installed chromium but ${CHROMIUM} is still missing`;
}

let skipReason: string | undefined;

/** Skips the test when Chromium is unavailable, unless MMTL_REQUIRE_CHROMIUM=1 (CI) makes that a failure. */
function needChromium(ctx: { skip: (note: string) => never }): void {
  if (skipReason === undefined) return;
  if (process.env['MMTL_REQUIRE_CHROMIUM'] === '1')
    throw new Error(`MMTL_REQUIRE_CHROMIUM=1 but ${skipReason}`);
  ctx.skip(skipReason);
}
let dir = '';
let page = '';

async function chromium(args: string[]): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'mmtl-chromium-profile-'));
  try {
    const { stdout } = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${WIDTH},${HEIGHT}`,
        ...args,
      ],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  skipReason = ensureChromium();
  dir = await mkdtemp(join(tmpdir(), 'mmtl-report-chromium-'));
  page = await writeRunReport(dir, {
    records: twoTaskRun(),
    config: { seed: 1 },
    lfSummary: LF_SUMMARY,
    labelModel: { weights: [0.8, 0.7, 0.5] },
    slices: [
      { task: 'RTE', slice: 'short', metric: 'accuracy', score: 0.7, size: 40 },
      { task: 'RTE', slice: 'short', metric: 'f1', score: 0.6, size: 40 },
    ],
    ladder: [
      { rung: 'BiLSTM', mean: 0.55, sd: 0.01, n: 3, task: 'RTE', metric: 'accuracy' },
      { rung: '+ GloVe', mean: 0.58, sd: 0.02, n: 3, task: 'RTE', metric: 'accuracy' },
    ],
  });
}, 900_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('run report in headless Chromium', () => {
  it('lays out every inline SVG with a non-zero size', async (ctx) => {
    needChromium(ctx);
    const html = await readFile(page, 'utf8');
    const svgs = html.split('<svg').length - 1;
    expect(svgs).toBe(7);
    // A measuring copy of the page: a script writes each SVG's layout box into the DOM that Chromium dumps.
    const probe = join(dir, 'probe.html');
    const script =
      '<script>const out = document.createElement("pre"); out.id = "svg-boxes"; out.textContent = ' +
      '[...document.querySelectorAll("svg")].map((s) => { const r = s.getBoundingClientRect(); ' +
      'return Math.round(r.width) + "x" + Math.round(r.height); }).join(" "); document.body.append(out);</script>';
    await writeFile(probe, html.replace('</body>', `${script}</body>`));
    const dom = await chromium(['--dump-dom', pathToFileURL(probe).href]);
    const boxes = /<pre id="svg-boxes">([^<]*)<\/pre>/.exec(dom)?.[1]?.split(' ') ?? [];
    expect(boxes).toHaveLength(svgs);
    for (const box of boxes) {
      const [w, h] = box.split('x').map(Number) as [number, number];
      expect(w).toBeGreaterThan(100);
      expect(h).toBeGreaterThan(50);
    }
  });

  it('shows the charts in a screenshot', async (ctx) => {
    needChromium(ctx);
    const png = join(dir, 'report.png');
    await chromium([`--screenshot=${png}`, pathToFileURL(page).href]);
    const img = decodePng(await readFile(png));
    expect([img.width, img.height]).toEqual([WIDTH, HEIGHT]);
    // not a blank page: text, anti-aliasing and several chart colours give many distinct colours
    expect(distinctColors(img)).toBeGreaterThan(200);
    // tableau10 blue (first series, single-colour bars), orange and red (second and third series)
    expect(countColor(img, '#4c78a8')).toBeGreaterThan(2000);
    expect(countColor(img, '#f58518')).toBeGreaterThan(200);
    expect(countColor(img, '#e45756')).toBeGreaterThan(100);
  });
});

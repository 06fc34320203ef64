import type { LoggerInterface, View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { MmtlError } from '../core/index.js';

/**
 * Vega-Lite → SVG without a browser: the spec is compiled to Vega, run in a headless `View` with renderer
 * `'none'` and serialised with `toSVG()`. No DOM, canvas or network is needed (inline data only).
 */

/**
 * A Vega-Lite chart specification (vega-lite's own `TopLevelSpec`), with its data inline.
 *
 * @example
 * ```ts
 * const spec: ChartSpec = { data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } };
 * ```
 */
export type ChartSpec = TopLevelSpec;

/** Vega and Vega-Lite are loaded on first use: importing them takes about half a second. */
let engines: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

function loadEngines(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  engines ??= Promise.all([import('vega'), import('vega-lite')]);
  return engines;
}

/** Font, colour and axis settings shared by every chart of a report. */
const REPORT_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  view: { stroke: '#ddd' },
} as const;

/** Keeps Vega's and Vega-Lite's messages off the console (the library never prints); errors are kept. */
class QuietLogger implements LoggerInterface {
  readonly errors: string[] = [];
  private lvl = 2;
  level(level?: number): number | LoggerInterface {
    if (level === undefined) return this.lvl;
    this.lvl = level;
    return this;
  }
  error(...args: unknown[]): this {
    this.errors.push(args.map(String).join(' '));
    return this;
  }
  warn(): this {
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

/**
 * Renders a Vega-Lite spec to a standalone SVG string (`<svg …>…</svg>`). Text in the data (task names,
 * LF names) is XML-escaped by Vega. Vega is imported on the first call. A spec that Vega-Lite or Vega rejects is an `E_DATA` error.
 *
 * @example
 * ```ts
 * const svg = await renderVegaLite({
 *   data: { values: [{ step: 1, loss: 0.7 }, { step: 2, loss: 0.5 }] },
 *   mark: 'line',
 *   encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative' } },
 * });
 * svg.startsWith('<svg'); // true
 * ```
 */
export async function renderVegaLite(spec: ChartSpec): Promise<string> {
  let view: View | undefined;
  const logger = new QuietLogger();
  try {
    const [{ View, parse }, { compile }] = await loadEngines();
    const vega = compile({ config: REPORT_CONFIG, ...spec }, { logger }).spec;
    view = new View(parse(vega), { renderer: 'none', logger });
    const svg = await view.toSVG();
    if (logger.errors.length > 0) throw new Error(logger.errors.join('; '));
    return svg;
  } catch (e) {
    throw new MmtlError('E_DATA', `'renderVegaLite' could not render the chart: ${(e as Error).message}`, {
      cause: e,
    });
  } finally {
    view?.finalize();
  }
}

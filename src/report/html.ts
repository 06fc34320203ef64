/**
 * Small HTML builders for the run report: escaping, number formatting and tables. Every piece of text that
 * came from data (task names, LF names, config values) goes through {@link escapeHtml}.
 */

/**
 * Escapes `& < > " '` for use in HTML text and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('a<b & "c"'); // 'a&lt;b &amp; &quot;c&quot;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Formats a number for a table: 4 decimals in the usual range, 4 significant digits (exponent form) for
 * very small or large values, integers as they are, and "—" for NaN or ±Infinity.
 *
 * @example
 * ```ts
 * formatNumber(0.612345); // '0.6123'
 * formatNumber(0.00002);  // '2.000e-5'
 * formatNumber(12);       // '12'
 * formatNumber(NaN);      // '—'
 * ```
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return value.toFixed(4);
}

/**
 * A table cell: text (escaped), a number (formatted, right-aligned) or pre-built HTML.
 *
 * @example
 * ```ts
 * const row: Cell[] = ['RTE', 0.61, null, { html: '<b>best</b>' }]; // 'RTE', '0.6100', '—', bold
 * ```
 */
export type Cell = string | number | null | undefined | { html: string };

function cell(c: Cell, tag: 'td' | 'th'): string {
  if (typeof c === 'number' || c === null || c === undefined) {
    const text = formatNumber(c);
    return `<${tag} class="num${text === '—' ? ' na' : ''}">${text}</${tag}>`;
  }
  if (typeof c === 'string') return `<${tag}>${escapeHtml(c)}</${tag}>`;
  return `<${tag}>${c.html}</${tag}>`;
}

/**
 * An HTML table with a header row; string cells are escaped, numbers formatted with {@link formatNumber}.
 *
 * @example
 * ```ts
 * htmlTable(['task', 'accuracy'], [['RTE', 0.6123]]);
 * // '<table><thead><tr><th>task</th><th>accuracy</th></tr></thead><tbody><tr><td>RTE</td><td class="num">0.6123</td></tr></tbody></table>'
 * ```
 */
export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = `<tr>${headers.map((h) => cell(h, 'th')).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/**
 * A `<figure>` holding an inline SVG chart and its caption (escaped). The namespace declarations of the
 * `<svg>` tag are dropped (HTML needs none), so the page holds no URL at all.
 *
 * @example
 * ```ts
 * htmlFigure('<svg xmlns="http://www.w3.org/2000/svg" width="10"></svg>', 'Loss');
 * // '<figure><svg width="10"></svg><figcaption>Loss</figcaption></figure>'
 * ```
 */
export function htmlFigure(svg: string, caption: string): string {
  const inline = svg.replace(/^<svg\b[^>]*>/, (tag) => tag.replace(/\s+xmlns(?::\w+)?="[^"]*"/g, ''));
  return `<figure>${inline}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

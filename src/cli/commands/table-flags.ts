import type { Command } from 'commander';

/** The `--no-header`, `--columns` and `--delimiter` flags of commands that read a data file. */
export interface TableFlags {
  header?: boolean;
  columns?: string;
  delimiter?: string;
}

/**
 * Adds the data-file flags to a command (defaults: the task's own file options).
 *
 * @example
 * ```ts
 * withTableFlags(program.command('predict')); // --no-header --columns text,label --delimiter ';'
 * ```
 */
export function withTableFlags(command: Command): Command {
  return command
    .option('--no-header', "--data has no header row (default: as the task's files)")
    .option('--columns <list>', '--data column names, comma-separated (headerless files)')
    .option('--delimiter <d>', "--data field delimiter (default: as the task's files)");
}

/**
 * The file options the flags ask for (only those given; commander sets `header` true unless `--no-header`).
 *
 * @example
 * ```ts
 * tableFlags({ header: false, columns: 'text,label' }); // { header: false, columns: ['text', 'label'] }
 * ```
 */
export function tableFlags(o: TableFlags): { header?: boolean; columns?: string[]; delimiter?: string } {
  return {
    ...(o.header === false ? { header: false } : {}),
    ...(o.columns === undefined ? {} : { columns: o.columns.split(',').map((c) => c.trim()) }),
    ...(o.delimiter === undefined ? {} : { delimiter: o.delimiter }),
  };
}

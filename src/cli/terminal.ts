import type { Writable } from 'node:stream';

/** The parts of a stream the terminal decision reads (process.stdout, or a fake in tests). */
export interface OutputStream {
  isTTY?: boolean;
  hasColors?: () => boolean;
  columns?: number;
}

/**
 * How the CLI writes for a person or for a script: tables, progress bars and colour only when
 * the stream is a terminal; plain, stable lines when it is piped or redirected.
 */
export interface TerminalStyle {
  /** stdout is a terminal: aligned tables and progress bars. */
  tty: boolean;
  /** A terminal with colour, and NO_COLOR unset (Node's hasColors() reads NO_COLOR and FORCE_COLOR). */
  colour: boolean;
  /** Width for tables on a terminal. */
  columns: number;
}

/** Decides the style for one stream; the one place that looks at isTTY. */
export function terminalStyle(stream: OutputStream = process.stdout): TerminalStyle {
  const tty = stream.isTTY === true;
  return {
    tty,
    colour: tty && typeof stream.hasColors === 'function' && stream.hasColors(),
    columns: stream.columns && stream.columns > 0 ? stream.columns : 100,
  };
}

/** The ANSI codes the CLI uses, or nothing when colour is off. */
export function paint(style: TerminalStyle) {
  const wrap = (open: number, close: number) => (text: string) =>
    style.colour ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
  };
}

/** "50,000": every count the CLI prints, with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** "1 order", "3 orders": a count with its noun. */
export function plural(value: number, noun: string, nouns = `${noun}s`): string {
  return `${count(value)} ${value === 1 ? noun : nouns}`;
}

/** "USD 37,210.40": money with its currency and two decimals. */
export function money(amount: number | undefined, currency: string): string {
  return `${currency} ${(amount ?? 0).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Writes a line to a stream. */
export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}

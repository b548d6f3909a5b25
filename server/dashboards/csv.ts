/**
 * CSV as Excel on a Chinese Windows desktop opens it: UTF-8 with a byte-order mark (without it
 * Excel guesses GBK and the Chinese turns to mojibake), CRLF line ends, RFC 4180 quoting. Text that
 * a spreadsheet would take for a formula (=, +, -, @ at the start — a meeting title is typed by a
 * person) is prefixed with an apostrophe so opening the file never runs anything.
 *
 * @example
 * toCsv([['支部', '指数'], ['第一党支部', 85.2]]); // Buffer of "\uFEFF支部,指数\r\n第一党支部,85.2\r\n"
 */
export type CsvCell = string | number | null;

function quote(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: ReadonlyArray<readonly CsvCell[]>): Buffer {
  return Buffer.from(`\uFEFF${rows.map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`, 'utf8');
}

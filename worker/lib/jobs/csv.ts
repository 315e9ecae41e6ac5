/*
 * CSV for spreadsheets: RFC 4180 quoting, and a cell that a spreadsheet would read as a
 * formula (= + - @, or a leading tab / carriage return) gets a leading apostrophe, since
 * hostnames, errors and output come from devices.
 */

export type Cell = string | number | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

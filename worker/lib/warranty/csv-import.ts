import * as v from 'valibot';
import { CalendarDate, type WarrantyRecord } from '../../../protocol/warranty';

/*
 * Manual warranties from a spreadsheet export: a header naming the columns serial, vendor,
 * start, end, description (any order; start and description may be left empty), then one device
 * a row. Dates must be YYYY-MM-DD: 03/04/2025 reads as March or April depending on who saved it,
 * so it is refused rather than guessed. Line numbers count physical lines from 1 (the header).
 */

export const CSV_MAX_ROWS = 10_000;
const COLUMNS = ['serial', 'vendor', 'start', 'end', 'description'] as const;
type Column = (typeof COLUMNS)[number];

export interface CsvProblem {
  line: number;
  message: string;
}

export interface CsvImport {
  records: WarrantyRecord[];
  problems: CsvProblem[];
}

/** RFC 4180 rows (quoted fields may hold commas, quotes as "" and newlines), each with the line it starts on. */
function* csvRows(text: string): Generator<{ line: number; fields: string[] } | { line: number; error: string }> {
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let done = false;
    while (!done) {
      if (i >= text.length) {
        if (quoted) return yield { line: start, error: 'a quoted field is never closed' };
        fields.push(field);
        done = true;
      } else if (quoted) {
        const c = text[i++]!;
        if (c === '"' && text[i] === '"') (field += '"'), i++;
        else if (c === '"') quoted = false;
        else {
          if (c === '\n') line++;
          field += c;
        }
      } else {
        const c = text[i++]!;
        if (c === '"' && field.trim() === '') (quoted = true), (field = '');
        else if (c === ',') fields.push(field), (field = '');
        else if (c === '\n' || (c === '\r' && text[i] === '\n')) {
          if (c === '\r') i++;
          line++;
          fields.push(field);
          done = true;
        } else field += c;
      }
    }
    if (!(fields.length === 1 && fields[0]!.trim() === '')) yield { line: start, fields };
  }
}

function isoDate(raw: string, name: string): { ok: true; value: string | null } | { ok: false; message: string } {
  if (raw === '') return { ok: true, value: null };
  if (v.is(CalendarDate, raw)) return { ok: true, value: raw };
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(raw)) return { ok: false, message: `${name} "${raw}" has an ambiguous day/month order: write it as YYYY-MM-DD` };
  return { ok: false, message: `${name} "${raw}" is not a date as YYYY-MM-DD` };
}

export function parseWarrantyCsv(text: string, now = Date.now()): CsvImport {
  const records: WarrantyRecord[] = [];
  const problems: CsvProblem[] = [];
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  const head = rows.next();
  if (head.done || !('fields' in head.value)) return { records, problems: [{ line: 1, message: 'the header line is missing' }] };
  const names = head.value.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<Column, number>();
  for (const col of COLUMNS) if (names.includes(col)) index.set(col, names.indexOf(col));
  const missing = ['serial', 'vendor', 'end'].filter((c) => !index.has(c as Column));
  if (missing.length) return { records, problems: [{ line: 1, message: `the header must name the columns ${COLUMNS.join(', ')} (missing: ${missing.join(', ')})` }] };
  const get = (fields: string[], col: Column) => (index.has(col) ? (fields[index.get(col)!] ?? '').trim() : '');

  const firstLine = new Map<string, number>();
  let count = 0;
  for (const row of rows) {
    if ('error' in row) {
      problems.push({ line: row.line, message: row.error });
      break;
    }
    if (++count > CSV_MAX_ROWS) {
      problems.push({ line: row.line, message: `more than ${CSV_MAX_ROWS} rows: split the file` });
      break;
    }
    const { line, fields } = row;
    const serial = get(fields, 'serial').toUpperCase();
    const vendor = get(fields, 'vendor');
    const description = get(fields, 'description');
    // Virtual machines and some vendors use dashes, dots and spaces ("VMware-56 4d…"); anything
    // else is more likely a broken export than a serial.
    if (!/^[A-Z0-9][A-Z0-9 ._/-]{0,63}$/.test(serial)) {
      problems.push({
        line,
        message: serial ? `serial "${serial.slice(0, 64)}" may hold only letters, digits, space and . _ / - (at most 64)` : 'serial is empty',
      });
      continue;
    }
    if (firstLine.has(serial)) {
      problems.push({ line, message: `serial ${serial} appears again (first on line ${firstLine.get(serial)})` });
      continue;
    }
    firstLine.set(serial, line);
    if (vendor === '' || vendor.length > 64) {
      problems.push({ line, message: vendor ? 'vendor is longer than 64 characters' : 'vendor is empty' });
      continue;
    }
    const start = isoDate(get(fields, 'start'), 'start');
    const end = isoDate(get(fields, 'end'), 'end');
    if (!start.ok || !end.ok) {
      problems.push({ line, message: (!start.ok ? start.message : '') || (!end.ok ? end.message : '') });
      continue;
    }
    if (end.value === null) {
      problems.push({ line, message: 'end is empty' });
      continue;
    }
    if (start.value !== null && start.value > end.value) {
      problems.push({ line, message: `start ${start.value} is after end ${end.value}` });
      continue;
    }
    records.push({ deviceSerial: serial, vendor, start: start.value, end: end.value, description: description ? description.slice(0, 255) : null, source: 'csv', fetchedAt: now });
  }
  return { records, problems };
}

import { describe, expect, it } from 'vitest';
import { CSV_MAX_ROWS, parseWarrantyCsv } from './csv-import';

const NOW = Date.UTC(2026, 11, 1);

describe('warranty CSV import', () => {
  it('reads rows in any column order, with quoted fields and an empty start', () => {
    const csv = [
      '\uFEFFSerial,Vendor,Start,End,Description',
      'abc1234,Dell,2022-03-14,2027-03-14,"ProSupport, 5 years"',
      '5CG1234XYZ,HP,,2025-10-04,',
      'PF0ABC12,Lenovo,2021-11-18,2025-11-17,"Premier ""Plus""',
      'upgrade"',
      '',
    ].join('\r\n');
    expect(parseWarrantyCsv(csv, NOW)).toEqual({
      records: [
        { deviceSerial: 'ABC1234', vendor: 'Dell', start: '2022-03-14', end: '2027-03-14', description: 'ProSupport, 5 years', source: 'csv', fetchedAt: NOW },
        { deviceSerial: '5CG1234XYZ', vendor: 'HP', start: null, end: '2025-10-04', description: null, source: 'csv', fetchedAt: NOW },
        { deviceSerial: 'PF0ABC12', vendor: 'Lenovo', start: '2021-11-18', end: '2025-11-17', description: 'Premier "Plus"\r\nupgrade', source: 'csv', fetchedAt: NOW },
      ],
      problems: [],
    });
    const reordered = parseWarrantyCsv('end,serial,vendor\n2030-01-31,XYZ9876,Acme\n', NOW);
    expect(reordered.records).toEqual([{ deviceSerial: 'XYZ9876', vendor: 'Acme', start: null, end: '2030-01-31', description: null, source: 'csv', fetchedAt: NOW }]);
  });

  it('refuses a file without the header', () => {
    expect(parseWarrantyCsv('', NOW).problems).toEqual([{ line: 1, message: 'the header line is missing' }]);
    expect(parseWarrantyCsv('ABC1234,Dell,2022-03-14,2027-03-14,x\n', NOW)).toEqual({
      records: [],
      problems: [{ line: 1, message: 'the header must name the columns serial, vendor, start, end, description (missing: serial, vendor, end)' }],
    });
  });

  it('names the line of each bad row and keeps the good ones', () => {
    const csv = [
      'serial,vendor,start,end,description',
      'ABC1234,Dell,03/04/2025,2027-03-14,', // 2
      'ABC1235,Dell,2022-03-14,14.03.2027,', // 3
      'ABC1236,Dell,2022-02-30,2027-03-14,', // 4
      'ABC1237,Dell,2028-01-01,2027-03-14,', // 5
      'AB=1238,Dell,,2027-03-14,', // 6
      ',Dell,,2027-03-14,', // 7
      'ABC1239,,,2027-03-14,', // 8
      'ABC1240,Dell,2022-03-14,,', // 9
      'ABC1241,Dell,,2027-03-14,ok', // 10
      'abc1241,Dell,,2028-03-14,again', // 11
      'ABC1242,Dell,,March 2027,', // 12
      'VMware-56 4d 1a,VMware,,2027-03-14,vm', // 13
    ].join('\n');
    const { records, problems } = parseWarrantyCsv(csv, NOW);
    expect(records.map((r) => r.deviceSerial)).toEqual(['ABC1241', 'VMWARE-56 4D 1A']);
    expect(problems).toEqual([
      { line: 2, message: 'start "03/04/2025" has an ambiguous day/month order: write it as YYYY-MM-DD' },
      { line: 3, message: 'end "14.03.2027" has an ambiguous day/month order: write it as YYYY-MM-DD' },
      { line: 4, message: 'start "2022-02-30" is not a date as YYYY-MM-DD' },
      { line: 5, message: 'start 2028-01-01 is after end 2027-03-14' },
      { line: 6, message: 'serial "AB=1238" may hold only letters, digits, space and . _ / - (at most 64)' },
      { line: 7, message: 'serial is empty' },
      { line: 8, message: 'vendor is empty' },
      { line: 9, message: 'end is empty' },
      { line: 11, message: 'serial ABC1241 appears again (first on line 10)' },
      { line: 12, message: 'end "March 2027" is not a date as YYYY-MM-DD' },
    ]);
  });

  it('counts lines across quoted newlines and stops at an unclosed quote', () => {
    const csv = 'serial,vendor,start,end,description\nABC1234,Dell,,2027-03-14,"two\nlines"\nABC1235,Dell,,bad,\nABC1236,Dell,,2027-03-14,"never closed\n';
    expect(parseWarrantyCsv(csv, NOW).problems).toEqual([
      { line: 4, message: 'end "bad" is not a date as YYYY-MM-DD' },
      { line: 5, message: 'a quoted field is never closed' },
    ]);
  });

  it(`takes at most ${CSV_MAX_ROWS} rows`, () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `S${i},Dell,,2027-03-14,`);
    const full = parseWarrantyCsv(['serial,vendor,start,end,description', ...rows(CSV_MAX_ROWS)].join('\n'), NOW);
    expect(full.records).toHaveLength(CSV_MAX_ROWS);
    expect(full.problems).toEqual([]);
    const over = parseWarrantyCsv(['serial,vendor,start,end,description', ...rows(CSV_MAX_ROWS + 1)].join('\n'), NOW);
    expect(over.problems).toEqual([{ line: CSV_MAX_ROWS + 2, message: `more than ${CSV_MAX_ROWS} rows: split the file` }]);
  });
});

import { describe, expect, it } from 'vitest';
import { columnTarget, readAs, rowsKeptNote } from './importDetails';

const plain = {
  encoding: 'UTF-8',
  delimiter: ',',
  date_order: 'mdy',
  dates_unclear: false,
  lines_above_header: 0,
  footer_rows: 0,
  no_header_row: false,
};

describe('readAs', () => {
  it('names the encoding, the delimiter and the date order', () => {
    expect(readAs(plain)).toBe('UTF-8, comma-separated; dates read month / day / year');
    expect(readAs({ ...plain, delimiter: 'tab', date_order: 'dmy' })).toBe('UTF-8, tab-separated; dates read day / month / year');
  });

  it('says what was skipped and what was unclear', () => {
    const text = readAs({ ...plain, delimiter: ';', dates_unclear: true, lines_above_header: 2, footer_rows: 1 });
    expect(text).toContain('semicolon-separated');
    expect(text).toContain('(they could be read either way)');
    expect(text).toContain('2 lines above the column names skipped');
    expect(text).toContain('1 line of report footer');
  });

  it('says the phone region and what was done with duplicates', () => {
    const text = readAs({ ...plain, region: 'GB', duplicates: 'create' });
    expect(text).toContain('phones without a country code read as GB');
    expect(text).toContain('duplicates added anyway');
  });

  it('quotes an unusual delimiter and says a file had no header row', () => {
    const text = readAs({ ...plain, delimiter: '^', no_header_row: true });
    expect(text).toContain('“^”-separated');
    expect(text).toContain('no header row');
  });
});

describe('columnTarget', () => {
  it('reads custom, ignore and fields in words', () => {
    expect(columnTarget('custom')).toBe('Custom field');
    expect(columnTarget('ignore')).toBe('Not imported');
    expect(columnTarget('first_name')).toBe('First name');
    expect(columnTarget('title')).toBe('Job title');
  });
});

describe('rowsKeptNote', () => {
  it('speaks only when rows left out were cut', () => {
    expect(rowsKeptNote(3, 3)).toBeNull();
    expect(rowsKeptNote(10000, 25000, 'en-US')).toBe('The first 10,000 of 25,000 rows left out are kept to save again');
  });
});

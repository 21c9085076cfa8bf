// What Import history says of a past import beside its counts and problems: how its file was read
// and where each column went.
import type { ImportDetails } from './api';
import { countOf, formatNumber } from './format';
import { CUSTOM, IGNORE, fieldLabel } from './importWizard';

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', tab: 'tab', '|': 'pipe' };
const DATE_ORDER_NAMES: Record<string, string> = {
  dmy: 'day / month / year',
  mdy: 'month / day / year',
  ymd: 'year / month / day',
};

/** "UTF-8, comma-separated; dates read day / month / year; 2 lines above the column names skipped". */
const DUPLICATES: Record<string, string> = {
  skip: 'duplicates skipped',
  update: 'duplicates filled in',
  create: 'duplicates added anyway (tagged possible-duplicate)',
};

export function readAs(
  d: Pick<
    ImportDetails,
    'encoding' | 'delimiter' | 'date_order' | 'dates_unclear' | 'lines_above_header' | 'footer_rows' | 'no_header_row'
  > &
    Partial<Pick<ImportDetails, 'duplicates' | 'region'>>,
): string {
  const delimiter = DELIMITER_NAMES[d.delimiter] ?? `“${d.delimiter}”`;
  const parts = [`${d.encoding}, ${delimiter}-separated`];
  const order = DATE_ORDER_NAMES[d.date_order] ?? d.date_order;
  parts.push(d.dates_unclear ? `dates read ${order} (they could be read either way)` : `dates read ${order}`);
  if (d.no_header_row) parts.push('no header row (the first row was a lead)');
  if (d.lines_above_header) parts.push(`${countOf(d.lines_above_header, 'line')} above the column names skipped`);
  if (d.footer_rows) parts.push(`${countOf(d.footer_rows, 'line')} of report footer after the data skipped`);
  if (d.region) parts.push(`phones without a country code read as ${d.region}`);
  if (d.duplicates && DUPLICATES[d.duplicates]) parts.push(DUPLICATES[d.duplicates]);
  return parts.join('; ');
}

/** Where a column went, in words: a field's name, "Custom field" or "Not imported". */
export function columnTarget(target: string): string {
  if (target === CUSTOM) return 'Custom field';
  if (target === IGNORE) return 'Not imported';
  return fieldLabel(target);
}

/** Said when the rows left out kept are fewer than there were (only the first are kept). */
export function rowsKeptNote(kept: number, failed: number, locale?: string): string | null {
  return kept < failed
    ? `The first ${formatNumber(kept, locale)} of ${formatNumber(failed, locale)} rows left out are kept to save again`
    : null;
}

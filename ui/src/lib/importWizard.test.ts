import { describe, expect, it } from 'vitest';
import type { ImportPreview } from './api';
import {
  emptyRowsNote,
  sameFileNote,
  shownListName,
  wroteSomething,
  baseName,
  buildRequest,
  columnTargets,
  confidenceLabel,
  defaultChoices,
  localeRegion,
  delimiterOptions,
  delimiterValue,
  duplicateTargets,
  encodingOptions,
  fieldLabel,
  importOutcome,
  formatBytes,
  isAcceptedFile,
  mappedSummary,
  mappingOverrides,
  mappingWarnings,
  matchBadge,
  overrideFor,
  problemsNote,
  problemGroups,
  skippedLabel,
  refusedMessage,
  repeatedHeaders,
  rowsRead,
  progressLine,
  sampleValue,
  splitFiles,
  targetOptions,
  undoQuestion,
  importedNames,
  undoText,
  withChoice,
  layoutNotes,
  importedDateOrder,
  rememberedChoices,
  choicesToRemember,
  stillRemembered,
} from './importWizard';

function preview(headers: string[], targets: string[], confidence = 1): ImportPreview {
  return {
    file: '/tmp/leads.csv',
    file_name: 'leads.csv',
    size: 120,
    encoding: 'UTF-8',
    delimiter: ',',
    headers,
    rows: [headers.map((h) => `${h} value`)],
    mapping: headers.map((header, i) => ({ header, target: targets[i] ?? 'custom', confidence })),
    fields: ['first_name', 'last_name', 'email', 'company'],
    lines_above_header: 0,
    no_header_row: false,
    date_order: null,
    dates_unclear: false,
  };
}

describe('files', () => {
  it('takes csv, tsv and txt files in any case', () => {
    expect(isAcceptedFile('/home/ada/leads.csv')).toBe(true);
    expect(isAcceptedFile('C:\\Users\\ada\\LEADS.TSV')).toBe(true);
    expect(isAcceptedFile('/tmp/export.txt')).toBe(true);
    expect(isAcceptedFile('/tmp/leads.xlsx')).toBe(false);
    expect(isAcceptedFile('/tmp/csv')).toBe(false);
    expect(isAcceptedFile('/tmp/.csv/notes')).toBe(false);
  });

  it('splits dropped paths into taken and left out, once each and in order', () => {
    expect(splitFiles(['/a.csv', '/b.png', '/c.tsv', '/a.csv', '/d.pdf'])).toEqual({
      accepted: ['/a.csv', '/c.tsv'],
      refused: ['/b.png', '/d.pdf'],
    });
    expect(splitFiles([])).toEqual({ accepted: [], refused: [] });
  });

  it('names the files left out', () => {
    expect(refusedMessage(['/tmp/photo.png'])).toBe(
      'Only CSV, TSV and TXT files can be imported — “photo.png” was left out',
    );
    expect(refusedMessage(['/tmp/a.pdf', 'C:\\x\\b.xlsx'])).toBe(
      'Only CSV, TSV and TXT files can be imported — 2 files were left out: a.pdf, b.xlsx. Save spreadsheets as CSV first.',
    );
  });

  it('shows file names and sizes', () => {
    expect(baseName('/home/ada/Leads 2026.csv')).toBe('Leads 2026.csv');
    expect(baseName('C:\\Users\\ada\\leads.csv')).toBe('leads.csv');
    expect(baseName('leads.csv')).toBe('leads.csv');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_700)).toBe('12.4 KB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
    expect(formatBytes(null)).toBe('0 B');
  });
});

describe('encoding and delimiter', () => {
  it('lists the detected encoding first, then the others once', () => {
    const options = encodingOptions('windows-1252');
    expect(options[0]).toEqual({ value: 'windows-1252', label: 'windows-1252 (detected)' });
    expect(options.map((o) => o.value)).toEqual([
      'windows-1252',
      'UTF-8',
      'UTF-16LE',
      'UTF-16BE',
      'ISO-8859-1',
      'Shift_JIS',
      'GBK',
    ]);
    expect(encodingOptions('utf-8').map((o) => o.value)).not.toContain('UTF-8');
  });

  it('names a tab "tab" and marks the detected delimiter', () => {
    expect(delimiterValue('\t')).toBe('tab');
    expect(delimiterValue(';')).toBe(';');
    const options = delimiterOptions('\t');
    expect(options.map((o) => o.value)).toEqual([',', ';', 'tab', '|']);
    expect(options[2]?.label).toBe('Tab (detected)');
    expect(delimiterOptions(':').map((o) => o.value)).toEqual([':', ',', ';', 'tab', '|']);
  });

  it('sends no override for what was detected', () => {
    expect(overrideFor('UTF-8', 'UTF-8')).toBeNull();
    expect(overrideFor('windows-1252', 'UTF-8')).toBe('windows-1252');
  });
});

describe('columns', () => {
  it('labels how sure the automatic mapping is', () => {
    expect(confidenceLabel(1)).toEqual({ tone: 'exact', label: 'exact' });
    expect(confidenceLabel(0.99)).toEqual({ tone: 'exact', label: 'exact' });
    expect(confidenceLabel(0.9).label).toBe('likely');
    expect(confidenceLabel(0.6).label).toBe('likely');
    expect(confidenceLabel(0.3).label).toBe('guess');
    expect(confidenceLabel(0)).toEqual({ tone: 'none', label: 'not matched' });
    expect(confidenceLabel(null).label).toBe('not matched');
  });

  it('badges a column by who chose its target and how sure the match is', () => {
    expect(matchBadge({ target: 'email', confidence: 1 }, false, false).label).toBe('exact');
    expect(matchBadge({ target: 'email', confidence: 1 }, false, true).label).toBe('your choice');
    expect(matchBadge({ target: 'custom', confidence: 1 }, true, false).label).toBe('repeated header');
    expect(matchBadge({ target: 'custom', confidence: 1 }, false, false)).toMatchObject({
      label: 'not matched',
      title: 'Another column matched this field better',
    });
    expect(matchBadge({ target: 'custom', confidence: 0 }, false, false).label).toBe('not matched');
    expect(matchBadge(undefined, false, false).tone).toBe('none');
  });

  it('offers every field, then custom and ignore', () => {
    const options = targetOptions(['first_name', 'linkedin_url']);
    expect(options).toEqual([
      { value: 'first_name', label: 'First name' },
      { value: 'linkedin_url', label: 'LinkedIn URL' },
      { value: 'custom', label: 'Keep as a custom field' },
      { value: 'ignore', label: 'Don’t import' },
    ]);
    expect(fieldLabel('postal_code')).toBe('Postal code');
  });

  it('samples the first non-blank value of a column', () => {
    expect(sampleValue([['', 'x'], [' ada ', 'y']], 0)).toBe('ada');
    expect(sampleValue([['a']], 3)).toBe('');
  });

  it('names repeated headers as the import does', () => {
    expect(importedNames(['Email', 'Region', 'Region (2)', ' region', 'Email', ''])).toEqual([
      'Email',
      'Region',
      'Region (2)',
      'region (3)',
      'Email (2)',
      '',
    ]);
  });

  it('finds repeated headers as the import compares them', () => {
    expect(repeatedHeaders(['Email', 'Name', ' email ', 'EMAIL', ''])).toEqual([null, null, 0, 0, null]);
  });

  it('keeps the rep’s choices by header across previews', () => {
    const p = preview(['First Name', 'E-mail', 'Notes'], ['first_name', 'email', 'custom']);
    let chosen = withChoice({}, 'Notes', 'ignore');
    chosen = withChoice(chosen, 'e-mail', 'custom');
    expect(columnTargets(p, chosen)).toEqual(['first_name', 'custom', 'ignore']);
  });

  it('leaves a repeated header at its automatic target', () => {
    const p = preview(['Email', 'Email'], ['email', 'custom']);
    expect(columnTargets(p, withChoice({}, 'Email', 'ignore'))).toEqual(['ignore', 'custom']);
  });

  it('finds fields that several columns go to', () => {
    const headers = ['Email', 'Work email', 'Name', '', 'Notes'];
    const targets = ['email', 'email', 'first_name', 'first_name', 'custom'];
    expect([...duplicateTargets(headers, targets)]).toEqual([
      ['email', ['Email', 'Work email']],
      ['first_name', ['Name', 'Column 4']],
    ]);
    expect(duplicateTargets(['A', 'B'], ['custom', 'custom']).size).toBe(0);
    expect(duplicateTargets(['A', 'B'], ['ignore', 'ignore']).size).toBe(0);
    // Several opt-out or extra email columns are meant to go together: nothing is lost.
    expect(duplicateTargets(['Unsubscribed', 'Do Not Email'], ['email_opt_out', 'email_opt_out']).size).toBe(0);
    expect(duplicateTargets(['E-mail', 'Work email'], ['email_secondary', 'email_secondary']).size).toBe(0);
  });

  it('warns about shared targets and a missing email or name', () => {
    expect(mappingWarnings(['Email', 'Mail', 'First'], ['email', 'email', 'first_name'])).toEqual([
      '“Email” and “Mail” both go to Email — each lead takes the first filled one; the others are kept as custom fields.',
    ]);
    expect(mappingWarnings(['A', 'B', 'C'], ['company', 'company', 'company'])[0]).toContain('“A”, “B” and “C” all go to');
    expect(mappingWarnings(['Company'], ['company'])).toEqual([
      'No column goes to Email or a name — rows without a company or phone will be left out.',
    ]);
    expect(mappingWarnings(['Name'], ['full_name'])[0]).toMatch(/^No column goes to Email —/);
    expect(mappingWarnings(['Email'], ['email'])[0]).toMatch(/^No column goes to a name/);
    expect(mappingWarnings(['Email', 'Last'], ['email', 'last_name'])).toEqual([]);
  });

  it('counts the columns that will be imported', () => {
    expect(mappedSummary(['email', 'ignore', 'custom'])).toBe('2 of 3 columns will be imported');
    expect(mappedSummary(['email'])).toBe('1 of 1 column will be imported');
  });
});

describe('the request', () => {
  it('is built from the previewed file, the overrides, every column and the options', () => {
    const p = preview(['First Name', 'Email', 'Notes'], ['first_name', 'email', 'custom']);
    const targets = columnTargets(p, withChoice({}, 'Notes', 'ignore'));
    const request = buildRequest(
      '/tmp/leads.csv',
      { encoding: 'windows-1252', delimiter: null },
      p.headers,
      targets,
      { duplicates: 'update', dateOrder: 'dmy', region: ' gb ', listName: '  Trade show ' },
      true,
    );
    expect(request).toEqual({
      shape: { path: '/tmp/leads.csv', encoding: 'windows-1252', delimiter: null },
      mapping: [
        { header: 'First Name', target: 'first_name' },
        { header: 'Email', target: 'email' },
        { header: 'Notes', target: 'ignore' },
      ],
      duplicates: 'update',
      date_order: 'dmy',
      region: 'GB',
      list_name: 'Trade show',
      dry_run: true,
    });
  });

  it('has defaults: skip duplicates, dates as the file writes them, US phones, no list', () => {
    const request = buildRequest('/x.csv', { encoding: null, delimiter: 'tab' }, ['Email'], ['email'], defaultChoices(), false);
    expect(request).toMatchObject({ duplicates: 'skip', date_order: 'auto', region: 'US', list_name: null, dry_run: false });
    expect(request.shape.delimiter).toBe('tab');
    const blankRegion = buildRequest('/x.csv', { encoding: null, delimiter: null }, [], [], { ...defaultChoices(), region: ' ' }, false);
    expect(blankRegion.region).toBe('US');
  });

  it('sends a repeated header once (the import finds columns by header)', () => {
    expect(mappingOverrides(['Email', 'Name', 'email'], ['email', 'first_name', 'custom'])).toEqual([
      { header: 'Email', target: 'email' },
      { header: 'Name', target: 'first_name' },
    ]);
  });
});

describe('results', () => {
  it('says when the problem list was cut short', () => {
    expect(problemsNote(500, 1234, 'en-US')).toBe('Showing the first 500 of 1,234 problems');
    expect(problemsNote(3, 3)).toBeNull();
    expect(problemsNote(0, null)).toBeNull();
  });

  it('puts skipped duplicates under their own heading, each part in row order', () => {
    const p = (row: number, reason: string, kept = false) => ({ row, column: 'Email', value: 'x', reason, kept });
    const groups = problemGroups(
      [
        p(9, 'kept as text', true),
        p(4, 'a lead with this email already exists; skipped'),
        p(7, 'leads.email: bad'),
        p(3, 'duplicate of row 2 (same email); skipped'),
        p(2, 'kept too', true),
        p(5, 'this lead was deleted here; `outpost leads restore abc` first to import into it'),
      ],
      true,
    );
    expect(groups.map((g) => [g.title, g.problems.map((x) => x.row)])).toEqual([
      ['Rows that would be left out', [7]],
      ['Duplicates that would be skipped', [3, 4, 5]],
      ['Notes — these rows would still be imported', [2, 9]],
    ]);
    expect(groups[1].problems[2].reason).toBe('this lead was deleted in Outpost; restore it first to import into it');
    expect(problemGroups([p(1, 'kept', true)], false).map((g) => g.title)).toEqual(['Notes — these rows were imported']);
    expect(skippedLabel(3, false)).toBe('skipped (duplicates, 3 already up to date)');
    expect(skippedLabel(0, true)).toBe('would be skipped (duplicates)');
  });

  it('counts rows read and what an undo did', () => {
    expect(rowsRead(12000, 'en-US')).toBe('12,000 rows read');
    expect(rowsRead(1)).toBe('1 row read');
    expect(progressLine(5000, 'reading rows', 'en-US')).toBe('5,000 rows read');
    expect(progressLine(1000000, 'indexing for search', 'en-US')).toBe('1,000,000 rows read · indexing for search…');
    expect(progressLine(0, 'waiting for a sync or another import to finish writing', 'en-US')).toBe(
      'Waiting for a sync or another import to finish writing…',
    );
    expect(undoText(3, 1, 0, 'en-US')).toBe('Import undone: 3 leads removed, 1 restored');
    expect(undoText(0, 2, 1, 'en-US')).toBe(
      'Import undone: 0 leads removed, 2 restored; 1 lead changed since the import keeps its changes',
    );
    expect(undoText(1, null)).toBe('Import undone: 1 lead removed, 0 restored');
    expect(undoText(0, 1, 0, 'en-US', 1)).toBe('Import undone: 0 leads removed, 1 restored; 1 lead it opted out stays opted out');
  });
});

describe('import outcome and undo question', () => {
  const summary = { rows: 8, created: 4, updated: 0, merged: 0, skipped: 0, failed: 4 };

  it('says what an import did, the zero counts left out', () => {
    expect(importOutcome(summary)).toBe('4 leads created, 4 rows left out');
    expect(importOutcome({ ...summary, created: 1, failed: 0, updated: 2, skipped: 1 })).toBe(
      '1 lead created, 2 existing leads updated, 1 duplicate skipped',
    );
    expect(importOutcome({ ...summary, merged: 1 })).toBe('4 leads created, 1 row merged into another, 4 rows left out');
  });

  it('does not read as a success when nothing was created or changed', () => {
    expect(importOutcome({ ...summary, created: 0, skipped: 2, failed: 6 })).toBe(
      'No leads created: 2 duplicates skipped, 6 rows left out',
    );
    expect(importOutcome({ rows: 0, created: 0, updated: 0, merged: 0, skipped: 0, failed: 0 })).toBe(
      'The file had no rows to import',
    );
  });

  it('asks before an undo with what goes and what stays', () => {
    expect(undoQuestion(4, 0, 1)).toBe(
      'Undo this import? 3 leads it created will be removed (1 worked on since stays).',
    );
    expect(undoQuestion(7, 0, 1)).toContain('6 leads it created will be removed (1 worked on since stays)');
    expect(undoQuestion(1, 1, null)).toBe(
      'Undo this import? 1 lead it created will be removed; 1 updated lead gets its earlier values back.',
    );
    expect(undoQuestion(1200, 3, 2, 'en-US')).toContain('1,198 leads it created will be removed (2 worked on since stay)');
  });

  it('never says 0 leads will be removed', () => {
    expect(undoQuestion(0, 3, 0)).toBe('Undo this import? It created no leads; 3 updated leads get their earlier values back.');
    expect(undoQuestion(2, 0, 2)).toContain('The 2 leads it created stay (all worked on since)');
    expect(undoQuestion(1, 0, 1)).toContain('The lead it created stays (worked on since)');
    // A lead an undone import made, kept then for this one's update, goes with it (QA: the question
    // said nothing of it, and it was removed for good).
    expect(undoQuestion(0, 1, 0, undefined, 1)).toBe(
      "Undo this import? It created no leads; 1 lead it updated from an import undone earlier goes too (kept then only for this import's changes).",
    );
    expect(undoQuestion(0, 3, 0, 'en-US', 2)).toBe(
      "Undo this import? It created no leads; 1 updated lead gets its earlier values back; 2 leads it updated from an import undone earlier go too (kept then only for this import's changes).",
    );
  });

  it('tells the two kinds of custom field apart', () => {
    expect(fieldLabel('custom')).toBe('Keep as a custom field');
    expect(fieldLabel('custom_fields')).toBe('Custom fields (JSON object)');
  });
});

describe('layoutNotes', () => {
  it('says what the file step found beyond size and columns', () => {
    expect(layoutNotes({ lines_above_header: 0, no_header_row: false, date_order: null })).toEqual([]);
    expect(layoutNotes({ lines_above_header: 0, no_header_row: false, date_order: 'mdy' })).toEqual([
      'dates written month / day / year',
    ]);
    expect(layoutNotes({ lines_above_header: 0, no_header_row: false, date_order: null, dates_unclear: true })).toEqual([
      'dates that read either way (03/04): month / day / year unless you choose in Options',
    ]);
    expect(layoutNotes({ lines_above_header: 2, no_header_row: true, date_order: 'dmy' })).toEqual([
      'no header row: the first row is a lead, the columns are numbered',
      '2 lines of title or notes above the column names (skipped)',
      'dates written day / month / year',
    ]);
  });
});

describe('importedDateOrder', () => {
  it('imports in the order the file step said, unless the rep chose one', () => {
    expect(importedDateOrder('auto', 'dmy')).toBe('dmy');
    expect(importedDateOrder('auto', null)).toBe('auto');
    expect(importedDateOrder('mdy', 'dmy')).toBe('mdy');
  });
});

describe('column choices remembered from earlier imports', () => {
  const p = preview(['Account Name', 'E-mail', 'Rating', 'Rating', 'Ref'], ['custom', 'email', 'custom', 'custom', 'custom']);

  it('applies those for this file’s headers that differ from the automatic match and are offered', () => {
    const memory = { 'account name': 'company', 'e-mail': 'email', rating: 'ignore', ref: 'no_such_field', other: 'company' };
    // E-mail matches as remembered already; the repeated Rating keeps its automatic match but the
    // first one takes the choice; an unknown field is not offered.
    expect(rememberedChoices(p, memory)).toEqual({ 'account name': 'company', rating: 'ignore' });
    expect(rememberedChoices({ ...p, no_header_row: true }, memory)).toEqual({});
    expect(columnTargets(p, rememberedChoices(p, memory))).toEqual(['company', 'email', 'ignore', 'custom', 'custom']);
  });

  it('says which are still as remembered, and remembers only this file’s headers', () => {
    const applied = { 'account name': 'company', rating: 'ignore' };
    expect(stillRemembered({ ...applied, ref: 'ignore' }, applied)).toEqual(['account name', 'rating']);
    expect(stillRemembered({ 'account name': 'last_name', rating: 'ignore' }, applied)).toEqual(['rating']);
    expect(choicesToRemember(p, { 'account name': 'company', 'name;email': 'email' })).toEqual({ 'account name': 'company' });
    expect(choicesToRemember({ ...p, no_header_row: true }, { 'column 1': 'email' })).toEqual({});
    // A remembered choice the rep sent back to the automatic match: the match is remembered.
    expect(choicesToRemember(p, {}, ['rating'])).toEqual({ rating: 'custom' });
    // Only this preview's headers count as still remembered.
    expect(stillRemembered({ rating: 'ignore', gone: 'ignore' }, { rating: 'ignore', gone: 'ignore' }, p)).toEqual(['rating']);
  });

  it('badges a remembered column as such', () => {
    expect(matchBadge({ target: 'company', confidence: 0 }, false, true, true).label).toBe('as last time');
    expect(matchBadge({ target: 'company', confidence: 0 }, false, true).label).toBe('your choice');
  });
});

describe('localeRegion', () => {
  it('reads the country of a language tag', () => {
    expect(localeRegion('en-GB')).toBe('GB');
    expect(localeRegion('de-DE')).toBe('DE');
    expect(localeRegion('zh-Hant-TW')).toBe('TW');
    expect(localeRegion('fr_CA.UTF-8')).toBe('CA');
    expect(defaultChoices(localeRegion('pt-BR')).region).toBe('BR');
  });

  it('is the US without a country', () => {
    for (const tag of ['de', '', null, undefined, 'es-419', 'x']) expect(localeRegion(tag)).toBe('US');
  });
});

describe('sameFileNote', () => {
  it('says how many rows of a file imported before would be added again, and why', () => {
    expect(sameFileNote({ created: 0 }, true, 'skip')).toBe(
      'This file was imported before; nothing in it would be added twice.',
    );
    expect(sameFileNote({ created: 2 }, true, 'skip')).toBe(
      'This file was imported before: 2 rows would be added again as new leads (no email or LinkedIn profile to match them by, or their leads are gone since).',
    );
    expect(sameFileNote({ created: 1200 }, true, 'create', 'en-US')).toBe(
      'This file was imported before: 1,200 rows would be added again as new leads (duplicates are set to be created).',
    );
    expect(sameFileNote({ created: 1 }, false, 'update')).toBe(
      'This file was imported before: 1 row was added again as a new lead (no email or LinkedIn profile to match it by, or its lead is gone since). Undo this import if that was a mistake.',
    );
    expect(sameFileNote({ created: null }, false, 'skip')).toContain('nothing in it was added twice');
  });
});

describe('wroteSomething', () => {
  it('is true when a lead was (or would be) created, updated or merged into', () => {
    expect(wroteSomething({ created: 0, updated: 0, merged: 0 })).toBe(false);
    expect(wroteSomething({ created: null, updated: null, merged: null })).toBe(false);
    expect(wroteSomething({ created: 0, updated: 1, merged: 0 })).toBe(true);
    expect(wroteSomething({ created: 0, updated: 0, merged: 2 })).toBe(true);
  });
});

describe('shownListName', () => {
  it('names an existing list as it is named, whatever the case typed', () => {
    expect(shownListName('  messe 2026 ', ['Q4', 'Messe 2026'])).toBe('Messe 2026');
    expect(shownListName('New one', ['Q4'])).toBe('New one');
    expect(shownListName('   ', ['Q4'])).toBeNull();
  });
});

describe('emptyRowsNote', () => {
  it('says how many rows of only delimiters were skipped', () => {
    expect(emptyRowsNote(0)).toBeNull();
    expect(emptyRowsNote(1)).toBe('1 empty row (nothing but delimiters) skipped like blank lines.');
    expect(emptyRowsNote(1200, 'en-US')).toBe('1,200 empty rows (nothing but delimiters) skipped like blank lines.');
  });
});

// The import wizard's decisions, kept out of the component so they can be tested: which dropped
// files are taken, the encoding/delimiter choices, how sure the automatic column mapping is, the
// warnings about the mapping, and the request sent for a dry run or the import itself.
import type { Duplicates, ImportPreview, ImportRequest, ImportSummary, MappingOverride, Problem } from './api';
import { countOf, formatNumber, humanize } from './format';

export const STEPS = ['File', 'Columns', 'Options', 'Check', 'Done'] as const;
export type Step = 1 | 2 | 3 | 4 | 5;

export interface Option {
  value: string;
  label: string;
}

// ---- Files ------------------------------------------------------------------------------------

export const ACCEPTED_EXTENSIONS: readonly string[] = ['csv', 'tsv', 'txt'];

/** "/home/ada/Leads 2026.csv" → "Leads 2026.csv" (either slash: Windows paths too). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

export function isAcceptedFile(path: string): boolean {
  const ext = /\.([^.\\/]+)$/.exec(path.trim())?.[1]?.toLowerCase();
  return ext !== undefined && ACCEPTED_EXTENSIONS.includes(ext);
}

/** Dropped or picked paths → the ones the wizard takes (in order, once each) and the others. */
export function splitFiles(paths: readonly string[]): { accepted: string[]; refused: string[] } {
  const accepted: string[] = [];
  const refused: string[] = [];
  for (const p of new Set(paths)) (isAcceptedFile(p) ? accepted : refused).push(p);
  return { accepted, refused };
}

/** The toast for files left out of a drop. */
export function refusedMessage(refused: readonly string[]): string {
  const names = refused.map(baseName);
  const which = names.length === 1 ? `“${names[0]}” was left out` : `${names.length} files were left out: ${names.join(', ')}`;
  const spreadsheet = names.some((n) => /\.(xlsx?|ods|numbers)$/i.test(n));
  return `Only CSV, TSV and TXT files can be imported — ${which}${spreadsheet ? '. Save spreadsheets as CSV first.' : ''}`;
}

/** 12_700 → "12.4 KB". */
export function formatBytes(bytes: number | null | undefined): string {
  const n = bytes ?? 0;
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

// ---- How the file is read ---------------------------------------------------------------------

export const ENCODINGS: readonly string[] = ['UTF-8', 'UTF-16LE', 'UTF-16BE', 'windows-1252', 'ISO-8859-1', 'Shift_JIS', 'GBK'];

/** The detected encoding first (marked), then the usual ones; the value is the label Rust reads. */
export function encodingOptions(detected: string): Option[] {
  const rest = ENCODINGS.filter((e) => e.toLowerCase() !== detected.toLowerCase());
  return [{ value: detected, label: `${detected} (detected)` }, ...rest.map((e) => ({ value: e, label: e }))];
}

const DELIMITERS: readonly Option[] = [
  { value: ',', label: 'Comma ( , )' },
  { value: ';', label: 'Semicolon ( ; )' },
  { value: 'tab', label: 'Tab' },
  { value: '|', label: 'Pipe ( | )' },
];

/** The preview reports the character itself; the select (and Rust) name a tab "tab". */
export function delimiterValue(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}

/** The four usual delimiters with the detected one marked (an unusual one is listed first). */
export function delimiterOptions(detected: string): Option[] {
  const value = delimiterValue(detected);
  const known = DELIMITERS.some((d) => d.value === value);
  const options = DELIMITERS.map((d) => (d.value === value ? { value, label: `${d.label} (detected)` } : d));
  return known ? options : [{ value, label: `“${value}” (detected)` }, ...options];
}

/** A choice equal to what was detected is no override: Rust detects it again the same way. */
export function overrideFor(choice: string, detected: string): string | null {
  return choice === detected ? null : choice;
}

// ---- Columns ----------------------------------------------------------------------------------

export const CUSTOM = 'custom';
export const IGNORE = 'ignore';

const isField = (t: string) => t !== CUSTOM && t !== IGNORE;

const FIELD_LABELS: Record<string, string> = {
  external_id: 'External ID',
  email_secondary: 'Secondary email',
  company_alt: 'Company (other name)',
  title: 'Job title',
  linkedin_url: 'LinkedIn URL',
  employees: 'Company size',
  industry: 'Industry',
  state: 'State / region',
  created_at: 'Created on (original)',
  email_opt_out: 'Email opt-out',
  next_follow_up_at: 'Next follow-up',
  ai_context_summary: 'AI summary',
  last_contacted_at: 'Last contacted',
  last_reply_at: 'Last reply',
  emails_sent_count: 'Emails sent',
  predicted_value: 'Deal value',
  // Not the same as CUSTOM: a column holding a whole JSON object of custom fields (as Outpost's
  // own export writes them), merged into the lead's.
  custom_fields: 'Custom fields (JSON object)',
};

/** Fields several columns may fill together (the importer's MANY_COLUMNS): any opt-out column
 * saying yes wins, a further email column stands in for an empty email, tags columns add up. */
const MANY_COLUMNS = ['email_opt_out', 'email_secondary', 'tags'];

/** "first_name" → "First name", with the few that read better spelled out. */
export function fieldLabel(field: string): string {
  if (field === CUSTOM) return 'Keep as a custom field';
  if (field === IGNORE) return 'Don’t import';
  return FIELD_LABELS[field] ?? humanize(field);
}

/** Every field a column can go to, then "custom" and "ignore". */
export function targetOptions(fields: readonly string[]): Option[] {
  return [...fields, CUSTOM, IGNORE].map((f) => ({ value: f, label: fieldLabel(f) }));
}

export type Confidence = 'exact' | 'likely' | 'guess' | 'none';

/** How sure the automatic mapping is: 1 an exact synonym … 0 not recognised. */
export function confidenceLabel(confidence: number | null | undefined): { tone: Confidence; label: string } {
  const c = confidence ?? 0;
  if (c >= 0.99) return { tone: 'exact', label: 'exact' };
  if (c >= 0.6) return { tone: 'likely', label: 'likely' };
  if (c > 0) return { tone: 'guess', label: 'guess' };
  return { tone: 'none', label: 'not matched' };
}

/**
 * The badge of a column's match: the rep's own choice, a repeated header (which keeps its
 * automatic target), a column the automatic mapping left out because another matched the same
 * field better, else how sure the automatic match is.
 */
export function matchBadge(
  auto: { target: string; confidence: number | null } | undefined,
  repeated: boolean,
  chosen: boolean,
  remembered = false,
): { tone: Confidence | 'chosen'; label: string; title: string } {
  if (chosen && remembered) {
    return { tone: 'chosen', label: 'as last time', title: 'Your choice for this header in an earlier import' };
  }
  if (chosen) return { tone: 'chosen', label: 'your choice', title: 'You chose where this column goes' };
  if (repeated) {
    return { tone: 'none', label: 'repeated header', title: 'An earlier column has the same header; this one keeps its automatic match' };
  }
  if (auto && !isField(auto.target) && (auto.confidence ?? 0) > 0) {
    return { tone: 'none', label: 'not matched', title: 'Another column matched this field better' };
  }
  const c = confidenceLabel(auto?.confidence);
  return { ...c, title: c.tone === 'none' ? 'Outpost doesn’t recognise this header' : `Matched automatically (${c.label})` };
}

/** A column's first non-blank value in the preview rows, to show what it holds. */
export function sampleValue(rows: readonly (readonly string[])[], column: number): string {
  for (const row of rows) {
    const v = row[column]?.trim();
    if (v) return v;
  }
  return '';
}

export const headerKey = (h: string) => h.trim().toLowerCase();

/**
 * For each column, the index of an earlier column with the same header (compared as the import
 * does: trimmed, any case), else null. The import addresses columns by header, so a repeated
 * header keeps its automatic mapping and only the first such column can be changed.
 */
export function repeatedHeaders(headers: readonly string[]): (number | null)[] {
  const first = new Map<string, number>();
  return headers.map((h, i) => {
    const k = headerKey(h);
    const seen = first.get(k);
    if (seen !== undefined) return seen;
    first.set(k, i);
    return null;
  });
}

/**
 * The name each column is imported under, as the import names it (crates/import `name_repeats`):
 * its header, or for a repeated one "Region (2)", "Region (3)"… passing over names the file has.
 */
export function importedNames(headers: readonly string[]): string[] {
  const taken = new Set(headers.map(headerKey));
  const seen = new Set<string>();
  return headers.map((h) => {
    if (!h.trim() || !seen.has(headerKey(h))) {
      seen.add(headerKey(h));
      return h;
    }
    let n = 2;
    while (taken.has(headerKey(`${h.trim()} (${n})`))) n++;
    const name = `${h.trim()} (${n})`;
    taken.add(headerKey(name));
    seen.add(headerKey(name));
    return name;
  });
}

/** The target per column: the rep's choice for a header if made, else the automatic one. */
export function columnTargets(preview: ImportPreview, chosen: Readonly<Record<string, string>>): string[] {
  const repeated = repeatedHeaders(preview.headers);
  return preview.headers.map((h, i) => {
    const auto = preview.mapping[i]?.target ?? CUSTOM;
    if (repeated[i] !== null) return auto;
    return chosen[headerKey(h)] ?? auto;
  });
}

/**
 * The column choices remembered from earlier imports that apply to this file, keyed like the rep's
 * own: for its headers (a file without a header row has numbered columns, nothing to know them
 * by), for a field this import offers, and only where they differ from the automatic match.
 */
export function rememberedChoices(
  preview: ImportPreview,
  remembered: Readonly<Record<string, string>>,
): Record<string, string> {
  if (preview.no_header_row) return {};
  const offered = new Set([CUSTOM, IGNORE, ...preview.fields]);
  const repeated = repeatedHeaders(preview.headers);
  const applied: Record<string, string> = {};
  preview.headers.forEach((h, i) => {
    const key = headerKey(h);
    const target = remembered[key];
    if (!key || repeated[i] !== null || target === undefined || !offered.has(target)) return;
    if (target !== (preview.mapping[i]?.target ?? CUSTOM)) applied[key] = target;
  });
  return applied;
}

/** What an import that went through leaves to remember: the rep's choices for this file's headers
 *  (earlier previews' headers, under another delimiter, are not this file's), and for the headers
 *  the rep sent back to the automatic match, that match (so the next file starts from it too). */
export function choicesToRemember(
  preview: ImportPreview,
  chosen: Readonly<Record<string, string>>,
  reset: readonly string[] = [],
): Record<string, string> {
  if (preview.no_header_row) return {};
  const keep: Record<string, string> = {};
  preview.headers.forEach((h, i) => {
    const key = headerKey(h);
    if (key in chosen) keep[key] = chosen[key] ?? CUSTOM;
    else if (reset.includes(key)) keep[key] = preview.mapping[i]?.target ?? CUSTOM;
  });
  return keep;
}

/** The remembered choices the rep has not changed since they were applied, among this preview's
 *  headers. */
export function stillRemembered(
  chosen: Readonly<Record<string, string>>,
  applied: Readonly<Record<string, string>>,
  preview?: ImportPreview,
): string[] {
  const here = preview ? new Set(preview.headers.map(headerKey)) : null;
  return Object.keys(applied).filter((key) => chosen[key] === applied[key] && (!here || here.has(key)));
}

/** Remembers a choice by header, so it survives a new preview (another encoding or delimiter). */
export function withChoice(chosen: Readonly<Record<string, string>>, header: string, target: string): Record<string, string> {
  return { ...chosen, [headerKey(header)]: target };
}

export function isChosen(chosen: Readonly<Record<string, string>>, header: string): boolean {
  return headerKey(header) in chosen;
}

/** A header as the rep reads it (an empty one is "Column 4", as the import names it). */
export function columnName(header: string, index: number): string {
  return header.trim() ? header : `Column ${index + 1}`;
}

/** Fields that more than one column goes to, with those columns' names. */
export function duplicateTargets(headers: readonly string[], targets: readonly string[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  targets.forEach((t, i) => {
    if (!isField(t) || MANY_COLUMNS.includes(t)) return;
    by.set(t, [...(by.get(t) ?? []), columnName(headers[i] ?? '', i)]);
  });
  return new Map([...by].filter(([, columns]) => columns.length > 1));
}

const NAME_FIELDS = ['first_name', 'last_name', 'full_name'];

/** What to point out before importing (none of it stops the import). */
export function mappingWarnings(headers: readonly string[], targets: readonly string[]): string[] {
  const warnings: string[] = [];
  for (const [field, columns] of duplicateTargets(headers, targets)) {
    const quoted = columns.map((c) => `“${c}”`);
    const list = `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
    const all = columns.length === 2 ? 'both' : 'all';
    warnings.push(
      `${list} ${all} go to ${fieldLabel(field)} — each lead takes the first filled one; the others are kept as custom fields.`,
    );
  }
  const hasEmail = targets.includes('email');
  const hasName = targets.some((t) => NAME_FIELDS.includes(t));
  if (!hasEmail && !hasName) {
    warnings.push('No column goes to Email or a name — rows without a company or phone will be left out.');
  } else if (!hasEmail) {
    warnings.push('No column goes to Email — existing leads can’t be recognised, so duplicates may be created.');
  } else if (!hasName) {
    warnings.push('No column goes to a name (First name, Last name or Full name) — leads will be shown by email.');
  }
  return warnings;
}

/** "9 of 12 columns will be imported". */
export function mappedSummary(targets: readonly string[]): string {
  const kept = targets.filter((t) => t !== IGNORE).length;
  return `${kept} of ${targets.length} ${targets.length === 1 ? 'column' : 'columns'} will be imported`;
}

// ---- Options and the request --------------------------------------------------------------------

/** 'auto': as the file's own dates say (a 25/12/2023 is day/month/year), month/day/year when unclear. */
export type DateOrder = 'auto' | 'mdy' | 'dmy' | 'ymd';

export interface ImportChoices {
  duplicates: Duplicates;
  dateOrder: DateOrder;
  /** Phone numbers without a country code are read as this region's. */
  region: string;
  /** Optional: a list the imported leads join (created if new). */
  listName: string;
}

/** An import's first choices; phones without a country code are read as `region`'s (the one the
 *  rep chose last, or their system's: see `localeRegion`). */
export function defaultChoices(region = 'US'): ImportChoices {
  return { duplicates: 'skip', dateOrder: 'auto', region, listName: '' };
}

/** The country a language tag names ("en-GB" → "GB", "zh-Hant-TW" → "TW"); US without one. A rep
 *  in London whose file writes 020 7946 0958 means a British number. */
export function localeRegion(language: string | null | undefined): string {
  const m = /^[a-z]{2,3}(?:[-_][A-Za-z]{4})?[-_]([A-Za-z]{2})(?:$|[-_.@])/.exec(language ?? '');
  return m ? m[1].toUpperCase() : 'US';
}

export const DUPLICATE_CHOICES: readonly { value: Duplicates; label: string; hint: string }[] = [
  { value: 'skip', label: 'Skip — keep the existing lead', hint: 'A row whose email is already in Outpost is left out.' },
  {
    value: 'update',
    label: 'Update — overwrite the existing lead with the row',
    hint: 'Each value in the row replaces the lead’s; empty cells change nothing. Tags are added, notes added below the lead’s, custom fields added to its own.',
  },
  { value: 'create', label: 'Create anyway — tagged possible-duplicate', hint: 'A second lead is added; you can merge later.' },
];

export const DATE_ORDERS: readonly Option[] = [
  { value: 'auto', label: 'As the file’s dates are written (month / day / year when unclear)' },
  { value: 'mdy', label: 'Month / day / year (03/28/2026)' },
  { value: 'dmy', label: 'Day / month / year (28/03/2026)' },
  { value: 'ymd', label: 'Year / month / day (2026/03/28)' },
];

/** The date order an import is sent with: the rep's choice, or for "as the file's dates are
 *  written" the order the file step found and said (the import would look at the mapped date
 *  columns only, and could read them otherwise). */
export function importedDateOrder(choice: DateOrder, found: string | null): DateOrder {
  if (choice !== 'auto') return choice;
  return found === 'dmy' || found === 'mdy' || found === 'ymd' ? found : 'auto';
}

/** What the file step says about how the file is laid out, beyond its size and columns. */
export function layoutNotes(preview: {
  lines_above_header: number | null;
  no_header_row: boolean;
  date_order?: string | null;
  dates_unclear?: boolean;
}): string[] {
  const notes: string[] = [];
  if (preview.no_header_row) notes.push('no header row: the first row is a lead, the columns are numbered');
  if (preview.lines_above_header) {
    notes.push(`${countOf(preview.lines_above_header, 'line')} of title or notes above the column names (skipped)`);
  }
  if (preview.date_order === 'dmy') notes.push('dates written day / month / year');
  if (preview.date_order === 'mdy') notes.push('dates written month / day / year');
  if (preview.dates_unclear) notes.push('dates that read either way (03/04): month / day / year unless you choose in Options');
  return notes;
}

/** One override per header: the import finds columns by header, so a repeated one is sent once. */
export function mappingOverrides(headers: readonly string[], targets: readonly string[]): MappingOverride[] {
  const repeated = repeatedHeaders(headers);
  return headers.flatMap((header, i) => (repeated[i] === null ? [{ header, target: targets[i] ?? CUSTOM }] : []));
}

/** The dry run's or the import's request: the file as previewed, the mapping and the options. */
export function buildRequest(
  path: string,
  shape: { encoding: string | null; delimiter: string | null },
  headers: readonly string[],
  targets: readonly string[],
  choices: ImportChoices,
  dryRun: boolean,
): ImportRequest {
  return {
    shape: { path, encoding: shape.encoding, delimiter: shape.delimiter },
    mapping: mappingOverrides(headers, targets),
    duplicates: choices.duplicates,
    date_order: choices.dateOrder,
    region: choices.region.trim().toUpperCase() || 'US',
    list_name: choices.listName.trim() || null,
    dry_run: dryRun,
  };
}

// ---- Results ----------------------------------------------------------------------------------

/** "Showing the first 500 of 1,234 problems", when the list was cut short. */
export function problemsNote(shown: number, total: number | null, locale?: string): string | null {
  const t = total ?? shown;
  return t > shown ? `Showing the first ${formatNumber(shown, locale)} of ${formatNumber(t, locale)} problems` : null;
}

export interface ProblemGroup {
  kind: 'left-out' | 'skipped' | 'notes';
  title: string;
  problems: Problem[];
}

// The store ends a skipped duplicate's reason with "skipped"; a lead deleted here is skipped too.
const SKIPPED = /(?:^|[;,]\s*)skipped$|^this lead was deleted here\b/;

/** The problem list in three parts, each in row order: rows left out, duplicates skipped (they are
 *  not imported, so they are not among the notes), and notes on rows imported anyway. */
export function problemGroups(problems: readonly Problem[], dryRun: boolean): ProblemGroup[] {
  const groups: ProblemGroup[] = [
    { kind: 'left-out', title: dryRun ? 'Rows that would be left out' : 'Rows left out', problems: [] },
    { kind: 'skipped', title: dryRun ? 'Duplicates that would be skipped' : 'Duplicates skipped', problems: [] },
    { kind: 'notes', title: dryRun ? 'Notes — these rows would still be imported' : 'Notes — these rows were imported', problems: [] },
  ];
  for (const p of problems) {
    const group = p.kept ? groups[2] : SKIPPED.test(p.reason.trim()) ? groups[1] : groups[0];
    group.problems.push({ ...p, reason: problemReason(p.reason) });
  }
  // Sorted stably: a row's several notes keep their order.
  for (const g of groups) g.problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return groups.filter((g) => g.problems.length > 0);
}

/** The store's reason, reworded where it speaks to the command line. */
function problemReason(reason: string): string {
  return /^this lead was deleted here\b/.test(reason)
    ? 'this lead was deleted in Outpost; restore it first to import into it'
    : reason;
}

/** "… skipped (duplicates)", saying how many of them were already up to date. */
export function skippedLabel(unchanged: number | null, dryRun: boolean, locale?: string): string {
  const base = dryRun ? 'would be skipped (duplicates' : 'skipped (duplicates';
  const u = unchanged ?? 0;
  return u > 0 ? `${base}, ${formatNumber(u, locale)} already up to date)` : `${base})`;
}

/** The result's count tiles (created, updated, merged when any, skipped, left out), their test ids
 *  starting with `prefix`. */
export function summaryCounts(
  summary: Pick<ImportSummary, 'created' | 'updated' | 'merged' | 'skipped' | 'unchanged' | 'failed'>,
  prefix: string,
): { label: string; value: number | null; testid: string; tone?: 'good' | 'bad' }[] {
  return [
    { label: 'leads created', value: summary.created, testid: `${prefix}-created`, tone: 'good' },
    { label: 'existing leads updated', value: summary.updated, testid: `${prefix}-updated` },
    ...(summary.merged
      ? [{ label: 'rows merged into a lead an earlier row made or updated', value: summary.merged, testid: `${prefix}-merged` }]
      : []),
    { label: skippedLabel(summary.unchanged, false), value: summary.skipped, testid: `${prefix}-skipped` },
    { label: 'rows left out', value: summary.failed, testid: `${prefix}-failed`, tone: 'bad' },
  ];
}

/** "12,000 rows read". */
export function rowsRead(rows: number, locale?: string): string {
  return `${formatNumber(rows, locale)} ${rows === 1 ? 'row' : 'rows'} read`;
}

/** The line under the progress bar: rows read, and after the rows what a big import is busy with. */
export function progressLine(rows: number, stage: string, locale?: string): string {
  // Before the first row: the import waits for another writer (a sync, another import).
  if (rows === 0 && stage.startsWith('waiting')) return `${stage[0].toUpperCase()}${stage.slice(1)}…`;
  const read = rowsRead(rows, locale);
  return stage && stage !== 'reading rows' ? `${read} · ${stage}…` : read;
}

export function undoText(
  removed: number | null,
  restored: number | null,
  kept: number | null = 0,
  locale?: string,
  optOutsKept: number | null = 0,
): string {
  const r = removed ?? 0;
  const s = restored ?? 0;
  let done = `Import undone: ${formatNumber(r, locale)} ${r === 1 ? 'lead' : 'leads'} removed, ${formatNumber(s, locale)} restored`;
  if (kept) {
    const k = formatNumber(kept, locale);
    done += `; ${k} ${kept === 1 ? 'lead' : 'leads'} changed since the import ${kept === 1 ? 'keeps its' : 'keep their'} changes`;
  }
  // The store never clears an opt-out: not a change made since, said as what it is.
  if (optOutsKept) {
    const o = formatNumber(optOutsKept, locale);
    done += `; ${o} ${optOutsKept === 1 ? 'lead' : 'leads'} it opted out ${optOutsKept === 1 ? 'stays' : 'stay'} opted out`;
  }
  return done;
}

/** Import history's question before an undo: what goes, what stays, what gets its values back.
 *  `workedOn` (of the created leads, those changed since) is null until known; `orphans` are
 *  updated leads an import undone earlier made, kept then only for this import's changes: they go
 *  with it instead of getting values back. */
export function undoQuestion(
  created: number | null,
  updated: number | null,
  workedOn: number | null,
  locale?: string,
  orphans: number | null = 0,
): string {
  const c = created ?? 0;
  const o = Math.min(orphans ?? 0, updated ?? 0);
  const u = (updated ?? 0) - o;
  // The worked-on leads are among the created ones and stay: the rest are removed.
  const w = Math.min(workedOn ?? 0, c);
  const gone = c - w;
  const kept = w ? ` (${formatNumber(w, locale)} worked on since ${w === 1 ? 'stays' : 'stay'})` : '';
  let removed: string;
  if (c === 0) removed = 'it created no leads';
  else if (gone === 0) removed = c === 1 ? 'the lead it created stays (worked on since)' : `the ${formatNumber(c, locale)} leads it created stay (all worked on since)`;
  else removed = `${formatNumber(gone, locale)} ${gone === 1 ? 'lead' : 'leads'} it created will be removed${kept}`;
  const restored = `${formatNumber(u, locale)} updated ${u === 1 ? 'lead gets its' : 'leads get their'} earlier values back`;
  const what = `${removed.charAt(0).toUpperCase()}${removed.slice(1)}`;
  const parts = [what];
  if (u > 0) parts.push(restored);
  if (o > 0) {
    parts.push(
      `${formatNumber(o, locale)} ${o === 1 ? 'lead it updated' : 'leads it updated'} from an import undone earlier ${o === 1 ? 'goes' : 'go'} too (kept then only for this import's changes)`,
    );
  }
  return `Undo this import? ${parts.join('; ')}.`;
}

/** The list an import's leads went into as the app names it: a typed name is an existing list
 *  whatever its case ("  messe 2026 " is "Messe 2026", as the importer finds it); null for none. */
export function shownListName(typed: string, known: readonly string[]): string | null {
  const name = typed.trim();
  if (!name) return null;
  return known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

/** Rows of nothing but delimiters the reader skipped as blank lines, said (not as rows left out);
 *  null when there were none. */
export function emptyRowsNote(n: number | null | undefined, locale?: string): string | null {
  return n ? `${countOf(n, 'empty row', 'empty rows', locale)} (nothing but delimiters) skipped like blank lines.` : null;
}

/** Whether an import added or changed any lead (or a dry run says it would): one that did not has
 *  nothing to undo, and a check that says so leaves nothing to start. */
export function wroteSomething(summary: Pick<ImportSummary, 'created' | 'updated' | 'merged'>): boolean {
  return (summary.created ?? 0) + (summary.updated ?? 0) + (summary.merged ?? 0) > 0;
}

/** What importing a file imported before means, from the counts (a dry run's or the import's):
 *  the rows added again as new leads — all of them when duplicates are created anyway, else those
 *  with no email or LinkedIn profile to be recognised by — or that nothing is added again. */
export function sameFileNote(
  summary: Pick<ImportSummary, 'created'>,
  dryRun: boolean,
  duplicates: Duplicates,
  locale?: string,
): string {
  const created = summary.created ?? 0;
  if (created === 0) {
    return dryRun ? 'This file was imported before; nothing in it would be added twice.' : 'This file was imported before; nothing in it was added twice.';
  }
  const rows = countOf(created, 'row', 'rows', locale);
  const why =
    duplicates === 'create'
      ? 'duplicates are set to be created'
      : `no email or LinkedIn profile to match ${created === 1 ? 'it' : 'them'} by, or ${created === 1 ? 'its lead is' : 'their leads are'} gone since`;
  const as = created === 1 ? 'a new lead' : 'new leads';
  return dryRun
    ? `This file was imported before: ${rows} would be added again as ${as} (${why}).`
    : `This file was imported before: ${rows} ${created === 1 ? 'was' : 'were'} added again as ${as} (${why}). Undo this import if that was a mistake.`;
}

/** What an import did, in one line: "4 leads created, 4 rows left out" — only the counts that are
 *  not zero, so "8 rows" is never read as "8 leads". */
export function importOutcome(
  summary: Pick<ImportSummary, 'rows' | 'created' | 'updated' | 'merged' | 'skipped' | 'failed'>,
  locale?: string,
): string {
  const count = (n: number, one: string, many: string) => countOf(n, one, many, locale);
  const created = summary.created ?? 0;
  const parts = [
    summary.created ? count(created, 'lead created', 'leads created') : '',
    summary.updated ? count(summary.updated, 'existing lead updated', 'existing leads updated') : '',
    summary.merged ? count(summary.merged, 'row merged into another', 'rows merged into others') : '',
    summary.skipped ? count(summary.skipped, 'duplicate skipped', 'duplicates skipped') : '',
    summary.failed ? count(summary.failed, 'row left out', 'rows left out') : '',
  ].filter(Boolean);
  if (parts.length === 0) return (summary.rows ?? 0) === 0 ? 'The file had no rows to import' : 'No leads created';
  // Nothing was created or changed: say so first, so the line is not read as a success.
  return created === 0 && !summary.updated && !summary.merged ? `No leads created: ${parts.join(', ')}` : parts.join(', ');
}

// What kind of field a clash is on, so the conflicts inbox shows and edits it as the lead panel
// does: a status by its label (with the status select), a follow-up as a day (with a date input,
// stored as the panel stores it), a yes/no with a checkbox, a time as the app formats times.
import { dayToRfc3339, formatDateTime, formatDay, rfc3339ToDay } from './format';
import { DETAIL_FIELDS, MORE_FIELDS, type Choice, type FieldDef } from './leadFields';
import { isStatus, statusLabel } from './status';

export interface FieldRef {
  table: string;
  column: string;
}

export type EditKind = 'status' | 'choice' | 'day' | 'datetime' | 'checkbox' | 'textarea' | 'text';

export interface EditControl {
  kind: EditKind;
  /** A choice's options (status has its own list). */
  options?: readonly Choice[];
}

const LEAD_FIELDS = new Map<string, FieldDef>([...DETAIL_FIELDS, ...MORE_FIELDS].map((f) => [f.key, f]));

// Columns of other tables that hold a day (stored at 09:00 UTC, see dayToRfc3339): a task's due.
const DAY_COLUMNS: Readonly<Record<string, readonly string[]>> = { activities: ['scheduled_at'] };

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An RFC 3339 instant, as the store and the server write them ("…T09:00:00.000000Z", "…+00:00"). */
export function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
}

function leadField(field: FieldRef): FieldDef | undefined {
  return field.table === 'leads' ? LEAD_FIELDS.get(field.column) : undefined;
}

/** The control "Edit…" offers for the field, by what the field is, else by its two values. */
export function editControl(field: FieldRef, mine: unknown, theirs: unknown): EditControl {
  const def = leadField(field);
  if (def?.kind === 'status') return { kind: 'status' };
  if (def?.kind === 'choice') return { kind: 'choice', options: def.options ?? [] };
  if (def?.kind === 'checkbox') return { kind: 'checkbox' };
  if (def?.kind === 'day' || DAY_COLUMNS[field.table]?.includes(field.column)) return { kind: 'day' };
  // Text of several lines (notes) is edited as such: a one-line box ran its lines together.
  const lines = [mine, theirs].some((v) => typeof v === 'string' && v.includes('\n'));
  if (def?.kind === 'textarea' || lines) return { kind: 'textarea' };
  if (def) return { kind: 'text' };
  const values = [mine, theirs].filter((v) => v !== null && v !== undefined);
  if (values.length && values.every((v) => typeof v === 'boolean')) return { kind: 'checkbox' };
  if (values.length && values.every(isTimestamp)) return { kind: 'datetime' };
  return { kind: 'text' };
}

/** A single value as the rest of the app shows it, or null to show it plainly. */
export function shownValue(v: unknown, field: FieldRef): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const control = editControl(field, v, null);
  if (control.kind === 'status') return statusLabel(v);
  if (control.kind === 'choice') return control.options?.find((o) => o.value === v)?.label ?? null;
  if (!isTimestamp(v)) return null;
  return control.kind === 'day' ? formatDay(v) : formatDateTime(v);
}

/** "2026-12-05T09:30:00Z" → the datetime-local input's "2026-12-05T10:30" (in the rep's zone). */
export function toLocalInput(v: unknown): string {
  if (!isTimestamp(v)) return '';
  const d = new Date(Date.parse(v));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The edit control's starting value for the rep's side. */
export function controlStart(control: EditControl, mine: unknown, theirs: unknown): string {
  switch (control.kind) {
    case 'status':
      return [mine, theirs].find((v): v is string => typeof v === 'string' && isStatus(v)) ?? 'new';
    case 'choice':
      return typeof mine === 'string' ? mine : '';
    case 'day':
      return rfc3339ToDay(typeof mine === 'string' ? mine : null);
    case 'datetime':
      return toLocalInput(mine);
    case 'checkbox':
      return mine === true ? 'true' : 'false';
    default:
      return '';
  }
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** The control's value → what to store, in the shape the lead panel stores it; null for 'text'
 *  (typed text is read by its JSON type, see parseEditValue). */
export function parseControl(control: EditControl, text: string): Parsed | null {
  const t = text.trim();
  switch (control.kind) {
    case 'status':
      return isStatus(t) ? { ok: true, value: t } : { ok: false, error: 'Pick a status' };
    case 'choice':
      // As the panel's selects: the empty option clears the field.
      return { ok: true, value: t || null };
    case 'day': {
      if (!t) return { ok: true, value: null };
      const day = dayToRfc3339(t);
      return day ? { ok: true, value: day } : { ok: false, error: 'Pick a day, or leave it empty to clear the field' };
    }
    case 'datetime': {
      if (!t) return { ok: true, value: null };
      // A datetime-local value has no zone: it is read in the rep's, as they picked it.
      const at = Date.parse(t);
      return Number.isNaN(at) ? { ok: false, error: 'Pick a date and time' } : { ok: true, value: new Date(at).toISOString() };
    }
    case 'checkbox':
      return { ok: true, value: t === 'true' };
    case 'textarea':
      // Kept as typed (its line breaks and indents are the rep's), empty clears the field.
      return { ok: true, value: t ? text : null };
    default:
      return null;
  }
}

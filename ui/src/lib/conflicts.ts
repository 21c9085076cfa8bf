// The conflicts inbox's wording and values: a clashing field's JSON value as lines to read, the
// text to edit it as and back (keeping its JSON type), and what a refused change's database code
// means.
import { controlStart, parseControl, shownValue, type EditControl, type FieldRef, type Parsed } from './conflictFields';
import { columnLabel } from './errorText';
import { humanize } from './format';

export type { Parsed };

/** A column as the lead panel names it ("next_follow_up_at" → "Follow-up"); "deleted_at" is
 *  phrased by the card itself. */
export function fieldName(column: string): string {
  return columnLabel(column);
}

function scalarText(v: unknown, field?: FieldRef): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'string') return (field && shownValue(v, field)) ?? v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** A value to read: null as "(empty)", a list joined, an object as "key: value" lines; with the
 *  field, a status by its label and a date as the app shows dates. */
export function valueLines(v: unknown, field?: FieldRef): string[] {
  if (Array.isArray(v)) return v.length ? [v.map((x) => scalarText(x)).join(', ')] : ['(empty)'];
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? entries.map(([k, x]) => `${humanize(k)}: ${scalarText(x)}`) : ['(empty)'];
  }
  return [scalarText(v, field)];
}

/** The edit box's starting text for a value (the inverse of parseEditValue). */
export function editText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const TRUE = ['true', 'yes', 'y', '1', 'on'];
const FALSE = ['false', 'no', 'n', '0', 'off'];

/**
 * Typed text → the JSON value to store, of the type the two sides have: a number if they are
 * numbers, a boolean for booleans, JSON for objects and lists, else text. Empty is null.
 */
export function parseEditValue(text: string, mine: unknown, theirs: unknown): Parsed {
  const t = text.trim();
  if (!t) return { ok: true, value: null };
  const kinds = [mine, theirs].filter((v) => v !== null && v !== undefined);
  const is = (kind: string) => kinds.length > 0 && kinds.every((v) => typeof v === kind);
  if (is('number')) {
    const n = Number(t.replace(/,/g, ''));
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: 'Enter a number' };
  }
  if (is('boolean')) {
    const lower = t.toLowerCase();
    if (TRUE.includes(lower)) return { ok: true, value: true };
    if (FALSE.includes(lower)) return { ok: true, value: false };
    return { ok: false, error: 'Enter yes or no' };
  }
  if (kinds.some((v) => typeof v === 'object')) {
    try {
      return { ok: true, value: JSON.parse(t) };
    } catch {
      return { ok: false, error: 'Enter the value as JSON, e.g. {"city": "Paris"} or ["a", "b"]' };
    }
  }
  return { ok: true, value: text };
}

/** The edit control's starting value: the rep's side, as the control takes it. */
export function editStart(control: EditControl, mine: unknown, theirs: unknown): string {
  return control.kind === 'text' || control.kind === 'textarea' ? editText(mine) : controlStart(control, mine, theirs);
}

/** The edit control's value → the value to store (see parseControl and parseEditValue). */
export function parseEdit(control: EditControl, text: string, mine: unknown, theirs: unknown): Parsed {
  return parseControl(control, text) ?? parseEditValue(text, mine, theirs);
}

const CODES: Record<string, string> = {
  '23505': 'another record already uses this value',
  '42501': 'you don’t have permission (row-level security)',
  // What the sync function answers when row-level security hides the row or forbids the change.
  P0002: 'you may not change this record (your role or its owner), or it no longer exists',
  '23503': 'it refers to a record that doesn’t exist on the server',
  '23514': 'a value breaks one of the database’s rules (check constraint)',
  '23502': 'a required value is missing',
  '22001': 'a value is too long',
};

/** What a database error code means, in a few words; null for one we don't know. The server's own
 *  rules (a lead not to be contacted, a role's limits) refuse with 42501 too, in words of their
 *  own: that is no missing permission. */
export function codeExplanation(code: string | null | undefined, reason = ''): string | null {
  if (code === '42501' && !/row-level security|permission denied/i.test(reason)) return 'a rule of your team’s server forbids it';
  if (code === '23505' && /leads_org_email_key|lead on the server \(.*\) already has this email/i.test(reason)) {
    return 'another lead already has this email';
  }
  return code ? (CODES[code] ?? null) : null;
}

const OPS: Record<string, string> = { insert: 'New record', update: 'Change', delete: 'Deletion' };

/** "insert" → "New record". */
export function opLabel(op: string): string {
  return OPS[op] ?? humanize(op);
}

const TABLES: Record<string, string> = {
  leads: 'Lead',
  activities: 'Activity',
  lead_lists: 'List',
  campaigns: 'Campaign',
  email_templates: 'Email template',
  saved_views: 'Saved view',
};

/** "lead_lists" → "List": what one row of a table is. */
export function tableNoun(table: string): string {
  return TABLES[table] ?? humanize(table);
}

/** A row as the rep knows it, else what it is and a short id. */
export function rowLabel(item: { label: string | null; table: string; row_id: string }): string {
  return item.label?.trim() || `${tableNoun(item.table)} ${item.row_id.slice(0, 8)}`;
}

export interface DeletionSides {
  mineDeleted: boolean;
  heading: string;
  /** What each side did, in words (a deletion clash carries no field values to show). */
  mine: string;
  theirs: string;
  /** What the two buttons do. */
  hint: string;
  keepMine: string;
  keepTheirs: string;
}

/** How a deleted_at clash reads: who deleted and who edited. The clash records only the deletion
 *  (not which fields the edit changed), so it says what happened to the row as a whole. */
export function deletionSides(mine: unknown, table = 'leads'): DeletionSides {
  const mineDeleted = mine !== null && mine !== undefined && mine !== '';
  const noun = tableNoun(table).toLowerCase();
  return mineDeleted
    ? {
        mineDeleted,
        heading: `You deleted this ${noun}; a teammate edited it`,
        mine: `You deleted this ${noun}`,
        theirs: 'A teammate edited it meanwhile',
        hint: 'Keep deleted removes it for everyone; Keep their version brings it back with their changes.',
        keepMine: 'Keep deleted',
        keepTheirs: 'Keep their version',
      }
    : {
        mineDeleted,
        heading: `You edited this ${noun}; it was deleted by a teammate`,
        mine: `You edited this ${noun}`,
        theirs: 'Deleted by a teammate',
        hint: 'Keep my version brings it back with your changes; Accept deletion leaves it deleted.',
        keepMine: 'Keep my version',
        keepTheirs: 'Accept deletion',
      };
}

// The store's messages as a rep reads them. The store names what it refused the way the database
// does ("leads.current_score: cannot be empty", "leads: current_score must be between 0 and 100");
// the rep knows the field by the label the panel shows ("Score cannot be empty"). Pure, so the
// rewording is tested on the store's real shapes.
import { humanize } from './format';
import { statusLabel } from './status';
import { DETAIL_FIELDS, MORE_FIELDS } from './leadFields';

/** Lead columns by the label the UI shows for them; any other column is humanized. (The panel's
 *  labels win: predicted_value is the "Deal value" the rep typed, not a "Predicted value".) */
const LABELS: Record<string, string> = {
  ...Object.fromEntries([...DETAIL_FIELDS, ...MORE_FIELDS].map((f) => [f.key, f.label])),
  custom_fields: 'Custom fields',
  address: 'Address',
  next_follow_up_at: 'Follow-up',
  assigned_to: 'Owner',
  list_id: 'List',
  team_id: 'Team',
  last_contacted_at: 'Last contacted',
  last_reply_at: 'Last reply',
};

/** "current_score" → "Score"; "company_size" → "Company size"; "name" → "Name". */
export function columnLabel(column: string): string {
  return LABELS[column] ?? humanize(column);
}

/** First letter up: the store writes its messages to go after a prefix, so they start low. */
export function capitalise(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

// "leads.email: " (a refused value) or "leads: " (a broken rule); `*` is the whole record.
const PREFIX = /^([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*|\*))?: /;
// A reason that goes on from the field's name: "cannot be empty", "must be one of …".
const PREDICATE = /^(is|are|cannot|can't|must|should|needs?|has|holds|may|expected)\b/;
// A rule that starts with the column it is about: "current_score must be between 0 and 100".
const LEADING_COLUMN = /^([a-z][a-z0-9]*_[a-z0-9_]*|[a-z][a-z0-9]*)(?= (must|is|cannot)\b)/;
// "another row already has this leads.email" (only after "this": "like example.com" stays).
const QUALIFIED = /\bthis [a-z][a-z0-9_]*\.([a-z][a-z0-9_]*)\b/g;

/** A label inside a sentence: "Email" reads "email", but "LinkedIn" stays as it is. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

/**
 * The message to show for a refusal with this code. Only the store's refusals of a value
 * ("invalid", "constraint") carry the table/column prefix; every message is capitalised.
 */
export function readableError(code: string, message: string): string {
  const text = message.trim();
  // "notes was changed meanwhile (it is now …)" → "Notes was changed meanwhile …".
  // The sync library's wording is for a terminal (environment variables); a rep needs what to do.
  // (The library's own text follows as the detail: the token file a server may use fails here too.)
  if (code === 'keychain') {
    const detail = text.replace(/^could not use the keychain: /, '').replace(/ \(on a machine without one.*$/, '');
    return `Outpost could not use this computer’s keychain (GNOME Keyring, KWallet), where it keeps your sign-in: it is not available or is locked. Start or unlock it, then try again. (${detail})`;
  }
  // The store names the stored timestamp; the rep picked a day.
  if (code === 'follow_up_in_past') return 'The follow-up date is in the past — pick today or a later day';
  // The id is for scripts; the dialog offers to open that lead instead (see duplicateOf).
  if (code === 'duplicate_email') return capitalise(text.replace(/ \(id [^)]*\)$/, ''));
  // The lead's id is for scripts: in the app the lead is the one the rep is acting on.
  if (code === 'do_not_contact') {
    // "moving it to 'contacted'": the status as the rep reads it ("Contacted").
    const said = text.replace(/^lead [0-9a-f-]{36}\b/, 'this lead').replace(/'([a-z_]+)'/, (_, s: string) => statusLabel(s));
    return capitalise(said);
  }
  if (code === 'changed_meanwhile') return capitalise(text.replace(/^[a-z][a-z0-9_]*(?= was\b)/, columnLabel));
  if (code !== 'invalid' && code !== 'constraint') return capitalise(text);
  const m = PREFIX.exec(text);
  if (!m) return capitalise(text);
  let reason = text.slice(m[0].length);
  const column = m[2] && m[2] !== '*' ? m[2] : null;
  if (column && PREDICATE.test(reason)) {
    // "cannot be empty" → "Score cannot be empty"; "expected text, got 5" → "Company: expected …".
    reason = reason.startsWith('expected') ? `${columnLabel(column)}: ${reason}` : `${columnLabel(column)} ${reason}`;
  } else if (!column) {
    reason = reason.replace(LEADING_COLUMN, (c) => columnLabel(c));
  }
  reason = reason.replace(QUALIFIED, (_, c: string) => `this ${inSentence(columnLabel(c))}`);
  return capitalise(reason);
}

/** The lead that already has the email a refused lead was given ("… already exists (id X)"). */
export function duplicateOf(code: string, message: string): string | null {
  if (code !== 'duplicate_email') return null;
  return /\(id ([^)\s]+)\)$/.exec(message.trim())?.[1] ?? null;
}

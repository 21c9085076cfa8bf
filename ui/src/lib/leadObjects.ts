// The lead's two JSON object fields as the detail panel edits them: the address, one input per
// part, and the custom fields, one input per key. An edit saves only the keys it changed
// (`objectPatch`), into the object as stored then: keys the panel has no input for, or a teammate
// added since the panel read the lead, are kept.

import { looksLikeDay, parseTypedDay } from './typedDay';

export type JsonObject = Record<string, unknown>;

/** A stored JSON object (or text holding one) as an object; anything else as an empty one. */
export function asObject(v: unknown): JsonObject {
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return {};
    }
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
}

export const ADDRESS_PARTS = [
  { key: 'street', label: 'Street' },
  { key: 'city', label: 'City' },
  // "state", as imports and exports name it (HubSpot's "State/Region", Salesforce's "State").
  { key: 'state', label: 'State / region' },
  { key: 'postal_code', label: 'Postal code' },
  { key: 'country', label: 'Country' },
] as const;

export type AddressPart = (typeof ADDRESS_PARTS)[number]['key'];

/** Input text for a stored JSON value: strings as they are, other values as JSON. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Early versions of the panel stored the state as "region": still shown, and replaced on save. */
const LEGACY_KEYS: Partial<Record<AddressPart, string>> = { state: 'region' };

export function addressPartText(address: unknown, part: AddressPart): string {
  const a = asObject(address);
  const legacy = LEGACY_KEYS[part];
  return valueText(a[part] ?? (legacy ? a[legacy] : undefined));
}

/**
 * The address to store after one part is set to `value` (the part's input, already trimmed; null
 * or blank removes the part). An address left with no keys at all is stored as null.
 */
export function withAddressPart(address: unknown, part: AddressPart, value: unknown): JsonObject | null {
  const next = { ...asObject(address) };
  const legacy = LEGACY_KEYS[part];
  if (legacy) delete next[legacy];
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) delete next[part];
  else next[part] = typeof value === 'string' ? value.trim() : value;
  return Object.keys(next).length ? next : null;
}

/**
 * A custom field's value from its input text. A value that was not a string (a number, a flag, a
 * list) stays that type when the text is still valid JSON; otherwise the text is stored.
 */
export function parseCustomValue(text: string, original: unknown, locale?: string): unknown {
  const t = text.trim();
  // A date stays a date, whatever way the rep types the new one ("Jan 15, 2027" → 2027-01-15);
  // text that names no day ("TBD") is kept as typed.
  if (typeof original === 'string' && ISO_DAY.test(original.trim())) return parseTypedDay(t, locale) ?? t;
  if (original !== undefined && original !== null && typeof original !== 'string' && t !== '') {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  return t;
}

// A custom field holding a day: as imports and this panel store one (a day at midnight too).
const ISO_DAY = /^\d{4}-\d{2}-\d{2}(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?$/i;

/** Why `text` cannot be a custom field's new value: a field holding a day given a day that does
 *  not exist ("2027-02-30") — saved as text, it would stop being a date unseen. */
export function customValueProblem(fields: unknown, key: string, text: string, locale?: string): string | null {
  const original = asObject(fields)[key];
  const isDay = typeof original === 'string' && ISO_DAY.test(original.trim());
  return isDay && looksLikeDay(text, locale) && !parseTypedDay(text, locale) ? `There is no such day: “${text.trim()}”` : null;
}

export function withCustomValue(fields: unknown, key: string, text: string): JsonObject {
  const current = asObject(fields);
  return { ...current, [key]: parseCustomValue(text, current[key]) };
}

export type AddResult = { ok: true; fields: JsonObject } | { ok: false; error: string };

/** The custom fields with a new key (trimmed, not blank, not already there) holding `text`. */
export function withNewCustomField(fields: unknown, key: string, text: string, locale?: string): AddResult {
  const k = key.trim();
  const current = asObject(fields);
  if (!k) return { ok: false, error: 'Give the field a name' };
  // "Seats" and "seats" would both read "Seats" in the panel (and in an export's columns).
  const taken = Object.keys(current).find((name) => name.trim().toLowerCase() === k.toLowerCase());
  if (taken !== undefined) return { ok: false, error: `There is already a field named '${taken}'` };
  // A day is kept as a day (a field edited later stays one); a day that does not exist is said.
  const t = text.trim();
  const day = looksLikeDay(t, locale) ? parseTypedDay(t, locale) : null;
  if (looksLikeDay(t, locale) && !day) return { ok: false, error: `There is no such day: “${t}”` };
  return { ok: true, fields: { ...current, [k]: day ?? t } };
}

export function withoutCustomField(fields: unknown, key: string): JsonObject {
  const next = { ...asObject(fields) };
  delete next[key];
  return next;
}

/** The keys that differ between two versions of an object: new or changed ones with their value,
 *  removed ones as null (what `editLeadObject` takes). */
export function objectPatch(before: unknown, after: unknown): JsonObject {
  const [b, a] = [asObject(before), asObject(after)];
  const patch: JsonObject = {};
  for (const [k, v] of Object.entries(a)) if (JSON.stringify(v) !== JSON.stringify(b[k])) patch[k] = v;
  for (const k of Object.keys(b)) if (!Object.hasOwn(a, k)) patch[k] = null;
  return patch;
}

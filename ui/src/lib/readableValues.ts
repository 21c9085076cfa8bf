// Names and values that come from files and other systems, as a rep reads them: custom field keys
// ("external_id" → "External ID"), timestamps ("2024-03-12T09:14:00.000000Z" → the rep's date and
// time) and coded values ("ORGANIC_SEARCH" → "Organic search"). Only what is shown changes: a value
// is stored as it is unless the rep edits it.
import { formatDateTime, formatDay } from './format';

/** Keys Outpost's own imports and exports write, by what they hold. */
const KNOWN_KEYS: Record<string, string> = {
  external_id: 'External ID',
  original_created_at: 'Created (original)',
  owner: 'Owner',
  outpost_id: 'Outpost ID (exported from)',
  outpost_created_at: 'Created in Outpost (exported from)',
  name_prefix: 'Name prefix',
  phone_extension: 'Phone extension',
};

// Words a rep reads in capitals.
const ACRONYMS = new Set(['id', 'csv', 'crm', 'url', 'api', 'seo', 'sms', 'ppc', 'utm', 'vat', 'ip']);

// A code: one word or words joined by "_", all in one case ("owner", "csv_import", "ORGANIC_SEARCH").
const CODE = /^(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)$/;

/** "csv_import" → "CSV import"; anything not a code (a file's "Mobile Phone Number") as it is. */
export function codeText(code: string): string {
  if (!CODE.test(code)) return code;
  const words = code.toLowerCase().split('_');
  const text = words.map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A custom field's label: known keys by name, other snake_case keys in sentence case, and keys
 *  the file named ("Mobile Phone Number") in its own words. */
export function customFieldLabel(key: string): string {
  return KNOWN_KEYS[key] ?? codeText(key);
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;
// A calendar day: "2024-02-03", or that day at midnight UTC (or with no zone, read as UTC) — what
// a file's plain date used to be stored as. Either is that day wherever the rep is: read in their
// zone, west of UTC it showed as the evening before.
const DAY = /^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?)?$/i;

/** A custom field's value as shown: ISO dates and times in the rep's locale (a date-only value as
 *  its calendar day, no time), the rest as it is. */
export function customValueText(text: string, locale?: string, timeZone?: string): string {
  const t = text.trim();
  const day = DAY.exec(t);
  if (day) return formatDay(`${day[1]}T00:00:00Z`, locale) || text;
  if (!TIMESTAMP.test(t)) return text;
  // Date.parse takes at most milliseconds, a "T" and a zone as "Z" or "+02:00"; without a zone,
  // the time is read as UTC (a zone's "+02:00" is not a time to add a "Z" to).
  const zone = /(?:Z|[+-]\d{2}:?\d{2})$/i.exec(t.slice(11))?.[0];
  const iso =
    t
      .slice(0, zone ? t.length - zone.length : t.length)
      .replace(' ', 'T')
      .replace(/(\.\d{3})\d+/, '$1') + (zone ? zone.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z');
  return formatDateTime(iso, locale, timeZone) || text;
}

// The lead fields the detail panel edits inline: how each is shown as text in its input, and how
// that text becomes the value sent to the store (so "unchanged" is decided on the stored value).
import type { Lead } from './api';
import { dayToRfc3339, formatTags, parseTags, rfc3339ToDay } from './format';

export type FieldKind = 'text' | 'email' | 'tel' | 'url' | 'score' | 'day' | 'textarea' | 'status' | 'tags';

export type EditableKey =
  | 'first_name'
  | 'last_name'
  | 'email'
  | 'phone'
  | 'company'
  | 'job_title'
  | 'website'
  | 'linkedin_url'
  | 'status'
  | 'current_score'
  | 'next_follow_up_at'
  | 'follow_up_reason'
  | 'notes'
  | 'tags';

export interface FieldDef {
  key: EditableKey;
  label: string;
  kind: FieldKind;
}

export const DETAIL_FIELDS: readonly FieldDef[] = [
  { key: 'first_name', label: 'First name', kind: 'text' },
  { key: 'last_name', label: 'Last name', kind: 'text' },
  { key: 'email', label: 'Email', kind: 'email' },
  { key: 'phone', label: 'Phone', kind: 'tel' },
  { key: 'company', label: 'Company', kind: 'text' },
  { key: 'job_title', label: 'Job title', kind: 'text' },
  { key: 'website', label: 'Website', kind: 'url' },
  { key: 'linkedin_url', label: 'LinkedIn', kind: 'url' },
  { key: 'status', label: 'Status', kind: 'status' },
  { key: 'current_score', label: 'Score', kind: 'score' },
  { key: 'next_follow_up_at', label: 'Follow-up', kind: 'day' },
  { key: 'follow_up_reason', label: 'Follow-up reason', kind: 'text' },
  { key: 'tags', label: 'Tags', kind: 'tags' },
  { key: 'notes', label: 'Notes', kind: 'textarea' },
];

/** The input's text for a field of `lead`. */
export function fieldText(lead: Lead, def: FieldDef): string {
  const v = lead[def.key];
  switch (def.kind) {
    case 'tags':
      return formatTags(Array.isArray(v) ? (v as string[]) : []);
    case 'day':
      return rfc3339ToDay(typeof v === 'string' ? v : null);
    default:
      return v === null || v === undefined ? '' : String(v);
  }
}

/**
 * The value to store for the input's text. Blank clears the field (null) rather than storing "";
 * text that is not a valid number or day is sent as typed so the store's own message explains it.
 */
export function parseField(def: FieldDef, text: string): unknown {
  const t = text.trim();
  switch (def.kind) {
    case 'tags':
      return parseTags(text);
    case 'score':
      if (!t) return null;
      return /^-?\d+$/.test(t) ? Number(t) : t;
    case 'day':
      if (!t) return null;
      return dayToRfc3339(t) ?? t;
    case 'status':
      return t;
    case 'textarea':
      // Notes keep their inner line breaks; only surrounding blank space is dropped.
      return t ? text.replace(/^\s*\n|\s+$/g, '') : null;
    default:
      return t || null;
  }
}

/** True when the input's text would store something other than what `original` text stores. */
export function isChanged(def: FieldDef, text: string, original: string): boolean {
  return JSON.stringify(parseField(def, text)) !== JSON.stringify(parseField(def, original));
}

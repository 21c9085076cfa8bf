// The lead fields the detail panel edits inline: how each is shown as text in its input, and how
// that text becomes the value sent to the store (so "unchanged" is decided on the stored value).
import { formatAmount, parseAmount } from './amount';
import type { Lead } from './api';
import {
  countOf,
  DAY_ONLY_STAMP,
  dayToRfc3339,
  formatRelative,
  formatRelativeDay,
  formatTags,
  parseTags,
  rfc3339ToDay,
} from './format';
import { memberLabel } from './bulkText';
import { codeText } from './readableValues';

export type FieldKind =
  | 'text'
  | 'email'
  | 'tel'
  | 'url'
  | 'score'
  /** A deal's value: "12,500", "$12,500.50" or "12.500,50 €" stored as the plain decimal
   *  "12500.50" (see amount.ts), shown grouped as the rep's locale writes numbers. */
  | 'amount'
  | 'day'
  | 'textarea'
  | 'status'
  | 'tags'
  /** One of `options` (an empty option value stores null). */
  | 'choice'
  /** A checkbox: its text is "true" or "false" and it stores a boolean. */
  | 'checkbox'
  /** Text stored as typed but trimmed, blank included (a custom field's value). */
  | 'raw';

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
  | 'predicted_value'
  | 'next_follow_up_at'
  | 'follow_up_reason'
  | 'notes'
  | 'tags'
  | 'company_size'
  | 'company_industry'
  | 'stage'
  | 'source'
  | 'do_not_contact'
  | 'message'
  | 'email_status'
  | 'engagement_level'
  | 'assigned_to';

export interface Choice {
  value: string;
  label: string;
}

/** Any input the detail panel edits; its data-testid is `detail-<key>`. */
export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  options?: readonly Choice[];
}

/** A save that wrote nothing because the value changed meanwhile: the rep's waits in Conflicts,
 *  and `kept` says so under the field. */
export interface Kept {
  kept: string;
}

/** An input for one column of the lead. */
export interface FieldDef extends FieldSpec {
  key: EditableKey;
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
  // What the pipeline and the dashboard add up (without it every column read 0).
  { key: 'predicted_value', label: 'Deal value', kind: 'amount' },
  { key: 'next_follow_up_at', label: 'Follow-up', kind: 'day' },
  { key: 'follow_up_reason', label: 'Follow-up reason', kind: 'text' },
  { key: 'tags', label: 'Tags', kind: 'tags' },
  { key: 'notes', label: 'Notes', kind: 'textarea' },
];

// The values the store's CHECK constraints allow.
export const EMAIL_STATUSES: readonly Choice[] = [
  { value: '', label: '—' },
  { value: 'replied', label: 'Replied' },
  { value: 'no_reply', label: 'No reply' },
  { value: 'bounced', label: 'Bounced' },
  { value: 'unsubscribed', label: 'Unsubscribed' },
];

export const ENGAGEMENT_LEVELS: readonly Choice[] = [
  { value: 'unknown', label: 'Unknown' },
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
  { value: 'very_high', label: 'Very high' },
];

/** The "More fields" section (address and custom fields have their own editors). */
export const MORE_FIELDS: readonly FieldDef[] = [
  { key: 'company_size', label: 'Company size', kind: 'text' },
  { key: 'company_industry', label: 'Industry', kind: 'text' },
  { key: 'stage', label: 'Stage', kind: 'text' },
  { key: 'source', label: 'Source', kind: 'text' },
  { key: 'email_status', label: 'Email status', kind: 'choice', options: EMAIL_STATUSES },
  { key: 'engagement_level', label: 'Engagement', kind: 'choice', options: ENGAGEMENT_LEVELS },
  { key: 'do_not_contact', label: 'Do not contact', kind: 'checkbox' },
  { key: 'message', label: 'Message', kind: 'textarea' },
];

/** The input's text for a field of `lead` (`locale`: the rep's, unless a test names one). */
export function fieldText(lead: Lead, def: FieldDef, locale?: string): string {
  const v = lead[def.key];
  switch (def.kind) {
    case 'amount':
      return v === null || v === undefined ? '' : formatAmount(String(v), locale);
    case 'tags':
      return formatTags(Array.isArray(v) ? (v as string[]) : []);
    case 'day':
      return rfc3339ToDay(typeof v === 'string' ? v : null);
    case 'checkbox':
      return v === true ? 'true' : 'false';
    default:
      if (v === null || v === undefined) return '';
      // Imports and other systems write their codes ("csv_import", "ORGANIC_SEARCH"); shown as
      // words, stored as they were unless the rep types another.
      return def.key === 'source' ? codeText(String(v)) : String(v);
  }
}

/**
 * The value to store for the input's text. Blank clears the field (null) rather than storing "";
 * text that is not a valid number or day is sent as typed so the store's own message explains it.
 */
export function parseField(def: Pick<FieldSpec, 'kind'>, text: string): unknown {
  const t = text.trim();
  switch (def.kind) {
    case 'tags':
      return parseTags(text);
    case 'score':
      if (!t) return null;
      return /^-?\d+$/.test(t) ? Number(t) : t;
    case 'amount': {
      if (!t) return null;
      // Read as the rep wrote it ("12.500,50" is 12500.50, not 12.50050); a negative value is sent
      // as such for the store to refuse in its own words.
      return parseAmount(t) ?? t;
    }
    case 'day':
      if (!t) return null;
      return dayToRfc3339(t) ?? t;
    case 'status':
      return t;
    case 'checkbox':
      return t === 'true';
    case 'raw':
      return t;
    case 'textarea':
      // Notes keep their inner line breaks; only surrounding blank space is dropped.
      return t ? text.replace(/^\s*\n|\s+$/g, '') : null;
    default:
      return t || null;
  }
}

/** True when the input's text would store something other than what `original` text stores
 *  (so "29,000" shown for a stored "29000" is no change). */
export function isChanged(def: Pick<FieldSpec, 'kind'>, text: string, original: string): boolean {
  return JSON.stringify(parseField(def, text)) !== JSON.stringify(parseField(def, original));
}

/** The lead panel's Owner field: no one, or one of the members (the one signed in here marked). A
 *  lead whose owner has left the team keeps that owner until changed, named as such. */
export function ownerField(
  members: readonly { id: string; name: string; me: boolean }[],
  current: string | null | undefined,
): FieldDef {
  const options: Choice[] = [
    { value: '', label: 'Unassigned' },
    ...members.map((m) => ({ value: m.id, label: memberLabel(m) })),
  ];
  if (current && !members.some((m) => m.id === current)) options.push({ value: current, label: 'A former member' });
  return { key: 'assigned_to', label: 'Owner', kind: 'choice', options };
}

/** "Last contacted 2 days ago · 3 emails sent · 1 reply, last yesterday", or null for a lead never
 *  contacted and never heard from. */
export function contactText(
  lead: {
    last_contacted_at?: string | null;
    emails_sent_count?: number | null;
    reply_count?: number | null;
    last_reply_at?: string | null;
  },
  now: Date | number,
  locale?: string,
): string | null {
  const parts: string[] = [];
  // A call or reply logged as of a day: counted in days, not hours since a made-up noon.
  const when = (t: string) => (DAY_ONLY_STAMP.test(t) ? formatRelativeDay(t, now, locale) : formatRelative(t, now, locale));
  if (lead.last_contacted_at) parts.push(`Last contacted ${when(lead.last_contacted_at)}`);
  const sent = lead.emails_sent_count ?? 0;
  if (sent > 0) parts.push(countOf(sent, 'email') + ' sent');
  const replies = lead.reply_count ?? 0;
  if (replies > 0) {
    const last = lead.last_reply_at ? `, last ${when(lead.last_reply_at)}` : '';
    parts.push(countOf(replies, 'reply', 'replies', locale) + last);
  }
  return parts.length ? parts.join(' · ') : null;
}

// Formatting of names, dates and amounts for display, and the date conversions the forms need.
// Every function takes its "now" and locale as arguments so tests do not depend on the machine.

export interface Named {
  first_name: string | null;
  last_name: string | null;
  email?: string | null;
  company?: string | null;
}

/** "Ada Lovelace", else the email, else the company: a lead is never shown as a blank line. */
export function leadName(lead: Named): string {
  const name = [lead.first_name, lead.last_name]
    .map((s) => s?.trim())
    .filter(Boolean)
    .join(' ');
  return name || lead.email?.trim() || lead.company?.trim() || '(no name)';
}

/** Follow-ups and task dues are days, not instants: stored at 09:00 UTC of the picked day. */
export function dayToRfc3339(day: string): string | null {
  const d = day.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T09:00:00Z` : null;
}

/** When something that happened on a picked day (a call, a reply logged later) is stored: empty
 *  or today is now; an earlier day is exactly noon UTC of it — a time no clock stamps (the store's
 *  have microseconds), so the timeline shows that day alone (timelineWhen), the same day wherever
 *  it is read, rather than a made-up time of day. Just after midnight east of UTC+12 yesterday's
 *  noon UTC is still to come (the store refuses that): its midnight UTC then, read the same way. */
export function pastDayToRfc3339(day: string, now = new Date()): string | null {
  const d = day.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m || d === localDay(now)) return null;
  const t = new Date(Date.UTC(2000, 0, 1, 12));
  // (setUTCFullYear: Date.UTC reads years 0–99 as 1900–1999.)
  t.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (t.getTime() > now.getTime()) t.setUTCHours(0);
  return t.toISOString();
}

/** The <input type=date> value for a stored timestamp: its UTC day, so a picked day round-trips. */
export function rfc3339ToDay(value: string | null | undefined): string {
  if (!value) return '';
  const t = Date.parse(value);
  return Number.isNaN(t) ? '' : new Date(t).toISOString().slice(0, 10);
}

// Building an Intl formatter costs far more than using one, and the list formats a date per row.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "1 Dec 2026" style, of the UTC day (see rfc3339ToDay). */
export function formatDay(value: string | null | undefined, locale?: string): string {
  if (!value) return '';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return '';
  const key = locale ?? '';
  let f = dayFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    dayFormats.set(key, f);
  }
  return f.format(t);
}

/** Date and time in the rep's own zone, for when something happened. */
export function formatDateTime(value: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!value) return '';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(t);
}

/** The rep's local calendar day as "YYYY-MM-DD", `offset` days from `now`. */
export function localDay(now: Date, offset = 0): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** The last millisecond of the rep's local day. */
export function endOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 0, -1);
}

export type Due = 'overdue' | 'today' | 'later';

/** Where a follow-up or a task's due stands against the rep's local today, by its day (a picked day
 *  is stored as that day's 09:00 UTC, see dayToRfc3339, and shown as its UTC day), so one due today
 *  is never shown as overdue in a zone west of UTC; null when there is none. */
export function dueState(value: string | null | undefined, now: Date): Due | null {
  const day = rfc3339ToDay(value);
  if (!day) return null;
  const today = localDay(now);
  return day < today ? 'overdue' : day === today ? 'today' : 'later';
}

/** A follow-up's or task's day as a list shows it: "Today" for today (the date there only made the
 *  rep work out whether it is today), else the day. */
export function dueDayText(value: string | null | undefined, now: Date, locale?: string): string {
  return dueState(value, now) === 'today' ? 'Today' : formatDay(value, locale);
}

/** Predicted values arrive as decimal text (or numbers from the summary). */
export function toAmount(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

/** 12,500 → "12.5K": short enough for chart labels and cards. */
export function formatCompact(n: number, locale?: string): string {
  return new Intl.NumberFormat(numberLocale(locale), { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/** Win rate with what it is taken from: { value: "75%", basis: "3 won of 4 closed" }; a dash and
 *  "no closed leads yet" before any lead is closed. */
export function winRate(won: number, lost: number, locale?: string): { value: string; basis: string } {
  const closed = won + lost;
  if (closed === 0) return { value: '–', basis: 'no closed leads yet' };
  return {
    value: `${Math.round((100 * won) / closed)}%`,
    basis: `${formatNumber(won, locale)} won of ${formatNumber(closed, locale)} closed`,
  };
}

/** The locale to format numbers in. Under LANG=C the webview's default is POSIX English
 *  ("en-US-u-va-posix"), whose numbers have no grouping: "33578 leads" instead of "33,578". */
export function numberLocale(locale?: string): string | undefined {
  const resolved = locale ?? new Intl.NumberFormat().resolvedOptions().locale;
  return /posix/i.test(resolved) ? 'en-US' : locale;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(n: number, locale?: string): string {
  const key = locale ?? '';
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(numberLocale(locale), { maximumFractionDigits: 0 });
    numberFormats.set(key, f);
  }
  return f.format(n);
}

/** "1 lead", "1,204 leads". */
export function countOf(n: number, one: string, many = `${one}s`, locale?: string): string {
  return `${formatNumber(n, locale)} ${n === 1 ? one : many}`;
}

/** "vip, demo ,, vip" → ["vip", "demo"]: the tags field is edited as comma separated text. */
/** "vip, VIP , new" → ["vip", "new"]: tags match without regard to case, as the store keeps them. */
export function parseTags(text: string): string[] {
  const seen = new Map<string, string>();
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()];
}

export function formatTags(tags: readonly string[] | null | undefined): string {
  return (tags ?? []).join(', ');
}

/** The RFC 3339 instant My day asks follow-ups and tasks up to: the end of the UTC day that has the
 *  rep's local today's date (dues are days, see dueState). */
export function endOfTodayRfc3339(now: Date): string {
  return `${localDay(now)}T23:59:59.999Z`;
}

/** Where today's follow-ups begin (before it they are overdue): as `endOfTodayRfc3339`. */
export function startOfTodayRfc3339(now: Date): string {
  return `${localDay(now)}T00:00:00.000Z`;
}

/** "2026-05-04" (a week's Monday) → "4 May": short chart labels. */
export function formatWeek(day: string, locale?: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(t)) return day;
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(t);
}

/** "just now", "5 min ago", "3 hours ago", "yesterday", "4 days ago", then the day itself: when
 *  something happened, at a glance (the exact time goes in a tooltip, see formatDateTime). */
export function formatRelative(value: string | null | undefined, now: Date | number, locale?: string): string {
  if (!value) return '';
  const t = Date.parse(value);
  if (Number.isNaN(t)) return '';
  const seconds = (Number(now) - t) / 1000;
  // A clock a little ahead of ours still reads as now.
  if (seconds < 45) return 'just now';
  const minutes = Math.max(1, Math.floor(seconds / 60));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} ${hours === 1 ? 'hour' : 'hours'} ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return formatDay(value, locale);
}

/** A day something happened, stored without a time of day: exactly noon or midnight UTC of it (see
 *  pastDayToRfc3339; a bare date another tool or a file wrote is its midnight UTC too). */
export const DAY_ONLY_STAMP = /T(?:12|00):00:00(?:\.0+)?(?:Z|\+00:00)$/;

/** formatRelative for a day without a time: "today", "yesterday", "4 days ago" counted in the rep's
 *  calendar days (not hours since a made-up noon), then the day itself. */
export function formatRelativeDay(value: string, now: Date | number, locale?: string): string {
  const day = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(day)) return '';
  const days = Math.round((Date.parse(`${localDay(new Date(Number(now)))}T00:00:00Z`) - day) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return formatDay(value, locale);
}

/** "first_name" → "First name": a stored name as a label. */
export function humanize(name: string): string {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

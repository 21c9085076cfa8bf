// How a timeline entry reads: the store merges rows from many tables (activities, emails, call
// logs, …) into one list; each gets an icon, a label and a colour group from its table and kind.
import { DAY_ONLY_STAMP, dueState, formatDateTime, formatDay } from './format';
import { activityBase, activityIcon, activityLabel, statusLabel } from './status';

export interface TimelineLike {
  source: string;
  kind?: string | null;
}

export type Tone = 'contact' | 'task' | 'note' | 'insight' | 'other';

const SOURCES: Record<string, { label: string; icon: string; tone: Tone }> = {
  emails: { label: 'Email', icon: '✉', tone: 'contact' },
  call_logs: { label: 'Call', icon: '☎', tone: 'contact' },
  conversations: { label: 'Conversation', icon: '❝', tone: 'contact' },
  appointments: { label: 'Appointment', icon: '◷', tone: 'contact' },
  lead_scores: { label: 'Score', icon: '★', tone: 'insight' },
  ai_insights: { label: 'AI insight', icon: '✦', tone: 'insight' },
  journey_events: { label: 'Journey', icon: '➜', tone: 'other' },
  followups: { label: 'Follow-up', icon: '↻', tone: 'task' },
  documents: { label: 'Document', icon: '❏', tone: 'other' },
};

const ACTIVITY_TONES: Record<string, Tone> = {
  call: 'contact',
  email: 'contact',
  meeting: 'contact',
  demo: 'contact',
  social_interaction: 'contact',
  task: 'task',
  follow_up: 'task',
  proposal: 'task',
  note: 'note',
};

function humanise(text: string): string {
  return statusLabel(text.trim().toLowerCase());
}

/** "Note", "Email · Outbound", "Call · Completed"; an unknown table is humanised ("Sms messages"). */
export function timelineLabel(e: TimelineLike): string {
  if (e.source === 'activities') return e.kind ? activityLabel(e.kind) : 'Activity';
  const base = SOURCES[e.source]?.label ?? humanise(e.source);
  const kind = e.kind?.trim();
  // A kind that only repeats the table ("email" on an email) adds nothing.
  if (!kind || humanise(kind) === base) return base;
  return `${base} · ${humanise(kind)}`;
}

/** The entry's own title, or null when it only repeats the label: a call logged without a subject
 *  reads "Call", not "Call · Call" (calls used to be stored with the subject "Call"). */
export function timelineTitle(e: TimelineLike & { title?: string | null }): string | null {
  const title = e.title?.trim();
  if (!title) return null;
  return title.toLowerCase() === timelineLabel(e).toLowerCase() ? null : title;
}

export function timelineIcon(e: TimelineLike): string {
  if (e.source === 'activities') return e.kind ? activityIcon(e.kind) : '•';
  return SOURCES[e.source]?.icon ?? '•';
}

export function timelineTone(e: TimelineLike): Tone {
  if (e.source === 'activities') return ACTIVITY_TONES[activityBase(e.kind ?? '')] ?? 'other';
  return SOURCES[e.source]?.tone ?? 'other';
}

/** The data-type attribute: the activity type for activities (as before), else the table. */
export function timelineType(e: TimelineLike): string {
  return e.source === 'activities' && e.kind ? e.kind : e.source;
}

/** An open task's due line: overdue ones say so (and are marked, as on My day). */
export function taskDue(due: string | null | undefined, now: Date, locale?: string): { text: string; late: boolean } | null {
  const state = dueState(due, now);
  if (!state) return null;
  if (state === 'overdue') return { text: `Overdue · due ${formatDay(due, locale)}`, late: true };
  return { text: state === 'today' ? 'Due today' : `Due ${formatDay(due, locale)}`, late: false };
}

// A day stored as a timestamp: 09:00 UTC of it (see dayToRfc3339).
const DAY_STAMP = /T09:00:00(?:\.0+)?(?:Z|\+00:00)$/;
// A call or a reply logged later as of its day (DAY_ONLY_STAMP). Only those kinds: a meeting
// another tool booked at 16:00 in California is midnight UTC too.
const LOGGED_LATER = new Set(['call', 'email_inbound']);

/** When an entry happened or is due: a task dated by its due day, or a call or reply logged later
 *  as of its day, shows that day (no made-up 9:00 AM or noon, which west or east of UTC is not even
 *  the rep's); anything else its date and time where the rep is. */
export function timelineWhen(e: { source: string; kind?: string | null; at: string | null; due: string | null }, locale?: string): string {
  const activity = e.source === 'activities' && e.at !== null;
  const dayOnly =
    activity &&
    (e.kind === 'task'
      ? e.at === e.due && DAY_STAMP.test(e.at ?? '')
      : LOGGED_LATER.has(e.kind ?? '') && DAY_ONLY_STAMP.test(e.at ?? ''));
  return dayOnly ? formatDay(e.at, locale) : formatDateTime(e.at, locale);
}

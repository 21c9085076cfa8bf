// What a rep typed in a lead's activity forms and has not logged: kept per lead in memory (another
// lead's panel and back finds it) and in the store a moment after the typing stops (closing the
// window, a crash or a restart finds it too).

export interface EmailDraft {
  templateId: string;
  to: string | null;
  subject: string;
  body: string;
  missing: string[];
}

export interface Draft {
  note: string;
  taskSubject: string;
  taskDue: string;
  callSubject: string;
  callOutcome: string;
  /** The day the call was made, when logged later ('' for now). */
  callDay: string;
  replySubject: string;
  replyBody: string;
  /** The day the reply came, when logged later ('' for now). */
  replyDay: string;
  /** The email drafted from a template, as edited. */
  email: EmailDraft | null;
  /** The tab last typed in: the panel opens on it again. */
  tab?: Tab;
}

export type Tab = 'note' | 'task' | 'call' | 'email';
const TABS: readonly string[] = ['note', 'task', 'call', 'email'] satisfies Tab[];

export const TEXTS = [
  'note',
  'taskSubject',
  'taskDue',
  'callSubject',
  'callOutcome',
  'callDay',
  'replySubject',
  'replyBody',
  'replyDay',
] as const;

/** What a log sent: the form's texts as they were when it was sent. */
export type Sent = Partial<Omit<Draft, 'email'>> & { email?: { subject: string; body: string } };

/** `draft` without what was sent, field by field where it is still as sent (text typed meanwhile
 *  stays). One rule for the kept drafts and the open forms. */
export function withoutSent(draft: Draft, sent: Sent): Draft {
  const next: Draft = { ...draft };
  for (const key of TEXTS) if (sent[key] !== undefined && next[key] === sent[key]) next[key] = '';
  if (sent.email && next.email?.subject === sent.email.subject && next.email.body === sent.email.body) next.email = null;
  return next;
}

/** Which tabs hold text not logged (an email drafted from a template counts while it has a subject
 *  or a body). One rule for the tabs' marks, the tab a panel reopens on, and an empty draft. */
export function tabsHolding(d: Draft): Record<Tab, boolean> {
  const email = d.email && (d.email.subject.trim() || d.email.body.trim());
  return {
    note: !!d.note.trim(),
    task: !!(d.taskSubject.trim() || d.taskDue.trim()),
    call: !!(d.callSubject.trim() || d.callOutcome.trim() || d.callDay.trim()),
    email: !!(email || d.replySubject.trim() || d.replyBody.trim() || d.replyDay.trim()),
  };
}

export function isEmpty(draft: Draft): boolean {
  return !Object.values(tabsHolding(draft)).some(Boolean);
}

export function emptyDraft(): Draft {
  const draft = Object.fromEntries(TEXTS.map((key) => [key, ''])) as Omit<Draft, 'email'>;
  return { ...draft, email: null };
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** A draft as read back from the store (kept by this or another version of Outpost): its texts,
 *  anything else left out; null when nothing is left. */
export function parseDraft(value: unknown): Draft | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const draft = emptyDraft();
  for (const key of TEXTS) if (isText(v[key])) draft[key] = v[key];
  const e = v.email as Record<string, unknown> | null | undefined;
  if (e && typeof e === 'object' && isText(e.templateId) && isText(e.subject) && isText(e.body)) {
    draft.email = {
      templateId: e.templateId,
      to: isText(e.to) ? e.to : null,
      subject: e.subject,
      body: e.body,
      missing: Array.isArray(e.missing) ? e.missing.filter(isText) : [],
    };
  }
  if (isText(v.tab) && TABS.includes(v.tab)) draft.tab = v.tab as Tab;
  return isEmpty(draft) ? null : draft;
}

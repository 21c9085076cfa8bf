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

export function isEmpty(draft: Draft): boolean {
  const email = draft.email && (draft.email.subject.trim() || draft.email.body.trim());
  return !email && TEXTS.every((key) => !draft[key].trim());
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

export interface KeptDraft {
  lead_id: string;
  draft: unknown;
}

/** The drafts, in memory and written to the store: a write a moment after the typing stops, one at
 *  a time per lead (the latest text goes next), none when the store already holds the text. */
export class DraftKeeper {
  private readonly drafts = new Map<string, Draft>();
  /** The text the store holds per lead ('' for none), as far as this window knows. */
  private readonly stored = new Map<string, string>();
  /** Text to write next per lead ('' forgets). */
  private readonly next = new Map<string, string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Text being written per lead. */
  private readonly writing = new Map<string, string>();
  private lastError = '';
  loaded = false;

  constructor(
    private readonly write: (leadId: string, draft: Draft | null) => Promise<unknown>,
    private readonly failed: (e: unknown) => void,
    /** A refusal that passes (the database busy with an import): tried again, not said. */
    private readonly passing: (e: unknown) => boolean = () => false,
    private readonly delayMs = 400,
    private readonly retryMs = 2000,
  ) {}

  /** Reads the store's drafts in; a lead typed in meanwhile keeps what was typed. */
  async load(read: () => Promise<KeptDraft[]>): Promise<void> {
    try {
      for (const { lead_id, draft } of await read()) {
        const parsed = parseDraft(draft);
        if (!parsed) continue;
        if (!this.stored.has(lead_id)) this.stored.set(lead_id, JSON.stringify(parsed));
        if (!this.drafts.has(lead_id) && !this.next.has(lead_id)) this.drafts.set(lead_id, parsed);
      }
    } finally {
      this.loaded = true;
    }
  }

  get(leadId: string): Draft | undefined {
    return this.drafts.get(leadId);
  }

  /** Keeps the lead's forms as they are; `now` writes at once (a log's text forgotten: a crash
   *  in the pause would bring it back, to be logged twice). */
  keep(leadId: string, draft: Draft, now = false): void {
    const empty = isEmpty(draft);
    if (empty) this.drafts.delete(leadId);
    else this.drafts.set(leadId, draft);
    const text = empty ? '' : JSON.stringify(draft);
    if (text === (this.next.get(leadId) ?? this.writing.get(leadId) ?? this.stored.get(leadId) ?? '')) return;
    this.next.set(leadId, text);
    clearTimeout(this.timers.get(leadId));
    if (now) this.send(leadId);
    else this.timers.set(
        leadId,
        setTimeout(() => this.send(leadId), this.delayMs),
      );
  }

  /** Writes every waiting draft now (the window is closing). */
  flush(): void {
    for (const [leadId, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.send(leadId);
    }
  }

  private send(leadId: string): void {
    this.timers.delete(leadId);
    const text = this.next.get(leadId);
    if (text === undefined || this.writing.has(leadId)) return;
    this.next.delete(leadId);
    this.writing.set(leadId, text);
    this.write(leadId, text ? (JSON.parse(text) as Draft) : null).then(
      () => {
        this.stored.set(leadId, text);
        this.lastError = '';
        this.sent(leadId);
      },
      (e: unknown) => {
        if (this.passing(e)) {
          if (!this.next.has(leadId)) this.next.set(leadId, text);
          if (!this.timers.has(leadId)) this.timers.set(leadId, setTimeout(() => this.send(leadId), this.retryMs));
          this.writing.delete(leadId);
          return;
        }
        // Said once, not at every pause in the typing; the text stays in memory and goes with the
        // next change.
        const said = e instanceof Error ? e.message : String(e);
        if (said !== this.lastError) this.failed(e);
        this.lastError = said;
        this.sent(leadId);
      },
    );
  }

  /** A write answered: newer text typed meanwhile goes next, unless its own pause is still running. */
  private sent(leadId: string): void {
    this.writing.delete(leadId);
    if (this.next.has(leadId) && !this.timers.has(leadId)) this.send(leadId);
  }
}

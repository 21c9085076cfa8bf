// A template being written and not saved yet (kept as typed, see TemplatesScreen).

/** A template's edits not saved yet. */
export interface TemplateDraft {
  name: string;
  subject: string;
  content: string;
}

export const NO_TEMPLATE_DRAFT: TemplateDraft = { name: '', subject: '', content: '' };

export function isEmptyTemplateDraft(d: TemplateDraft): boolean {
  return !d.name.trim() && !d.subject.trim() && !d.content.trim();
}

/** A kept template draft as read back: its three texts (anything else left out); null when empty. */
export function parseTemplateDraft(value: unknown): TemplateDraft | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  const draft = { name: text(v.name), subject: text(v.subject), content: text(v.content) };
  return isEmptyTemplateDraft(draft) ? null : draft;
}

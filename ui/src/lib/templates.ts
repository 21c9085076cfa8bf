// Email template variables: {{first_name}}-style placeholders the store fills from the lead.

export const TEMPLATE_VARIABLES: readonly { name: string; label: string }[] = [
  { name: 'first_name', label: 'First name' },
  { name: 'last_name', label: 'Last name' },
  { name: 'full_name', label: 'Full name' },
  { name: 'company', label: 'Company' },
  { name: 'job_title', label: 'Job title' },
  { name: 'email', label: 'Email' },
  { name: 'phone', label: 'Phone' },
  { name: 'website', label: 'Website' },
  { name: 'city', label: 'City' },
];

// What the store fills beside the offered ones (templates.rs value_of): {{name}} as {{full_name}},
// the other address parts.
const KNOWN = new Set([...TEMPLATE_VARIABLES.map((v) => v.name), 'name', 'street', 'state', 'postal_code', 'country']);

/** The variables a text uses, once each, in order of first use, spaced as they may be
 *  ("{{ company}}", "{{Industry Vertical}}": a custom field's name). */
export function usedVariables(...texts: string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
      const name = m[1]?.trim();
      if (name) seen.add(name);
    }
  }
  return [...seen];
}

/** Used variables that are no lead field: filled only from a custom field of that name (a typo
 *  like {{frist_name}} is then always blank). */
export function unknownVariables(...texts: string[]): string[] {
  return usedVariables(...texts).filter((v) => !KNOWN.has(v.toLowerCase()));
}

export function placeholder(name: string): string {
  return `{{${name}}}`;
}

/** Inserts `insert` into `text` over the selection [start, end); returns the text and the caret. */
export function insertAt(text: string, insert: string, start: number, end = start): { text: string; caret: number } {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { text: text.slice(0, s) + insert + text.slice(e), caret: s + insert.length };
}

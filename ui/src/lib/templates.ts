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

const KNOWN = new Set(TEMPLATE_VARIABLES.map((v) => v.name));

/** The variables a text uses, once each, in order of first use ("{{ company }}" counts). */
export function usedVariables(...texts: string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
      if (m[1]) seen.add(m[1]);
    }
  }
  return [...seen];
}

/** Used variables the store cannot fill (typos like {{frist_name}}). */
export function unknownVariables(...texts: string[]): string[] {
  return usedVariables(...texts).filter((v) => !KNOWN.has(v));
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

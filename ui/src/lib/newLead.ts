// The new lead dialog's checks, made before anything is sent: the webview draws no bubble for a
// browser-validated field (WebKitGTK), so Create would seem to do nothing. Each problem is shown
// by its field, all at once (one at a time, the rep fixed the email only to be told about the
// phone). The email and phone rules are the store's (rules.rs, check_email_syntax and
// check_phone), deliberately permissive; anything that passes here and is still refused shows the
// store's own words.
import type { ApiError } from './api';

export const NEW_LEAD_FIELDS = [
  { key: 'first_name', label: 'First name', type: 'text' },
  { key: 'last_name', label: 'Last name', type: 'text' },
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'company', label: 'Company', type: 'text' },
  { key: 'phone', label: 'Phone', type: 'tel' },
  { key: 'job_title', label: 'Job title', type: 'text' },
] as const;

export type NewLeadKey = (typeof NEW_LEAD_FIELDS)[number]['key'];

/** Each field's problem; `form` is one about the lead as a whole. */
export type NewLeadErrors = Partial<Record<NewLeadKey | 'form', string>>;

const EXAMPLE = 'like ana@example.com';
// Characters a copy and paste brings along that no one can see.
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

/** Why the text is not an email address, or null (blank is fine: the field is optional). */
export function emailProblem(text: string): string | null {
  const email = text.trim();
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at < 0) return `An email address needs an @, ${EXAMPLE}`;
  const [local, domain] = [email.slice(0, at), email.slice(at + 1)];
  if (!local) return `Type the part before the @ too, ${EXAMPLE}`;
  if (!domain) return `Type the part after the @ too, ${EXAMPLE}`;
  if (/\s/.test(email)) return 'An email address has no spaces';
  if (INVISIBLE.test(email)) return 'It holds an invisible character, e.g. from a copy and paste: type it again';
  if (local.includes('@') || /[,;<>]/.test(email)) return 'One address only, without a name or brackets around it';
  if (/^mailto:/i.test(local)) return 'Leave out “mailto:”';
  if (!domain.includes('.') || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) {
    return 'The part after the @ needs a dot, like example.com';
  }
  return null;
}

// What may be in a phone number besides digits, and where its extension starts ("ext. 12", "x12",
// "#12") — the store's check_phone and without_extension.
const PHONE_CHARS = /^[\d +\-()./]*$/;
const EXTENSION = /[eEx#X]/;

/** Why the text is not a phone number, or null (blank is fine: the field is optional). */
export function phoneProblem(text: string): string | null {
  const phone = text.trim();
  if (!phone) return null;
  const at = phone.search(EXTENSION);
  const number = (at < 0 ? phone : phone.slice(0, at)).trim();
  if (!PHONE_CHARS.test(number)) return 'Only digits, with + - ( ) . / and spaces (an extension as “ext. 12”)';
  if ((number.match(/\d/g) ?? []).length < 5) return 'A phone number has 5 digits or more';
  return null;
}

/** Every problem at once; an empty object when the lead may be created. */
export function validateNewLead(values: Readonly<Record<string, string | undefined>>): NewLeadErrors {
  const found: NewLeadErrors = {};
  const email = emailProblem(values.email ?? '');
  if (email) found.email = email;
  const phone = phoneProblem(values.phone ?? '');
  if (phone) found.phone = phone;
  // The store's rule: a lead is never a blank line in the list.
  const named = ['first_name', 'last_name', 'email', 'company', 'phone'].some((k) => values[k]?.trim());
  if (!named) found.form = 'Fill in a name, an email, a phone or a company';
  return found;
}

/** The dialog's field a refusal from the store is about ("leads.email: …"), else null. */
export function refusedField(e: ApiError): NewLeadKey | null {
  if (e.code === 'duplicate_email') return 'email';
  if (e.code !== 'invalid' && e.code !== 'constraint') return null;
  const column = /^leads\.([a-z_]+):/.exec(e.message.trim())?.[1];
  return NEW_LEAD_FIELDS.find((f) => f.key === column)?.key ?? null;
}

/** What the new-lead dialog holds typed and not created, in a few words for the question closing
 *  the window asks ("Ana Reyes", else the email, the company…); null when nothing is typed. */
export function typedNewLead(draft: Readonly<Record<string, string | undefined>>): string | null {
  const value = (key: string) => draft[key]?.trim() ?? '';
  const name = [value('first_name'), value('last_name')].filter(Boolean).join(' ');
  const first = NEW_LEAD_FIELDS.map((f) => value(f.key)).find(Boolean);
  return name || value('email') || first || null;
}

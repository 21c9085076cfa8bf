// The button beside a lead's email, phone or web field: what it opens and how it is named.
import type { LinkKind } from './bindings';

export interface FieldLink {
  kind: LinkKind;
  icon: string;
  title: string;
}

const BY_FIELD: Record<string, FieldLink> = {
  email: { kind: 'email', icon: '✉', title: 'Write an email' },
  tel: { kind: 'phone', icon: '☎', title: 'Call' },
  url: { kind: 'web', icon: '↗', title: 'Open in the browser' },
};

/** The link for a field of this kind holding this value; none for an empty value. */
export function linkFor(fieldKind: string, value: string): FieldLink | null {
  return value.trim() ? (BY_FIELD[fieldKind] ?? null) : null;
}

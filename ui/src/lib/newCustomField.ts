// Escape in the detail panel's "new custom field" boxes. Elsewhere in the panel Escape saves what
// was typed, then closes the panel; here it only left the box, and a second Escape closed the
// panel and lost the name and value typed. It now does as the other fields do — except that a
// value without a name cannot be kept anywhere, so the rep is asked to name it (or clear it).

export type NewFieldEscape =
  /** Add the field as Add does; once added, the panel closes. */
  | { action: 'add' }
  /** Nothing typed: the panel closes. */
  | { action: 'close' }
  /** A value without a name: the panel stays open, saying so. */
  | { action: 'stay'; message: string };

export const NAME_FIRST = 'Name the field first (or clear the value)';

/** What Escape does with the name and value typed in the new custom field boxes. */
export function newFieldEscape(name: string, value: string): NewFieldEscape {
  if (name.trim()) return { action: 'add' };
  if (value.trim()) return { action: 'stay', message: NAME_FIRST };
  return { action: 'close' };
}

// A half-typed <input type=date> ("11/27/2026" with a part missing) has the value "" and is
// badInput. WebKitGTK shows no validation bubble for it, so a form would either do nothing or save
// "no date"; the forms say this instead, by the field.

export const UNFINISHED_DATE = 'Finish the date or clear it';

interface DateInputLike {
  validity?: { badInput: boolean } | null;
}

/** True when the rep started typing a date the input cannot read yet. */
export function isUnfinishedDate(el: DateInputLike | null | undefined): boolean {
  return el?.validity?.badInput === true;
}

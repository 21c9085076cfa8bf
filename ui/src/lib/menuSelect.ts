// A <select> used as a menu of actions (its choice runs at once, then it shows its prompt again).
// WebKitGTK fires `change` on every arrow key pressed on a closed select: a rep looking through
// "Add to list…" with the arrows moved every ticked lead into the first list. A choice reached by
// arrows or typing runs on Enter instead; one picked from the opened menu (pointer, or the keys
// inside it) runs at once, as before.

type SelectEvent<E extends Event> = E & { currentTarget: HTMLSelectElement };

/** Keys that change a closed select's value in place (Space and Alt+Down open its menu instead). */
function movesInPlace(e: KeyboardEvent): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey) return false;
  return /^(Arrow(Up|Down|Left|Right)|Page(Up|Down)|Home|End)$/.test(e.key) || (e.key.length === 1 && e.key !== ' ');
}

/** The select's handlers: `run` gets the value chosen, once, and the select shows its prompt. */
export function menuSelect(run: (value: string) => void) {
  let keyed = false;
  const take = (select: HTMLSelectElement): void => {
    const value = select.value;
    select.value = '';
    keyed = false;
    if (value) run(value);
  };
  return {
    onkeydown(e: SelectEvent<KeyboardEvent>): void {
      if (e.key === 'Enter' && e.currentTarget.value) {
        e.preventDefault();
        take(e.currentTarget);
      } else if (movesInPlace(e)) {
        keyed = true;
      }
    },
    onchange(e: SelectEvent<Event>): void {
      if (keyed) keyed = false;
      else take(e.currentTarget);
    },
    /** The pointer opens the menu: its pick runs, whatever keys were pressed before (one that
     *  moved nothing, ↑ on the prompt, left no change to clear the flag). */
    onpointerdown(): void {
      keyed = false;
    },
    /** Leaving with a choice not confirmed: nothing runs, the prompt shows again. */
    onblur(e: SelectEvent<FocusEvent>): void {
      e.currentTarget.value = '';
      keyed = false;
    },
  };
}

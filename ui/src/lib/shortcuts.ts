// Keyboard shortcuts: which key means which action, and the guard that keeps single-letter
// shortcuts from firing while the rep is typing into a field.

export type Shortcut = 'palette' | 'new-lead' | 'search' | 'next' | 'previous' | 'escape' | 'help' | 'undo';

/** The command key as this platform names it (⌘ on a Mac, Ctrl elsewhere). */
export const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl';

/** Every shortcut, as the "Keyboard shortcuts" list shows them. */
export const SHORTCUT_LIST: readonly { keys: string[]; what: string }[] = [
  { keys: [MOD, 'K'], what: 'Commands (from anywhere)' },
  { keys: ['N'], what: 'New lead' },
  { keys: ['/'], what: 'Search leads' },
  { keys: ['↓'], what: 'From the search box to the results' },
  { keys: ['Enter'], what: 'In the search box: open the first result; on a row: open it' },
  { keys: ['J'], what: 'Next lead' },
  { keys: ['K'], what: 'Previous lead' },
  { keys: ['Space'], what: 'Tick the row (for a bulk edit)' },
  { keys: ['Esc'], what: 'Close the topmost panel (a lead’s field being edited is saved first); in the search box, clear it' },
  { keys: [MOD, 'Enter'], what: 'Add the note being written' },
  { keys: [MOD, 'Z'], what: 'Undo the last step a message offers to undo (outside a text field)' },
  { keys: ['Shift', '← →'], what: 'Move a focused card on the pipeline board' },
  { keys: ['?'], what: 'This list' },
];

/** The parts of a KeyboardEvent the decision needs (so tests can pass plain objects). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

interface ElementLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  value?: string;
}

// Inputs that take no typed text: a letter pressed on a checkbox is still a shortcut.
const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True when keys pressed on `target` are text being typed (inputs, textareas, selects, editors). */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as ElementLike | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((el.type ?? 'text').toLowerCase());
  return false;
}

/** Boxes typed in since they last took focus (see watchTyping): their Ctrl/Cmd+Z is theirs. */
const typedIn = new WeakSet<object>();

/** Keeps `typedIn`: a box typed in (text deleted too) until focus leaves it and comes back. */
export function watchTyping(doc: Pick<Document, 'addEventListener' | 'removeEventListener'>): () => void {
  const typed = (e: Event) => e.target && typedIn.add(e.target);
  const focused = (e: Event) => e.target && typedIn.delete(e.target);
  doc.addEventListener('input', typed, true);
  doc.addEventListener('focusin', focused, true);
  return () => {
    doc.removeEventListener('input', typed, true);
    doc.removeEventListener('focusin', focused, true);
  };
}

/** A box the app emptied itself (the bulk bar's tag box after its step): nothing typed is left
 *  in it, so its Ctrl/Cmd+Z is the app's Undo again (focus may never have left it: Enter). */
export function forgetTyping(box: object | null | undefined): void {
  if (box) typedIn.delete(box);
}

/** True when Ctrl/Cmd+Z on `target` is the field's own undo of typing: a box with text in it, or
 *  one typed in since it took focus (text just deleted comes back). A select, or a box nothing was
 *  typed in (the bulk bar's tag box just after "Add tag"), has nothing of its own to undo there:
 *  the app's last Undo is meant. */
export function ownsUndo(target: EventTarget | null): boolean {
  if (!isTypingTarget(target)) return false;
  const el = target as ElementLike;
  if (el.isContentEditable) return true;
  if ((el.tagName ?? '').toUpperCase() === 'SELECT') return false;
  return (el.value ?? '') !== '' || typedIn.has(target as object);
}

/**
 * The shortcut a key press means, or null. Ctrl/Cmd+K and Escape work everywhere (they are not
 * text); plain letters only when focus is not in a text field.
 */
export function shortcutFor(e: KeyLike): Shortcut | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') return 'palette';
  if (e.key === 'Escape') return 'escape';
  // (In a text field with text Ctrl/Cmd+Z is the field's own undo of typing.)
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'z' && !ownsUndo(e.target)) return 'undo';
  if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return null;
  // Caps Lock or Shift do not change what a letter means.
  switch (e.key.length === 1 ? e.key.toLowerCase() : e.key) {
    case 'n':
      return 'new-lead';
    case '/':
      return 'search';
    case '?':
      return 'help';
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    default:
      return null;
  }
}

/** Whether Ctrl/Cmd+K leaves the palette open: it toggles it, but does not open it over another
 *  dialog, where its commands would act on the screen behind the dialog. */
export function paletteOpensTo(open: boolean, dialogOpen: boolean): boolean {
  return open ? false : !dialogOpen;
}

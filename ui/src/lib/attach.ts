// Small element behaviours used with {@attach}.

/** Focuses the element once it is in the document (dialogs and the palette open ready to type). */
export function autofocus(el: HTMLElement): void {
  queueMicrotask(() => el.focus());
}

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

/** Keeps Tab inside a modal layer: from the last control it wraps to the first and back. */
export function trapFocus(el: HTMLElement): () => void {
  function onkeydown(e: KeyboardEvent): void {
    if (e.key !== 'Tab') return;
    const items = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }
  el.addEventListener('keydown', onkeydown);
  return () => el.removeEventListener('keydown', onkeydown);
}

/** A text box as tall as its text (from its rows up to `max` px, then it scrolls): a long reply
 *  pasted in is seen whole. `text` is the box's value, so the height follows it however it changes. */
export function autogrow(text: string, max = 320): (el: HTMLTextAreaElement) => void {
  return (el) => {
    void text;
    // (Measuring shrinks the box for a moment: the panels around it keep their scroll.)
    const scrolled: [Element, number][] = [];
    for (let p = el.parentElement; p; p = p.parentElement) if (p.scrollTop) scrolled.push([p, p.scrollTop]);
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, max)}px`;
    for (const [p, top] of scrolled) p.scrollTop = top;
  };
}

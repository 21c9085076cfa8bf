import { describe, expect, it } from 'vitest';
import { isTypingTarget, paletteOpensTo, shortcutFor, watchTyping, type KeyLike } from './shortcuts';

const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, ...extra }) as unknown as EventTarget;
const key = (k: string, target: EventTarget | null = el('DIV'), mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target,
  ...mods,
});

describe('isTypingTarget', () => {
  it('is true in text fields', () => {
    expect(isTypingTarget(el('INPUT', { type: 'text' }))).toBe(true);
    expect(isTypingTarget(el('INPUT', { type: 'search' }))).toBe(true);
    expect(isTypingTarget(el('INPUT', { type: 'date' }))).toBe(true);
    expect(isTypingTarget(el('input'))).toBe(true);
    expect(isTypingTarget(el('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(el('SELECT'))).toBe(true);
    expect(isTypingTarget(el('DIV', { isContentEditable: true }))).toBe(true);
  });

  it('is false on buttons, checkboxes and plain elements', () => {
    expect(isTypingTarget(el('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(el('BUTTON'))).toBe(false);
    expect(isTypingTarget(el('DIV'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({} as EventTarget)).toBe(false);
  });
});

describe('shortcutFor', () => {
  it('maps the single keys outside text fields', () => {
    expect(shortcutFor(key('n'))).toBe('new-lead');
    expect(shortcutFor(key('N'))).toBe('new-lead');
    expect(shortcutFor(key('?'))).toBe('help');
    expect(shortcutFor(key('J'))).toBe('next');
    expect(shortcutFor(key('/'))).toBe('search');
    expect(shortcutFor(key('j'))).toBe('next');
    expect(shortcutFor(key('k'))).toBe('previous');
    expect(shortcutFor(key('x'))).toBeNull();
  });

  it('ignores single keys while typing', () => {
    const input = el('INPUT', { type: 'text' });
    for (const k of ['n', '/', 'j', 'k']) expect(shortcutFor(key(k, input))).toBeNull();
    expect(shortcutFor(key('n', el('TEXTAREA')))).toBeNull();
  });

  it('opens the palette with Ctrl+K or Cmd+K, even from a field', () => {
    const input = el('INPUT', { type: 'text' });
    expect(shortcutFor(key('k', input, { ctrlKey: true }))).toBe('palette');
    expect(shortcutFor(key('K', null, { metaKey: true }))).toBe('palette');
    expect(shortcutFor(key('k', null, { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('takes Ctrl/Cmd+Z for the last Undo, except in a text field (its own undo of typing)', () => {
    expect(shortcutFor(key('z', el('DIV'), { ctrlKey: true }))).toBe('undo');
    expect(shortcutFor(key('Z', el('BUTTON'), { metaKey: true }))).toBe('undo');
    expect(shortcutFor(key('z', el('INPUT', { type: 'text', value: 'vi' }), { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('z', el('TEXTAREA', { value: 'a note' }), { ctrlKey: true }))).toBeNull();
    // Text deleted in a box since it took focus: its own undo brings the text back.
    const note = el('TEXTAREA', { value: '' });
    const listeners: Record<string, (e: Event) => void> = {};
    const stop = watchTyping({
      addEventListener: (type: string, f: (e: Event) => void) => (listeners[type] = f),
      removeEventListener: () => {},
    } as unknown as Document);
    listeners.input({ target: note } as unknown as Event);
    expect(shortcutFor(key('z', note, { ctrlKey: true }))).toBeNull();
    listeners.focusin({ target: note } as unknown as Event);
    expect(shortcutFor(key('z', note, { ctrlKey: true }))).toBe('undo');
    stop();
    // Nothing typed there (the tag box emptied by "Add tag"), or a select: the app's Undo.
    expect(shortcutFor(key('z', el('INPUT', { type: 'text', value: '' }), { ctrlKey: true }))).toBe('undo');
    expect(shortcutFor(key('z', el('SELECT', { value: 'x' }), { ctrlKey: true }))).toBe('undo');
    expect(shortcutFor(key('z', el('DIV')))).toBeNull();
  });

  it('passes Escape through everywhere', () => {
    expect(shortcutFor(key('Escape', el('INPUT', { type: 'text' })))).toBe('escape');
  });

  it('leaves browser and OS combinations alone', () => {
    expect(shortcutFor(key('n', null, { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('j', null, { altKey: true }))).toBeNull();
  });
});

describe('paletteOpensTo', () => {
  it('toggles the palette, but does not open it over another dialog', () => {
    expect(paletteOpensTo(false, false)).toBe(true);
    expect(paletteOpensTo(true, false)).toBe(false);
    expect(paletteOpensTo(false, true)).toBe(false);
    expect(paletteOpensTo(true, true)).toBe(false);
  });
});

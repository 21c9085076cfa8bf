import { describe, expect, it } from 'vitest';
import { menuSelect } from './menuSelect';

const select = () => ({ value: '' }) as HTMLSelectElement;
const key = (target: HTMLSelectElement, k: string, extra: Partial<KeyboardEvent> = {}) =>
  ({ key: k, currentTarget: target, preventDefault: () => {}, ...extra }) as unknown as KeyboardEvent & {
    currentTarget: HTMLSelectElement;
  };
const change = (target: HTMLSelectElement) => ({ currentTarget: target }) as unknown as Event & { currentTarget: HTMLSelectElement };

describe('menuSelect', () => {
  it('runs a choice picked from the opened menu at once', () => {
    const ran: string[] = [];
    const m = menuSelect((v) => ran.push(v));
    const s = select();
    s.value = 'q3';
    m.onchange(change(s));
    expect([ran, s.value]).toEqual([['q3'], '']);
  });

  it('does nothing while the arrows move through the choices, then runs on Enter', () => {
    const ran: string[] = [];
    const m = menuSelect((v) => ran.push(v));
    const s = select();
    for (const v of ['a', 'b']) {
      m.onkeydown(key(s, 'ArrowDown'));
      s.value = v;
      m.onchange(change(s));
    }
    expect(ran).toEqual([]);
    m.onkeydown(key(s, 'Enter'));
    expect([ran, s.value]).toEqual([['b'], '']);
  });

  it('runs nothing when left with a choice not confirmed', () => {
    const ran: string[] = [];
    const m = menuSelect((v) => ran.push(v));
    const s = select();
    m.onkeydown(key(s, 'q'));
    s.value = 'q3';
    m.onchange(change(s));
    m.onblur({ currentTarget: s } as unknown as FocusEvent & { currentTarget: HTMLSelectElement });
    expect([ran, s.value]).toEqual([[], '']);
  });

  it('treats Space and Alt+Down as opening the menu, not as a move', () => {
    const ran: string[] = [];
    const m = menuSelect((v) => ran.push(v));
    const s = select();
    m.onkeydown(key(s, ' '));
    m.onkeydown(key(s, 'ArrowDown', { altKey: true }));
    s.value = 'x';
    m.onchange(change(s));
    expect(ran).toEqual(['x']);
  });
});

describe('menuSelect after a key that moved nothing', () => {
  it('runs a pick made with the pointer', () => {
    const ran: string[] = [];
    const m = menuSelect((v) => ran.push(v));
    const s = { value: '' } as HTMLSelectElement;
    m.onkeydown({ key: 'ArrowUp', currentTarget: s, preventDefault: () => {} } as unknown as KeyboardEvent & {
      currentTarget: HTMLSelectElement;
    });
    m.onpointerdown();
    s.value = 'q3';
    m.onchange({ currentTarget: s } as unknown as Event & { currentTarget: HTMLSelectElement });
    expect(ran).toEqual(['q3']);
  });
});

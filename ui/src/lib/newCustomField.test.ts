import { describe, expect, it } from 'vitest';
import { NAME_FIRST, newFieldEscape } from './newCustomField';

describe('Escape in the new custom field boxes', () => {
  it('adds a named field before the panel closes', () => {
    expect(newFieldEscape('tier', 'gold')).toEqual({ action: 'add' });
    expect(newFieldEscape(' tier ', '')).toEqual({ action: 'add' });
  });

  it('keeps a value without a name, and says why', () => {
    expect(newFieldEscape('', 'gold')).toEqual({ action: 'stay', message: NAME_FIRST });
    expect(newFieldEscape('   ', 'gold')).toEqual({ action: 'stay', message: 'Name the field first (or clear the value)' });
  });

  it('closes when nothing is typed', () => {
    expect(newFieldEscape('', '')).toEqual({ action: 'close' });
    expect(newFieldEscape(' ', '  ')).toEqual({ action: 'close' });
  });
});

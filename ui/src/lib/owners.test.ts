import { describe, expect, it } from 'vitest';
import { assignedText, byPreviousOwner, memberLabel } from './owners';

describe('bulk owner change', () => {
  it('says what changed', () => {
    expect(assignedText('Ana', 3, 3)).toBe('3 leads given to Ana');
    expect(assignedText('Ana', 1, 2)).toBe('1 lead given to Ana (1 other already Ana’s)');
    expect(assignedText(null, 2, 4)).toBe('2 leads unassigned (2 others already unassigned)');
  });

  it('undoes with one call per owner the leads had', () => {
    const groups = byPreviousOwner([
      { lead_id: 'a', owner: 'me' },
      { lead_id: 'b', owner: null },
      { lead_id: 'c', owner: 'me' },
    ]);
    expect(groups).toEqual([
      ['me', ['a', 'c']],
      [null, ['b']],
    ]);
  });
});

describe('member labels', () => {
  it('marks the one signed in here once', () => {
    expect(memberLabel({ name: 'Ana Lima', me: true })).toBe('Ana Lima (me)');
    expect(memberLabel({ name: 'Me', me: true })).toBe('Me');
    expect(memberLabel({ name: 'Bo', me: false })).toBe('Bo');
  });
});

import { describe, expect, it } from 'vitest';
import { assignedText, byPrevious, listedText, memberLabel } from './owners';

describe('bulk owner change', () => {
  it('says what changed', () => {
    expect(assignedText('Ana', 3, 3)).toBe('3 leads given to Ana');
    expect(assignedText('Ana', 1, 2)).toBe('1 lead given to Ana (1 other already Ana’s)');
    expect(assignedText(null, 2, 4)).toBe('2 leads unassigned (2 others already unassigned)');
  });

  it('undoes with one call per owner the leads had', () => {
    const groups = byPrevious([
      { lead_id: 'a', value: 'me' },
      { lead_id: 'b', value: null },
      { lead_id: 'c', value: 'me' },
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

describe('groupBy', () => {
  it('keeps groups in the order first met', async () => {
    const { groupBy } = await import('./group');
    expect(groupBy(['a1', 'b1', 'a2'], (s) => s[0])).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1']],
    ]);
  });
});

describe('put in a list', () => {
  it('says which moved from other lists and which were in it already', () => {
    expect(listedText('Q4', [{ lead_id: 'a', value: null }], 1)).toBe('1 lead put in Q4');
    expect(
      listedText(
        'Q4',
        [
          { lead_id: 'a', value: 'l1' },
          { lead_id: 'b', value: null },
        ],
        3,
      ),
    ).toBe('2 leads put in Q4 (1 moved from another list, 1 already in it)');
  });
});

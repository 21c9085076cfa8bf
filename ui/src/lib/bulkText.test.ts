import { describe, expect, it } from 'vitest';
import { assignedText, campaignText, listedText, memberLabel, undoneText } from './bulkText';

describe('bulk owner change', () => {
  it('says what changed', () => {
    expect(assignedText('Ana', 3, 3)).toBe('3 leads given to Ana');
    expect(assignedText('Ana', 1, 2)).toBe('1 lead given to Ana (1 other already Ana’s)');
    expect(assignedText(null, 2, 4)).toBe('2 leads unassigned (2 others already unassigned)');
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

describe('added to a campaign', () => {
  it('says which were in it and which are not to be contacted', () => {
    expect(campaignText('Spring', 2, 0, 2)).toBe('2 leads added to Spring');
    expect(campaignText('Spring', 1, 1, 3)).toBe('1 lead added to Spring (1 already in it, 1 do-not-contact left out)');
  });
});

describe('undone', () => {
  it('says what went back, what changed since and what could not', () => {
    expect(undoneText('Owner change', { back: 2, moved_since: 0, refused: 0 })).toEqual({
      text: 'Owner change undone for 2 leads',
      error: false,
    });
    expect(undoneText('List change', { back: 1, moved_since: 1, refused: 2, first_refusal: 'no list X' })).toEqual({
      text: 'List change undone for 1 lead (1 lead changed since, left as it is; 2 could not go back: no list X)',
      error: true,
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { MergeField } from './api';
import { asideLabel, howText, movesText, sideName, unmergedText } from './merge';

const field = (name: string, mine: unknown, theirs: unknown): MergeField => ({
  field: name,
  mine,
  theirs,
  result: mine,
  how: 'same',
});

describe('sideName', () => {
  it('names each side by its name, else its email or company', () => {
    const fields = [field('first_name', 'Dana', null), field('last_name', ' Lee ', null), field('email', 'a@x.io', 'b@y.io')];
    expect(sideName(fields, 'mine')).toBe('Dana Lee');
    expect(sideName(fields, 'theirs')).toBe('b@y.io');
    expect(sideName([field('company', null, 'Acme')], 'theirs')).toBe('Acme');
    expect(sideName([], 'mine')).toBe('Unnamed lead');
  });
});

describe('movesText', () => {
  it('lists what moves in words', () => {
    expect(movesText([['activities', 2], ['campaign_leads', 1]])).toBe(
      'Its 2 activities and 1 campaign membership move to the lead you keep.',
    );
    expect(movesText([['activities', 1]])).toBe('Its 1 activity moves to the lead you keep.');
    expect(movesText([['activities', 0]])).toBeNull();
    expect(movesText([], [], 2)).toBe('The lead you keep leaves its 2 running campaigns (not to be contacted).');
    expect(movesText([['activities', 2]], [['campaign_leads', 1]])).toBe(
      'Its 2 activities move to the lead you keep; its 1 campaign membership ends (the lead you keep is in that campaign, or is not to be contacted).',
    );
    expect(movesText([['odd_things', 3], ['emails', 1], ['followups', 2]])).toBe(
      'Its 3 odd things, 1 email and 2 follow-ups move to the lead you keep.',
    );
  });
});

describe('howText and unmergedText', () => {
  it('say what happened', () => {
    expect(howText('filled')).toBe('from the other lead');
    expect(howText('combined')).toBe('both kept');
    expect(howText('choice')).toBe('');
    expect(howText('combined', 'last_contacted_at')).toBe('the later kept');
    expect(howText('combined', 'emails_sent_count')).toBe('added up');
    expect(howText('settled', 'tags')).toBe('the import’s possible-duplicate mark goes');
    expect(unmergedText([], (f) => f)).toBe('Merge undone');
    expect(unmergedText([], (f) => (f === 'list_id' ? 'List' : f), 0, ['list_id'])).toBe(
      'Merge undone — List left empty (the one it had is gone since)',
    );
    expect(unmergedText(['do_not_contact', 'job_title'], () => 'Job title')).toBe(
      'Merge undone — Job title changed since and kept; the do-not-contact mark stays (the team’s server keeps every opt-out)',
    );
  });
});

describe('asideLabel', () => {
  it('names the first free Other email', () => {
    expect(asideLabel([], 'Other email')).toBe('Other email');
    const merged = { ...field('custom_fields', {}, {}), result: { 'Other email': 'a@x', 'Other email 2': 'b@x' } };
    expect(asideLabel([merged], 'Other email')).toBe('Other email 3');
  });
});

import { describe, expect, it } from 'vitest';
import { activityIcon, activityLabel, isOpen, isStatus, neighbourStatus, STATUSES, statusLabel } from './status';

describe('statuses', () => {
  it('lists all nine in pipeline order', () => {
    expect(STATUSES).toEqual([
      'new',
      'contacted',
      'qualified',
      'proposal',
      'negotiation',
      'closed_won',
      'closed_lost',
      'nurturing',
      'unqualified',
    ]);
  });

  it('has human labels', () => {
    expect(statusLabel('closed_won')).toBe('Closed won');
    expect(statusLabel('new')).toBe('New');
    expect(statusLabel('on_hold')).toBe('On hold');
  });

  it('recognises statuses', () => {
    expect(isStatus('qualified')).toBe(true);
    expect(isStatus('won')).toBe(false);
  });

  it('counts only live deals as open pipeline', () => {
    expect(isOpen('proposal')).toBe(true);
    expect(isOpen('closed_won')).toBe(false);
    expect(isOpen('unqualified')).toBe(false);
  });

  it('finds the neighbouring column', () => {
    expect(neighbourStatus('new', 1)).toBe('contacted');
    expect(neighbourStatus('contacted', -1)).toBe('new');
    expect(neighbourStatus('new', -1)).toBeNull();
    expect(neighbourStatus('unqualified', 1)).toBeNull();
  });
});

describe('activity types', () => {
  it('have labels and icons, with a fallback', () => {
    expect(activityLabel('follow_up')).toBe('Follow-up');
    expect(activityLabel('carrier_pigeon')).toBe('Carrier pigeon');
    expect(activityIcon('call')).toBe('☎');
    expect(activityIcon('carrier_pigeon')).toBe('•');
  });
});

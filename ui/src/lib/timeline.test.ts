import { describe, expect, it } from 'vitest';
import { taskDue, timelineIcon, timelineLabel, timelineTitle, timelineTone, timelineType, timelineWhen } from './timeline';

describe('timeline entries', () => {
  it('labels activities by their type', () => {
    expect(timelineLabel({ source: 'activities', kind: 'note' })).toBe('Note');
    expect(timelineLabel({ source: 'activities', kind: 'follow_up' })).toBe('Follow-up');
    expect(timelineLabel({ source: 'activities', kind: null })).toBe('Activity');
    expect(timelineIcon({ source: 'activities', kind: 'task' })).toBe('☐');
    expect(timelineType({ source: 'activities', kind: 'note' })).toBe('note');
  });

  it('names what the lead started', () => {
    expect(timelineLabel({ source: 'activities', kind: 'email_inbound' })).toBe('Reply');
    expect(timelineIcon({ source: 'activities', kind: 'email_inbound' })).toBe('↩');
    expect(timelineTone({ source: 'activities', kind: 'email_inbound' })).toBe('contact');
    expect(timelineLabel({ source: 'activities', kind: 'call_inbound' })).toBe('Call from them');
    expect(timelineLabel({ source: 'activities', kind: 'note_inbound' })).toBe('Note');
  });

  it('labels other tables by source, with the kind when it says more', () => {
    expect(timelineLabel({ source: 'emails', kind: 'outbound' })).toBe('Email · Outbound');
    expect(timelineLabel({ source: 'emails', kind: 'email' })).toBe('Email');
    expect(timelineLabel({ source: 'call_logs', kind: null })).toBe('Call');
    expect(timelineLabel({ source: 'ai_insights', kind: 'buying_signal' })).toBe('AI insight · Buying signal');
    expect(timelineIcon({ source: 'documents' })).toBe('❏');
    expect(timelineType({ source: 'emails', kind: 'outbound' })).toBe('emails');
  });

  it('humanises a table it does not know', () => {
    expect(timelineLabel({ source: 'sms_messages', kind: null })).toBe('Sms messages');
    expect(timelineIcon({ source: 'sms_messages' })).toBe('•');
    expect(timelineTone({ source: 'sms_messages' })).toBe('other');
  });

  it('groups entries by tone for colour', () => {
    expect(timelineTone({ source: 'activities', kind: 'call' })).toBe('contact');
    expect(timelineTone({ source: 'activities', kind: 'task' })).toBe('task');
    expect(timelineTone({ source: 'activities', kind: 'note' })).toBe('note');
    expect(timelineTone({ source: 'lead_scores' })).toBe('insight');
    expect(timelineTone({ source: 'followups' })).toBe('task');
  });

  it('shows a title only when it says more than the label', () => {
    expect(timelineTitle({ source: 'activities', kind: 'call', title: 'Call' })).toBeNull();
    expect(timelineTitle({ source: 'activities', kind: 'call', title: ' call ' })).toBeNull();
    expect(timelineTitle({ source: 'activities', kind: 'call', title: null })).toBeNull();
    expect(timelineTitle({ source: 'activities', kind: 'call', title: '' })).toBeNull();
    expect(timelineTitle({ source: 'activities', kind: 'call', title: 'Pricing call' })).toBe('Pricing call');
    expect(timelineTitle({ source: 'activities', kind: 'note', title: 'Call' })).toBe('Call');
  });
});

describe('taskDue', () => {
  it('marks an overdue task', () => {
    const now = new Date(2026, 10, 27, 15, 0);
    expect(taskDue('2026-11-20T09:00:00Z', now, 'en-US')).toEqual({ text: 'Overdue · due Nov 20, 2026', late: true });
    expect(taskDue('2026-11-27T09:00:00Z', now, 'en-US')).toEqual({ text: 'Due today', late: false });
    expect(taskDue('2026-12-01T09:00:00Z', now, 'en-US')).toEqual({ text: 'Due Dec 1, 2026', late: false });
    expect(taskDue(null, now)).toBeNull();
  });
});

describe('timelineWhen', () => {
  it('shows a task dated by its day as that day, anything else with its time', () => {
    const task = { source: 'activities', kind: 'task', at: '2026-11-26T09:00:00.000000Z', due: '2026-11-26T09:00:00.000000Z' };
    expect(timelineWhen(task, 'en-US')).toBe('Nov 26, 2026');
    const call = { source: 'activities', kind: 'call', at: '2026-11-26T09:00:00Z', due: null };
    expect(timelineWhen(call, 'en-US')).toMatch(/Nov 26, 2026, \d/);
    const timed = { ...task, at: '2026-11-26T14:30:00Z', due: '2026-11-26T14:30:00Z' };
    expect(timelineWhen(timed, 'en-US')).toMatch(/\d:30/);
  });

  it('shows a call or reply logged as of an earlier day as that day (its UTC day), other entries with their time', () => {
    const call = { source: 'activities', kind: 'call', at: '2026-11-24T12:00:00.000000Z', due: null };
    expect(timelineWhen(call, 'en-US')).toBe('Nov 24, 2026');
    expect(timelineWhen({ ...call, kind: 'email_inbound' }, 'en-US')).toBe('Nov 24, 2026');
    expect(timelineWhen({ ...call, at: '2026-11-24T00:00:00Z' }, 'en-US')).toBe('Nov 24, 2026');
    expect(timelineWhen({ ...call, at: '2026-11-24T12:00:00.000001Z' }, 'en-US')).toMatch(/Nov 24, 2026, \d/);
    expect(timelineWhen({ ...call, source: 'emails' }, 'en-US')).toMatch(/Nov 24, 2026, \d/);
    expect(timelineWhen({ ...call, kind: 'task', due: null }, 'en-US')).toMatch(/Nov 24, 2026, \d/);
    // A meeting booked at 16:00 in California is midnight UTC: it keeps its time.
    expect(timelineWhen({ ...call, kind: 'meeting', at: '2026-11-24T00:00:00.000000Z' }, 'en-US')).toMatch(/, \d/);
  });
});

import { describe, expect, it } from 'vitest';
import { myDayTitle, myDayTotal } from './myDayCount.svelte';

describe("My day's count", () => {
  it('adds up follow-ups, tasks and messages, nothing before the first read', () => {
    expect(myDayTotal(null)).toBe(0);
    expect(myDayTotal({ follow_ups: 2, tasks: 501, messages: 1 })).toBe(504);
  });

  it('says what it is made of', () => {
    expect(myDayTitle({ follow_ups: 2, tasks: 1, messages: 1 })).toBe(
      '2 follow-ups and 1 task due, 1 message to answer',
    );
    expect(myDayTitle({ follow_ups: 0, tasks: 1204, messages: 0 })).toBe('1,204 tasks due');
    expect(myDayTitle({ follow_ups: 1, tasks: 0, messages: 3 })).toBe('1 follow-up due, 3 messages to answer');
    expect(myDayTitle({ follow_ups: 0, tasks: 0, messages: 0 })).toBe('Nothing due');
  });
});

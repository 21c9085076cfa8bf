// My day's count beside its name in the navigation: what is due by the end of the rep's today
// (follow-ups and tasks, overdue and undated ones included, as My day lists them) and the messages
// that need action, so a rep working on another screen sees work come due without opening My day.
import { api, type MyDayCounts } from './api';
import { endOfDay, endOfTodayRfc3339, countOf } from './format';
import { onLeadEvent } from './events';

export function myDayTotal(c: MyDayCounts | null): number {
  return c ? c.follow_ups + c.tasks + c.messages : 0;
}

/** "2 follow-ups and 1 task due, 1 message to answer" (what the count is made of). */
export function myDayTitle(c: MyDayCounts): string {
  const due = [c.follow_ups ? countOf(c.follow_ups, 'follow-up') : '', c.tasks ? countOf(c.tasks, 'task') : '']
    .filter(Boolean)
    .join(' and ');
  const parts = [due ? `${due} due` : '', c.messages ? `${countOf(c.messages, 'message')} to answer` : ''];
  return parts.filter(Boolean).join(', ') || 'Nothing due';
}

class MyDayCount {
  counts = $state.raw<MyDayCounts | null>(null);
  #reading = false;
  #again = false;

  /** Reads now, on every lead event (an edit, a task ticked off, a sync's rows), when the window
   *  is shown again (a laptop woken past midnight) and when the day turns; returns the teardown. */
  watch = (): (() => void) => {
    let turn: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(turn);
      // A second past midnight: tomorrow's follow-ups are today's.
      turn = setTimeout(
        () => {
          void this.read();
          arm();
        },
        endOfDay(new Date()).getTime() - Date.now() + 1000,
      );
    };
    const shown = () => {
      if (document.visibilityState === 'visible') {
        void this.read();
        arm();
      }
    };
    void this.read();
    arm();
    const off = onLeadEvent(() => void this.read());
    document.addEventListener('visibilitychange', shown);
    window.addEventListener('focus', shown);
    return () => {
      clearTimeout(turn);
      off();
      document.removeEventListener('visibilitychange', shown);
      window.removeEventListener('focus', shown);
    };
  };

  /** One read at a time; events meanwhile ask for one more after it (a bulk step sends many). */
  async read(): Promise<void> {
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    try {
      do {
        this.#again = false;
        try {
          this.counts = await api.myDayCounts(endOfTodayRfc3339(new Date()));
        } catch {
          // The count is a hint: a failed read leaves the last one (My day itself says why).
        }
      } while (this.#again);
    } finally {
      this.#reading = false;
    }
  }
}

export const myDayCount = new MyDayCount();

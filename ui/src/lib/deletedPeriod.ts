// The Recently deleted screen's periods: a bulk delete regretted past its Undo is found as "deleted
// in the last hour" and restored whole, without older deletions coming back with it.
import { startOfDay } from './format';

export type DeletedPeriod = 'hour' | 'today' | 'week' | 'all';

export const DELETED_PERIODS: readonly { value: DeletedPeriod; label: string; words: string }[] = [
  { value: 'hour', label: 'In the last hour', words: 'in the last hour' },
  { value: 'today', label: 'Today', words: 'today' },
  { value: 'week', label: 'In the last 7 days', words: 'in the last 7 days' },
  { value: 'all', label: 'Any time', words: '' },
];

/** Where the period begins (RFC 3339), null for any time. */
export function periodStart(period: DeletedPeriod, now: Date): string | null {
  switch (period) {
    case 'hour':
      return new Date(now.getTime() - 3600_000).toISOString();
    case 'today':
      return startOfDay(now).toISOString();
    case 'week':
      return new Date(now.getTime() - 7 * 86_400_000).toISOString();
    default:
      return null;
  }
}

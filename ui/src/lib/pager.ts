// Keyset paging for the lead list. Pages are appended as the rep scrolls, each fetched with the
// cursor the previous one returned, so the store never re-reads from the start and the list holds
// exactly what was scrolled through. Rows are slimmed to what the list shows: at hundreds of
// thousands of rows the full lead objects would cost far more memory than the screen needs.
import type { LeadSummary } from './api';
import type { LeadStatus } from './bindings';
import { leadName } from './format';

export interface ListRow {
  id: string;
  name: string;
  company: string;
  email: string;
  status: LeadStatus;
  score: number | null;
  followUp: string | null;
  /** As the row shows them: "vip, q4". */
  tags: string;
  /** Not to be contacted (marked by its name). */
  dnc: boolean;
}

export function toRow(lead: LeadSummary): ListRow {
  return {
    id: lead.id,
    name: leadName(lead),
    company: lead.company ?? '',
    email: lead.email ?? '',
    status: lead.status,
    score: lead.current_score,
    followUp: lead.next_follow_up_at,
    tags: (lead.tags ?? []).join(', '),
    dnc: lead.do_not_contact ?? false,
  };
}

export interface PageOf<T> {
  items: T[];
  next: string | null;
}

export type FetchPage<T> = (cursor: string | null) => Promise<PageOf<T>>;

/** `fresh` (a new read of the list) in the order the rows in `before` were shown: rows on screen
 *  stay where they were (a bulk step or a sync would otherwise re-sort them under the pointer,
 *  a row ticked next landing on another lead); a row new to the list goes right after the row it
 *  follows in the fresh order (first when it leads it). Rows gone from `fresh` are left out. */
export function keptInPlace<T extends { id: string }>(before: readonly string[], fresh: readonly T[]): T[] {
  const shown = new Set(before);
  const leading: T[] = [];
  const after = new Map<string, T[]>();
  const byId = new Map<string, T>();
  let last: string | null = null;
  for (const row of fresh) {
    if (shown.has(row.id)) {
      byId.set(row.id, row);
      last = row.id;
    } else if (last === null) leading.push(row);
    else {
      const list = after.get(last) ?? [];
      list.push(row);
      after.set(last, list);
    }
  }
  const out = leading;
  for (const id of before) {
    const row = byId.get(id);
    if (!row) continue;
    out.push(row, ...(after.get(id) ?? []));
  }
  return out;
}

export class KeysetPager<T extends { id: string }> {
  /** Loaded rows in order. Mutated in place (a copy per page would be O(n) at every page);
   *  onChange tells the view to re-read. */
  readonly rows: T[] = [];
  done = false;
  loading = false;
  /** A failed fetch stops automatic loading until retry(), so scrolling cannot hammer an error. */
  failed = false;
  private cursor: string | null = null;
  // Bumped by reset(): a page that arrives for an older query is dropped.
  private generation = 0;

  constructor(
    private fetchPage: FetchPage<T>,
    private readonly onChange: () => void,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  get canLoad(): boolean {
    return !this.done && !this.loading && !this.failed;
  }

  async loadMore(): Promise<void> {
    if (!this.canLoad) return;
    const generation = this.generation;
    this.loading = true;
    this.onChange();
    try {
      const page = await this.fetchPage(this.cursor);
      if (generation !== this.generation) return;
      for (const item of page.items) this.rows.push(item);
      this.cursor = page.next;
      this.done = page.next === null;
    } catch (e) {
      if (generation !== this.generation) return;
      this.failed = true;
      this.onError(e);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.onChange();
      }
    }
  }

  /** Starts over, e.g. for a new filter; `fetchPage` replaces the page source when given. */
  reset(fetchPage?: FetchPage<T>): void {
    if (fetchPage) this.fetchPage = fetchPage;
    this.generation++;
    this.rows.length = 0;
    this.cursor = null;
    this.done = false;
    this.loading = false;
    this.failed = false;
    this.onChange();
  }

  /** Swaps the loaded rows for a fresh read of the same first rows (a sync brought changes), so
   *  the list keeps its place; a page still on its way for the old rows is dropped. */
  replace(items: T[], next: string | null): void {
    this.generation++;
    this.rows.splice(0, this.rows.length, ...items);
    this.cursor = next;
    this.done = next === null;
    this.loading = false;
    this.failed = false;
    this.onChange();
  }

  retry(): Promise<void> {
    this.failed = false;
    return this.loadMore();
  }

  indexOf(id: string): number {
    return this.rows.findIndex((r) => r.id === id);
  }

  /** Replaces a loaded row in place (an edit elsewhere); unknown ids are ignored. */
  update(item: T): void {
    const i = this.indexOf(item.id);
    if (i >= 0) {
      this.rows[i] = item;
      this.onChange();
    }
  }

  /** Drops a loaded row (deleted, or no longer matching the filter). The cursor stays valid: it
   *  points past the last row fetched, not at a position in this array. */
  remove(id: string): void {
    const i = this.indexOf(id);
    if (i >= 0) {
      this.rows.splice(i, 1);
      this.onChange();
    }
  }
}

// The lead list's filters as the rep sets them, and the LeadQuery the store takes for them.
import type { LeadQuery, SortField } from './api';
import { defaultQuery } from './api';
import type { Owner } from './bindings';

export interface Filters {
  /** Full-text search, as typed. */
  text: string;
  tag: string;
  /** One status, or '' for all. */
  status: string;
  sort: SortField;
  descending: boolean;
  /** Only the leads of this list (set from the Lists screen or a saved view). */
  listId?: string | null;
  /** Only the leads in this campaign (set from the Lists screen or a saved view). */
  campaignId?: string | null;
  /** Whose leads: a member's, the unassigned ones, or everyone's (null). */
  owner?: Owner | null;
}

export const SORTS: readonly { value: SortField; label: string }[] = [
  { value: 'updated_at', label: 'Last updated' },
  { value: 'created_at', label: 'Created' },
  { value: 'name', label: 'Last name' },
  { value: 'company', label: 'Company' },
  { value: 'score', label: 'Score' },
  { value: 'follow_up', label: 'Follow-up' },
];

export function defaultFilters(): Filters {
  return {
    text: '',
    tag: '',
    status: '',
    sort: 'updated_at',
    descending: true,
    listId: null,
    campaignId: null,
    owner: null,
  };
}

/** Blank text means no filter (null), so " " lists everything rather than searching for nothing. */
export function buildQuery(f: Filters): LeadQuery {
  return {
    ...defaultQuery(),
    statuses: f.status ? [f.status] : [],
    owner: f.owner ?? null,
    list_id: f.listId || null,
    campaign_id: f.campaignId || null,
    tag: f.tag.trim() || null,
    text: f.text.trim() || null,
    sort: f.sort,
    descending: f.descending,
  };
}

/** True when the query selects every lead, so its count is the database's total. */
export function isUnfiltered(q: LeadQuery): boolean {
  return q.statuses.length === 0 && !q.tag && !q.text && !q.list_id && !q.campaign_id && !q.owner;
}

/** The filters with nothing narrowing the list (search, status, tag, list, campaign, owner); the
 *  sort stays, being how the rep likes the list ordered rather than what it holds. */
export function clearedFilters(f: Filters): Filters {
  const blank = defaultFilters();
  return { ...blank, sort: f.sort, descending: f.descending };
}

/** Whether a lead with `status` can still be listed under `q` (after an edit changed it). */
export function statusMatches(q: LeadQuery, status: string): boolean {
  return q.statuses.length === 0 || q.statuses.includes(status);
}

/** Whether a lead edited to these values can still be listed under `q`: its status and owner (the
 *  filters an edit in the panel can leave). */
export function stillMatches(q: LeadQuery, lead: { status: string; assigned_to?: string | null }): boolean {
  if (!statusMatches(q, lead.status)) return false;
  const owner = q.owner;
  if (!owner) return true;
  return owner.kind === 'unassigned' ? !lead.assigned_to : lead.assigned_to === owner.id;
}

/** The filters that select what a saved query does. The toolbar picks one status, so a query with
 *  several keeps the first. */
export function filtersFromQuery(q: Partial<LeadQuery>): Filters {
  return {
    text: q.text ?? '',
    tag: q.tag ?? '',
    status: q.statuses?.[0] ?? '',
    sort: q.sort ?? 'updated_at',
    descending: q.descending ?? true,
    listId: q.list_id ?? null,
    campaignId: q.campaign_id ?? null,
    owner: q.owner ?? null,
  };
}

/** Whether two queries select and order the same leads (blank text and null are alike). */
export function sameQuery(a: Partial<LeadQuery>, b: Partial<LeadQuery>): boolean {
  return JSON.stringify(buildQuery(filtersFromQuery(a))) === JSON.stringify(buildQuery(filtersFromQuery(b)));
}

/** The owner select's value for a filter: '' everyone's, 'unassigned', or a member's id. */
export function ownerValue(owner: Owner | null | undefined): string {
  if (!owner) return '';
  return owner.kind === 'unassigned' ? UNASSIGNED : owner.id;
}

export function ownerFromValue(value: string): Owner | null {
  if (!value) return null;
  return value === UNASSIGNED ? { kind: 'unassigned' } : { kind: 'user', id: value };
}

const UNASSIGNED = 'unassigned';

/** What an empty lead list says: a list or campaign with no one in it yet says how leads join. */
export function emptyText(f: Filters, gone = false): string {
  if (gone) return 'The list or campaign this view shows was deleted. Clear the filters to see your leads.';
  const narrowed = f.text.trim() || f.tag.trim() || f.status || f.owner;
  if (!narrowed && f.listId) return 'No leads in this list yet. In the full list, tick leads, then “Add to list…”.';
  if (!narrowed && f.campaignId) {
    return 'No leads in this campaign yet. In the full list, tick leads, then “Add to campaign…”.';
  }
  return 'No leads match these filters.';
}

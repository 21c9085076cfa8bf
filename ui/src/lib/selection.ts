// What the lead list's ticks cover. The list loads 100 leads at a time, so "select all" can only
// tick the loaded ones: the bulk bar and the header checkbox say so against the filter's total,
// or a bulk edit would quietly change 100 of 200,000 leads. Up to SELECT_ALL_CAP matching leads,
// the bar offers to tick them all (fetched in pages of SELECT_ALL_PAGE, see fetchMatching).
import type { LeadStatus } from './bindings';
import { countOf, formatNumber } from './format';

/** The most leads "Select all … matching" ticks: above it the rep narrows the filter. */
export const SELECT_ALL_CAP = 10_000;
/** The store's largest page of list_leads. */
export const SELECT_ALL_PAGE = 5_000;
/** A bulk change of this many leads or more shows its progress on the button. */
export const PROGRESS_FROM = 20;

export interface Selection {
  /** Leads ticked. */
  selected: number;
  /** Rows loaded into the list. */
  loaded: number;
  /** Leads the filter matches; null until counted. */
  total: number | null;
  /** The ticks were widened to every matching lead ("Select all … matching"). */
  matching?: boolean;
  /** The most leads "Select all … matching" takes: given, the bar says above it how to get there. */
  cap?: number;
}

const allLoaded = (s: Selection) => s.total !== null && s.loaded >= s.total;

/** The bulk bar's "… selected" line. */
export function selectionText(s: Selection, locale?: string): string {
  const { selected, loaded, total } = s;
  if (total === null || total < selected) return `${countOf(selected, 'lead', undefined, locale)} selected`;
  if (selected === total) {
    if (total === 1) return '1 lead selected';
    return `All ${formatNumber(total, locale)} ${s.matching ? 'matching ' : ''}leads selected`;
  }
  if (selected === loaded && !allLoaded(s)) {
    const more =
      s.cap !== undefined && total > s.cap
        ? `narrow the filter to ${formatNumber(s.cap, locale)} leads or fewer to select them all`
        : 'narrow the filter';
    return `${formatNumber(selected, locale)} loaded ${selected === 1 ? 'lead' : 'leads'} selected of ${formatNumber(total, locale)} — scroll to load more, or ${more}`;
  }
  return `${countOf(selected, 'lead', undefined, locale)} selected of ${formatNumber(total, locale)}`;
}

/** The header checkbox's tooltip. */
export function selectLoadedTitle(s: Selection, locale?: string): string {
  if (s.total === null || allLoaded(s)) return 'Select the loaded leads';
  return `Select the loaded leads (${formatNumber(s.loaded, locale)} of ${formatNumber(s.total, locale)}; scroll to load more)`;
}

/** The header checkbox is ticked only when every lead the filter matches is; a part (say, the
 *  loaded ones of many more) shows as partly ticked. */
export function headerCheck(s: Selection): 'all' | 'some' | 'none' {
  if (s.selected === 0) return 'none';
  return s.total !== null && s.selected >= s.total ? 'all' : 'some';
}

/** Whether the bulk bar offers "Select all … matching": only once every loaded row is ticked and
 *  the filter matches more; 'too-many' above the cap (the bar then says to narrow the filter). */
export function matchingOffer(s: Selection, everyLoadedTicked: boolean, cap = SELECT_ALL_CAP): 'offer' | 'too-many' | null {
  if (!everyLoadedTicked || s.loaded === 0 || s.total === null) return null;
  if (s.selected >= s.total || allLoaded(s)) return null;
  return s.total <= cap ? 'offer' : 'too-many';
}

/** The "Select all … matching" button's label. */
export function selectAllText(total: number, locale?: string): string {
  return `Select all ${formatNumber(total, locale)} matching`;
}

export interface MatchingPage {
  leads: readonly { id: string; status: LeadStatus }[];
  next_cursor?: string | null;
}

/** Every lead a filter matches, id → status, read page by page (`fetchPage(cursor)`, following
 *  next_cursor). The statuses let a bulk change's Undo put back leads whose rows are not loaded.
 *  More than `cap` leads (the filter gained some since it was counted) is refused: nothing is
 *  ticked then. */
export async function fetchMatching(
  fetchPage: (cursor: string | null) => Promise<MatchingPage>,
  cap = SELECT_ALL_CAP,
  locale?: string,
): Promise<Map<string, LeadStatus>> {
  const statuses = new Map<string, LeadStatus>();
  let cursor: string | null = null;
  do {
    const page: MatchingPage = await fetchPage(cursor);
    for (const lead of page.leads) statuses.set(lead.id, lead.status);
    if (statuses.size > cap) {
      throw new Error(
        `The filter now matches more than ${formatNumber(cap, locale)} leads — narrow it to ${formatNumber(cap, locale)} or fewer to select them all`,
      );
    }
    // An empty page with a cursor would go round for ever.
    cursor = page.leads.length > 0 ? (page.next_cursor ?? null) : null;
  } while (cursor !== null);
  return statuses;
}

// What the lead list's ticks cover. The list loads 100 leads at a time, so "select all" can only
// tick the loaded ones: the bulk bar and the header checkbox say so against the filter's total,
// or a bulk edit would quietly change 100 of 200,000 leads.
import { countOf, formatNumber } from './format';

export interface Selection {
  /** Leads ticked. */
  selected: number;
  /** Rows loaded into the list. */
  loaded: number;
  /** Leads the filter matches; null until counted. */
  total: number | null;
}

const allLoaded = (s: Selection) => s.total !== null && s.loaded >= s.total;

/** The bulk bar's "… selected" line. */
export function selectionText(s: Selection, locale?: string): string {
  const { selected, loaded, total } = s;
  if (total === null || total < selected) return `${countOf(selected, 'lead', undefined, locale)} selected`;
  if (selected === total) return total === 1 ? '1 lead selected' : `All ${formatNumber(total, locale)} leads selected`;
  if (selected === loaded && !allLoaded(s)) {
    return `${formatNumber(selected, locale)} loaded ${selected === 1 ? 'lead' : 'leads'} selected of ${formatNumber(total, locale)} — scroll to load more, or narrow the filter`;
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

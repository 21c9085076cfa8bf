// The pipeline board's data: cards per status column, and moving a card between columns (with the
// column totals) as plain functions so the drag code only deals with pointers.
import type { LeadSummary, StatusCount } from './api';
import type { LeadStatus } from './bindings';
import { leadName, toAmount } from './format';
import { STATUSES } from './status';

export interface Card {
  id: string;
  name: string;
  company: string;
  value: number;
  score: number | null;
  status: LeadStatus;
}

export type Columns = Record<LeadStatus, Card[]>;

export function toCard(lead: LeadSummary): Card {
  return {
    id: lead.id,
    name: leadName(lead),
    company: lead.company ?? '',
    value: toAmount(lead.predicted_value),
    score: lead.current_score,
    status: lead.status,
  };
}

export function emptyColumns(): Columns {
  return Object.fromEntries(STATUSES.map((s) => [s, []])) as unknown as Columns;
}

export function findCard(cols: Columns, id: string): Card | null {
  for (const s of STATUSES) {
    const card = cols[s].find((c) => c.id === id);
    if (card) return card;
  }
  return null;
}

/** The columns with `card` (updated) at the top of its status column and nowhere else. */
export function placeCard(cols: Columns, card: Card): Columns {
  const next = { ...cols };
  for (const s of STATUSES) {
    if (next[s].some((c) => c.id === card.id)) next[s] = next[s].filter((c) => c.id !== card.id);
  }
  next[card.status] = [card, ...next[card.status]];
  return next;
}

export function removeCard(cols: Columns, id: string): Columns {
  const next = { ...cols };
  for (const s of STATUSES) {
    if (next[s].some((c) => c.id === id)) next[s] = next[s].filter((c) => c.id !== id);
  }
  return next;
}

/** Column totals after a card worth `value` moved from one status to another. */
export function shiftSummary(summary: StatusCount[], from: LeadStatus, to: LeadStatus, value: number): StatusCount[] {
  return summary.map((s) => {
    if (s.status === from) return { ...s, count: (s.count ?? 0) - 1, value: (s.value ?? 0) - value };
    if (s.status === to) return { ...s, count: (s.count ?? 0) + 1, value: (s.value ?? 0) + value };
    return s;
  });
}

/** The card an arrow key moves the keyboard to from `id`: up and down within its column, left and
 *  right to the nearest column with cards (at the same height, or its last card); null at an edge.
 *  Tab alone went through every card, fifty a column. */
export function cardToward(cols: Columns, id: string, key: string): string | null {
  const at = STATUSES.findIndex((s) => cols[s].some((c) => c.id === id));
  if (at < 0) return null;
  const column = cols[STATUSES[at]];
  const row = column.findIndex((c) => c.id === id);
  if (key === 'ArrowUp') return column[row - 1]?.id ?? null;
  if (key === 'ArrowDown') return column[row + 1]?.id ?? null;
  const step = key === 'ArrowLeft' ? -1 : key === 'ArrowRight' ? 1 : 0;
  if (step === 0) return null;
  for (let i = at + step; i >= 0 && i < STATUSES.length; i += step) {
    const cards = cols[STATUSES[i]];
    if (cards.length) return cards[Math.min(row, cards.length - 1)].id;
  }
  return null;
}

/** How near the board's side a dragged card scrolls the board, and how far per frame (the
 *  nearer the side, the faster, up to EDGE_MAX). */
export const EDGE_PX = 56;
const EDGE_MAX = 24;

/** The board's scroll per frame for a card dragged at `x` over a board from `left` to `right`:
 *  negative toward the left, 0 away from the sides (columns off screen were out of reach). */
export function edgeStep(x: number, left: number, right: number): number {
  const into = (d: number) => Math.ceil((EDGE_MAX * (EDGE_PX - Math.max(0, d))) / EDGE_PX);
  if (x < left + EDGE_PX) return -into(x - left);
  if (x > right - EDGE_PX) return into(right - x);
  return 0;
}

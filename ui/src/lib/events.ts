// Lead changes made on one screen reach the others (list rows, board cards, the open detail panel)
// without each screen re-fetching everything.
import type { Lead } from './api';

export type LeadEvent =
  | { kind: 'changed'; lead: Lead }
  | { kind: 'deleted'; id: string }
  /** Many leads changed at once (demo data, an import): views reload. With keepPlace (rows a sync
   *  received, a new or restored lead) the lead list keeps its scroll position and ticked rows. */
  | { kind: 'reload'; keepPlace?: boolean }
  /** Work was logged on a lead or a task done: its timeline and My day's tasks read again. */
  | { kind: 'activity'; leadId: string };

type Listener = (e: LeadEvent) => void;

const listeners = new Set<Listener>();

/** Subscribes; returns the unsubscribe function (so it can be an $effect's teardown). */
export function onLeadEvent(fn: Listener): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

export function emitLeadEvent(e: LeadEvent): void {
  for (const fn of [...listeners]) fn(e);
}

/** A window event asking every open form to save what is typed in it and not saved yet (the
 *  window is about to close; see CloseGuard). */
export const SAVE_TYPED = 'outpost-save-typed';
/** The window stays open after all (the rep kept it, or a refused value held it). */
export const CLOSE_CANCELLED = 'outpost-close-cancelled';

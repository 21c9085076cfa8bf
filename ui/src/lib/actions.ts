// Actions reachable from several places (buttons, shortcuts, the command palette), each reporting
// its outcome as a toast.
import { api } from './api';
import { app } from './app.svelte';
import { emitLeadEvent } from './events';
import { countOf } from './format';
import { buildQuery } from './query';
import { toastError, toastInfo } from './toasts.svelte';

export const DEMO_COUNT = 200;

let loadingDemo = false;

export async function loadDemoData(): Promise<void> {
  // A double click must not seed twice.
  if (loadingDemo) return;
  loadingDemo = true;
  try {
    const added = await api.loadDemoData(DEMO_COUNT);
    app.totalLeads = (app.totalLeads ?? 0) + added;
    toastInfo(`Loaded ${added} demo leads`);
    emitLeadEvent({ kind: 'reload' });
  } catch (e) {
    toastError(e);
  } finally {
    loadingDemo = false;
  }
}

/** Exports what the lead list's filters select (not just the rows loaded so far). */
export async function exportCsv(): Promise<void> {
  if (app.exporting) return;
  app.exporting = true;
  try {
    const saved = await api.exportLeadsCsv(buildQuery(app.filters));
    if (saved) toastInfo(`Exported ${countOf(saved.rows ?? 0, 'lead')} to ${saved.path}`);
  } catch (e) {
    toastError(e);
  } finally {
    app.exporting = false;
  }
}

export function openNewLead(): void {
  app.paletteOpen = false;
  app.newLeadOpen = true;
}

export function focusSearch(): void {
  app.goto('leads');
  app.wantSearchFocus = true;
}

/** Re-reads the database's lead count after many leads came or went (an import, an undo). */
export async function refreshLeadTotal(): Promise<void> {
  try {
    app.totalLeads = (await api.appInfo()).total_leads ?? 0;
  } catch {
    // Keeps the count it had; the lists reload either way.
  }
}

/** Brings back a lead deleted a moment ago (the "Lead deleted" toast's Undo) and reopens it. */
export async function restoreLead(id: string): Promise<void> {
  try {
    await api.restoreLead(id);
    if (app.totalLeads !== null) app.totalLeads++;
    emitLeadEvent({ kind: 'reload', keepPlace: true });
    app.selectedId = id;
    toastInfo('Lead restored');
  } catch (e) {
    toastError(e);
  }
}

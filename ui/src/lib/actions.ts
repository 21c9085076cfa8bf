// Actions reachable from several places (buttons, shortcuts, the command palette), each reporting
// its outcome as a toast.
import { api, errorMessage } from './api';
import type { SavedFile } from './bindings';
import { app } from './app.svelte';
import { deletedText, inBatches, restoredText } from './bulkDelete';
import { emitLeadEvent } from './events';
import { countOf } from './format';
import { buildQuery } from './query';
import { PROGRESS_FROM } from './selection';
import { toastError, toastInfo, toasts, type ToastAction } from './toasts.svelte';

export const DEMO_COUNT = 200;

let loadingDemo = false;

export async function loadDemoData(): Promise<void> {
  // A double click must not seed twice.
  if (loadingDemo) return;
  loadingDemo = true;
  try {
    const added = await api.loadDemoData(DEMO_COUNT);
    app.totalLeads = (app.totalLeads ?? 0) + added;
    toastInfo(`Loaded ${added} demo leads — remove them any time from Settings`);
    emitLeadEvent({ kind: 'reload' });
  } catch (e) {
    toastError(e);
  } finally {
    loadingDemo = false;
  }
}

/** Exports what the lead list's filters select (not just the rows loaded so far). */
export async function exportCsv(): Promise<void> {
  await exporting(async () => {
    // The picker would otherwise ask where to save a file with only a header row in it.
    const query = buildQuery(app.filters);
    if ((await api.countLeads(query)) === 0) {
      toastInfo('There are no leads to export: the list shows none with these filters');
      return null;
    }
    return api.exportLeadsCsv(query);
  });
}

/** Exports the leads ticked in the list, in the order they were ticked. */
export async function exportSelected(ids: string[]): Promise<void> {
  if (ids.length) await exporting(() => api.exportSelectedCsv(ids));
}

/** One export at a time; says where the file went (nothing when the rep cancelled the dialog). */
async function exporting(save: () => Promise<SavedFile | null>): Promise<void> {
  if (app.exporting) return;
  app.exporting = true;
  try {
    const saved = await save();
    if (saved) toastInfo(`Exported ${countOf(saved.rows ?? 0, 'lead')} to ${saved.path}`, showInFolder(saved.path));
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

/** Deletes the leads in batches (see inBatches) and says how it went in a toast whose Undo restores
 *  exactly the leads deleted. Resolves to those leads. */
export async function deleteLeads(
  ids: readonly string[],
  onProgress?: (done: number, total: number) => void,
  noun = 'lead',
): Promise<string[]> {
  const { done, failed, firstError } = await inBatches(ids, api.deleteLeads, api.deleteLead, onProgress);
  await refreshLeadTotal();
  // A deleted lead's panel would edit what is gone ("No lead …" and the typing lost).
  if (app.selectedId !== null && done.includes(app.selectedId)) app.selectedId = null;
  if (done.length) emitLeadEvent({ kind: 'reload', keepPlace: true });
  // Outside any screen's state: the screen may be gone when Undo is clicked.
  const undo = done.length ? { label: 'Undo', run: () => void restoreLeads(done) } : undefined;
  const text = deletedText(done.length, failed, failed ? errorMessage(firstError) : '', noun);
  // Many leads gone: the Undo stays until the rep closes it (15 s went by while they looked).
  toasts.show(failed ? 'error' : 'info', text, undo, done.length > 1);
  return done;
}

/** Undos already asked for: a second one (another bulk delete's) runs after the first, not never. */
let restoring: Promise<void> = Promise.resolve();

/** A bulk delete's Undo. */
export function restoreLeads(ids: readonly string[]): Promise<void> {
  restoring = restoring.then(() => restoreNow(ids));
  return restoring;
}

async function restoreNow(ids: readonly string[]): Promise<void> {
  // Thousands take a while, and the toast that offered the Undo is gone.
  if (ids.length >= PROGRESS_FROM) toastInfo(`Restoring ${countOf(ids.length, 'lead')}…`);
  try {
    const { done, failed, firstError } = await inBatches(ids, api.restoreLeads, api.restoreLead);
    await refreshLeadTotal();
    emitLeadEvent({ kind: 'reload', keepPlace: true });
    toasts.show(failed ? 'error' : 'info', restoredText(done.length, failed, failed ? errorMessage(firstError) : ''));
  } catch (e) {
    toastError(e);
  }
}

/** How many demo leads there are (by what only the demo loader sets: a rep's own lead tagged
 *  "demo", a demo booked, is not one). */
export async function countDemoLeads(): Promise<number> {
  return (await api.demoLeads()).length;
}

/** Settings' "Demo data" card, where the demo leads are removed (brought into view); or says there
 *  are none. */
export async function openDemoRemoval(): Promise<void> {
  try {
    if ((await countDemoLeads()) === 0) return void toastInfo('There are no demo leads to remove');
    app.wantDemoCard = true;
    app.goto('settings');
  } catch (e) {
    toastError(e);
  }
}

/** Deletes every demo lead, with the same Undo as a bulk delete. */
export async function removeDemoData(onProgress?: (done: number, total: number) => void): Promise<void> {
  try {
    const ids = await api.demoLeads();
    if (ids.length === 0) return void toastInfo('There are no demo leads to remove');
    await deleteLeads(ids, onProgress, 'demo lead');
  } catch (e) {
    toastError(e);
  }
}

/** A saved file's toast action: its folder in the system's file manager. */
export function showInFolder(path: string): ToastAction {
  return { label: 'Show in folder', run: () => void api.openLink('folder', path).catch(toastError) };
}

// What the command palette offers. Each entry names its shortcut, so the palette also teaches them.
import { exportCsv, focusSearch, loadDemoData, openDemoRemoval, openNewLead } from './actions';
import type { LeadSummary, SavedView } from './api';
import { app } from './app.svelte';
import { applyView, showCampaign, showList } from './catalog.svelte';
import { pickImportFiles } from './importQueue.svelte';
import { sync } from './sync.svelte';
import { demoAllowed } from './syncText';

export interface PaletteAction {
  id: string;
  label: string;
  keys?: string;
  run: () => void;
  /** Offered only while this holds (read when the palette opens). */
  when?: () => boolean;
}

const onLeads = () => app.screen === 'leads';

export const PALETTE_ACTIONS: readonly PaletteAction[] = [
  { id: 'go-leads', label: 'Go to Leads', run: () => app.goto('leads') },
  { id: 'go-pipeline', label: 'Go to Pipeline', run: () => app.goto('pipeline') },
  { id: 'go-myday', label: 'Go to My day', run: () => app.goto('myday') },
  { id: 'go-dashboard', label: 'Go to Dashboard', run: () => app.goto('dashboard') },
  { id: 'go-lists', label: 'Go to Lists & campaigns', run: () => app.goto('lists') },
  { id: 'go-templates', label: 'Go to Templates', run: () => app.goto('templates') },
  { id: 'go-deleted', label: 'Go to Recently deleted', run: () => app.goto('deleted') },
  { id: 'new-lead', label: 'New lead', keys: 'N', run: openNewLead },
  { id: 'search', label: 'Search leads', keys: '/', run: focusSearch },
  // J and K move through the lead list: elsewhere there is nothing for them to do.
  { id: 'next-lead', label: 'Next lead', keys: 'J', run: () => app.listStep?.(1), when: onLeads },
  { id: 'previous-lead', label: 'Previous lead', keys: 'K', run: () => app.listStep?.(-1), when: onLeads },
  { id: 'shortcuts', label: 'Keyboard shortcuts', keys: '?', run: () => (app.shortcutsOpen = true) },
  { id: 'export', label: 'Export CSV', run: () => void exportCsv() },
  // Only into an empty database, as the Welcome screen offers it: the demo's emails would clash
  // with leads loaded before; and never with a team (demoAllowed).
  {
    id: 'demo',
    label: 'Load demo data',
    run: () => void loadDemoData(),
    when: () => app.totalLeads === 0 && demoAllowed(sync.status),
  },
  // Removing asks first, in Settings (which says how many there are).
  { id: 'remove-demo', label: 'Remove demo data…', run: () => void openDemoRemoval(), when: () => (app.totalLeads ?? 0) > 0 },
  { id: 'import-csv', label: 'Import CSV…', run: () => void pickImportFiles() },
  { id: 'go-imports', label: 'Import history', run: () => app.goto('imports') },
  { id: 'go-conflicts', label: 'Conflicts', run: () => app.goto('conflicts') },
  { id: 'go-settings', label: 'Settings', run: () => app.goto('settings') },
  { id: 'sync-now', label: 'Sync now', run: () => void sync.syncNow() },
];

/** "View: Hot leads" entries, after the fixed actions. */
export function viewActions(views: readonly SavedView[]): PaletteAction[] {
  return views.map((v) => ({ id: `view-${v.id}`, label: `View: ${v.name}`, run: () => applyView(v.query) }));
}

/** "List: Q3 targets" entries: the lead list filtered to it. */
export function listActions(lists: readonly { id: string; name: string }[]): PaletteAction[] {
  return lists.map((l) => ({ id: `list-${l.id}`, label: `List: ${l.name}`, run: () => showList(l.id) }));
}

/** "Campaign: Spring push" entries: the leads enrolled in it. */
export function campaignActions(campaigns: readonly { id: string; name: string }[]): PaletteAction[] {
  return campaigns.map((c) => ({ id: `campaign-${c.id}`, label: `Campaign: ${c.name}`, run: () => showCampaign(c.id) }));
}

/** The actions whose condition holds now. */
export function offered(actions: readonly PaletteAction[]): PaletteAction[] {
  return actions.filter((a) => a.when?.() ?? true);
}

/** Leads the palette's text finds (the list's own search): "Open Ana Silva · Northwind". */
export function leadActions(leads: readonly LeadSummary[]): PaletteAction[] {
  return leads.map((l) => {
    const name = [l.first_name, l.last_name].filter(Boolean).join(' ') || l.email || l.company || 'Unnamed lead';
    const where = l.company && l.company !== name ? ` · ${l.company}` : '';
    return { id: `lead-${l.id}`, label: `Open ${name}${where}`, run: () => openLead(l.id) };
  });
}

/** Shows a lead in the detail panel, on the lead list. */
export function openLead(id: string): void {
  app.goto('leads');
  app.selectedId = id;
}

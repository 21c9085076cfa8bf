// App-wide state: the screen, the open lead, open dialogs, the list filters (kept across screens)
// and the database's lead count (0 means a first start). Screens read and set it directly.
import { untrack } from 'svelte';
import type { LeadStatus } from './bindings';
import { defaultFilters, type Filters } from './query';

export type Screen =
  | 'leads'
  | 'pipeline'
  | 'myday'
  | 'dashboard'
  | 'lists'
  | 'templates'
  | 'imports'
  | 'deleted'
  | 'conflicts'
  | 'settings';

/** The nav's screens; `data` ones (imports, deleted leads, sync inbox, settings) sit in a group of their own. */
export const SCREENS: readonly { id: Screen; label: string; group: 'work' | 'data' }[] = [
  { id: 'leads', label: 'Leads', group: 'work' },
  { id: 'pipeline', label: 'Pipeline', group: 'work' },
  { id: 'myday', label: 'My day', group: 'work' },
  { id: 'dashboard', label: 'Dashboard', group: 'work' },
  { id: 'lists', label: 'Lists & campaigns', group: 'work' },
  { id: 'templates', label: 'Templates', group: 'work' },
  { id: 'imports', label: 'Import history', group: 'data' },
  { id: 'deleted', label: 'Recently deleted', group: 'data' },
  { id: 'conflicts', label: 'Conflicts', group: 'data' },
  { id: 'settings', label: 'Settings', group: 'data' },
];

/** "#/pipeline" → "pipeline"; anything else is the default screen. */
export function screenFromHash(hash: string): Screen {
  const name = hash.replace(/^#\/?/, '');
  return SCREENS.find((s) => s.id === name)?.id ?? 'leads';
}

/** Whether a lead opened on `openedOn` shows its panel on `screen`. */
export function detailShownOn(screen: Screen, openedOn: Screen): boolean {
  return screen === 'leads' || screen === openedOn;
}

class AppState {
  screen = $state<Screen>(screenFromHash(typeof location === 'undefined' ? '' : location.hash));
  #selectedId = $state<string | null>(null);
  /** The screen the open lead was opened on. */
  #openedOn = $state<Screen>('leads');

  /** The lead open in the detail panel. Set after going to a screen, it opens there. */
  get selectedId(): string | null {
    return this.#selectedId;
  }

  set selectedId(id: string | null) {
    this.#selectedId = id;
    // Read, not tracked: an effect that opens a lead must not rerun on every screen change.
    if (id !== null) this.#openedOn = untrack(() => this.screen);
  }

  /** The detail panel shows on the lead list and on the screen its lead was opened from (My day,
   *  the board, the inbox); elsewhere it would only take width from the screen's own tables. It
   *  stays open meanwhile: back on the leads, it is there again. */
  get detailShown(): boolean {
    return this.#selectedId !== null && detailShownOn(this.screen, this.#openedOn);
  }
  newLeadOpen = $state(false);
  /** The two leads the merge dialog is open on, and what to do once they are merged. */
  merging = $state.raw<{ ids: readonly [string, string]; onmerged?: (kept: string) => void } | null>(null);
  /** Status to preselect in the new lead dialog. */
  newLeadStatus = $state<LeadStatus>('new');
  /** What was typed into the new-lead dialog and not saved: a dialog closed by Escape or a stray
   *  click opens with it again. Cancel and Create clear it. */
  newLeadDraft: Record<string, string> = {};
  paletteOpen = $state(false);
  shortcutsOpen = $state(false);
  /** The detail panel's "More fields" section, kept open or closed from one lead to the next. */
  moreFieldsOpen = $state(false);
  /** An export is being written (a million leads take seconds): a second one waits its end. */
  exporting = $state(false);
  /** Live leads in the database; null until known. */
  totalLeads = $state<number | null>(null);
  filters = $state<Filters>(defaultFilters());
  /** Set to ask Settings to bring its Demo data card into view (the palette's "Remove demo data…"). */
  wantDemoCard = $state(false);
  /** Set to ask the leads screen to focus its search box once it is shown. */
  wantSearchFocus = $state(false);
  /** Moves through the lead list (j/k); registered by the list while it is mounted. */
  listStep: ((delta: number) => void) | null = null;

  goto(screen: Screen): void {
    this.screen = screen;
    // The hash keeps the screen across a reload of the webview.
    if (typeof location !== 'undefined' && location.hash !== `#/${screen}`) location.hash = `#/${screen}`;
  }
}

export const app = new AppState();

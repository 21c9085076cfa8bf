// Saved views, lead lists and campaigns: small collections several places show (the toolbar, the
// command palette, the Lists screen, the bulk actions). Loaded on demand and kept here.
import { api, type CampaignSummary, type LeadQuery, type ListSummary, type Member, type SavedView } from './api';
import { app } from './app.svelte';
import { defaultFilters, filtersFromQuery } from './query';
import { toastError } from './toasts.svelte';

class Catalog {
  views = $state.raw<SavedView[]>([]);
  lists = $state.raw<ListSummary[]>([]);
  campaigns = $state.raw<CampaignSummary[]>([]);
  /** Read at least once (until then a list or campaign not among them is not known to be gone). */
  listsLoaded = $state(false);
  campaignsLoaded = $state(false);
  /** Who leads can belong to (the one signed in here first). */
  members = $state.raw<Member[]>([]);

  async loadViews(): Promise<void> {
    try {
      this.views = await api.savedViews();
    } catch (e) {
      toastError(e);
    }
  }

  async loadLists(): Promise<void> {
    try {
      this.lists = await api.leadLists();
      this.listsLoaded = true;
    } catch (e) {
      toastError(e);
    }
  }

  /** After a write that may add or remove lists (an import, its undo): read again if shown. */
  refreshLists(): void {
    if (this.listsLoaded) void this.loadLists();
  }

  async loadCampaigns(): Promise<void> {
    try {
      this.campaigns = await api.campaigns();
      this.campaignsLoaded = true;
    } catch (e) {
      toastError(e);
    }
  }

  async loadMembers(): Promise<void> {
    try {
      this.members = await api.teamMembers();
    } catch (e) {
      toastError(e);
    }
  }

  /** An owner as the rep reads it: "Me", a teammate's name, or "Unassigned". */
  ownerName(id: string | null | undefined): string {
    if (!id) return 'Unassigned';
    const m = this.members.find((m) => m.id === id);
    return m ? (m.me ? 'Me' : m.name) : 'A former member';
  }

  listName(id: string | null | undefined): string | null {
    if (!id) return null;
    return this.lists.find((l) => l.list.id === id)?.list.name ?? null;
  }

  campaignName(id: string | null | undefined): string | null {
    if (!id) return null;
    return this.campaigns.find((c) => c.campaign.id === id)?.campaign.name ?? null;
  }

  /** The filter's list or campaign was deleted (a saved view kept it). */
  filterGone(f: { listId?: string | null; campaignId?: string | null }): boolean {
    return (
      (!!f.listId && this.listsLoaded && !this.listName(f.listId)) ||
      (!!f.campaignId && this.campaignsLoaded && !this.campaignName(f.campaignId))
    );
  }
}

/** The longest name of a list or a campaign (the store refuses longer: crates/core rules.rs). */
export const GROUP_NAME_LIMIT = 120;

export const catalog = new Catalog();

/** Shows the lead list filtered as the view was saved. */
export function applyView(query: LeadQuery): void {
  app.filters = filtersFromQuery(query);
  app.goto('leads');
}

/** Shows the leads of one list (other filters cleared). */
export function showList(listId: string): void {
  app.filters = { ...defaultFilters(), listId };
  app.goto('leads');
}

/** Shows the leads enrolled in one campaign (other filters cleared). */
export function showCampaign(campaignId: string): void {
  app.filters = { ...defaultFilters(), campaignId };
  app.goto('leads');
}

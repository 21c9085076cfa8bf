// The one door to the Rust side. bindings.ts (generated) returns {status, data | error}; this
// unwraps it so callers use plain async/await and catch a typed ApiError carrying the store's
// code and its message, which the UI shows reworded for a rep (errorMessage).
import {
  commands,
  type Activity_Serialize,
  type ActivityType,
  type AppInfo,
  type CampaignSummary_Serialize,
  type Choice,
  type ColumnChoice,
  type CommandError,
  type ConflictItem_Serialize,
  type Draft_Serialize,
  type DueTask_Serialize,
  type EmailTemplate_Serialize,
  type Duplicates,
  type Fields,
  type FileShape_Serialize,
  type ImportPreview,
  type InboundItem_Serialize,
  type ImportRecord,
  type InterruptedImport,
  type ImportRequest_Serialize,
  type ImportSummary_Serialize,
  type ImportDetails_Serialize,
  type Lead_Serialize,
  type LeadSummary_Serialize,
  type LeadQuery_Serialize,
  type LinkKind,
  type ListSummary_Serialize,
  type MappingOverride,
  type Member,
  type Previous,
  type Problem,
  type RejectionItem_Serialize,
  type SavedView_Serialize,
  type SummaryPage_Serialize,
  type LeadStatus,
  type TagChange,
  type PreviousStatus,
  type SortField,
  type StatusCount,
  type SyncSettings_Serialize,
  type SyncStatus_Serialize,
  type TimelineEntry_Serialize,
  type DeletedLead_Serialize,
  type UndoSummary,
  type WeekCount,
  type DuplicateOf,
  type MergeField,
  type MergePlan,
  type MyDayCounts,
  type Group,
  type Memberships_Serialize,
} from './bindings';
import { readableError } from './errorText';

export type Lead = Lead_Serialize;
export type DeletedLead = DeletedLead_Serialize;
export type Activity = Activity_Serialize;
export type LeadQuery = LeadQuery_Serialize;
/** A list row, board card or My day line: a fraction of a lead (getLead has the whole one). */
export type LeadSummary = LeadSummary_Serialize;
export type Page = SummaryPage_Serialize;
export type TimelineEntry = TimelineEntry_Serialize;
export type SavedView = SavedView_Serialize;
export type DueTask = DueTask_Serialize;
export type InboundItem = InboundItem_Serialize;
export type ListSummary = ListSummary_Serialize;
export type CampaignSummary = CampaignSummary_Serialize;
export type EmailTemplate = EmailTemplate_Serialize;
export type Draft = Draft_Serialize;
export type FileShape = FileShape_Serialize;
/** A dry run or an import, every field given (the wizard always sends the whole request). */
export type ImportRequest = ImportRequest_Serialize;
export type ImportSummary = ImportSummary_Serialize;
export type ImportDetails = ImportDetails_Serialize;
export type SyncStatus = SyncStatus_Serialize;
export type SyncSettings = SyncSettings_Serialize;
export type ConflictItem = ConflictItem_Serialize;
export type RejectionItem = RejectionItem_Serialize;
export type Memberships = Memberships_Serialize;
export type { Group };
export type { ActivityType, AppInfo, Fields, Member, SortField, StatusCount, WeekCount };
export type { Previous };
export type { DuplicateOf, MergeField, MergePlan, MyDayCounts };
export type { PreviousStatus, TagChange };
export type {
  Choice,
  ColumnChoice,
  Duplicates,
  ImportPreview,
  ImportRecord,
  InterruptedImport,
  MappingOverride,
  Problem,
  UndoSummary,
};

export class ApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

type Result<T> = { status: 'ok'; data: T } | { status: 'error'; error: CommandError };

/** Any failure as an ApiError: the store's {code, message}, a bare string from Tauri itself (e.g. a
 *  command the window may not call) or an exception (no Tauri at all, as in a plain browser). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string') {
    const code = 'code' in e && typeof e.code === 'string' ? e.code : 'internal';
    return new ApiError(code, e.message);
  }
  if (typeof e === 'string') return new ApiError('internal', e);
  return new ApiError('internal', 'Something went wrong');
}

export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  inFlight++;
  try {
    result = await call;
  } catch (e) {
    throw toApiError(e);
  } finally {
    if (--inFlight === 0) for (const done of whenSettled.splice(0)) done();
  }
  if (result.status === 'ok') return result.data;
  throw toApiError(result.error);
}

// Commands asked and not answered yet, and who waits for there to be none.
let inFlight = 0;
const whenSettled: (() => void)[] = [];

/** Resolves once every command asked so far has its answer (a save the page started, say). */
function commandsSettled(): Promise<void> {
  return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => whenSettled.push(resolve));
}

/** Resolves once no command is waiting and none follows in the next task: a save chained behind
 *  another is only asked once the first is answered. */
export async function commandsQuiet(): Promise<void> {
  for (;;) {
    await commandsSettled();
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (inFlight === 0) return;
  }
}

/** The message to show for anything caught: the store's, without its table.column prefix, the
 *  field named by its label and capitalised (the ApiError keeps the store's own words). */
export function errorMessage(e: unknown): string {
  const err = toApiError(e);
  return readableError(err.code, err.message);
}

export function defaultQuery(): LeadQuery {
  return {
    statuses: [],
    owner: null,
    list_id: null,
    campaign_id: null,
    tag: null,
    text: null,
    sort: 'updated_at',
    descending: true,
  };
}

export const api = {
  appInfo: () => unwrap(commands.appInfo()),
  /** `latest`: the first page of the lead list's newest query, which stops the one before it
   *  (answered `superseded`, which the list drops with the old query). */
  listLeads: (query: LeadQuery, limit: number, cursor: string | null, latest = false) =>
    unwrap(commands.listLeads(query, limit, cursor, latest)),
  countLeads: async (query: LeadQuery, latest = false) => (await unwrap(commands.countLeads(query, latest))) ?? 0,
  getLead: (id: string) => unwrap(commands.getLead(id)),
  createLead: (fields: Fields) => unwrap(commands.createLead(fields)),
  /** With `expected` (the values the screen showed), refused as `changed_meanwhile` if one changed
   *  since — a sync brought a teammate's value while the rep typed. */
  updateLead: (id: string, fields: Fields, expected: Fields | null = null) =>
    unwrap(commands.updateLead(id, fields, expected)),
  /** Sets (null: removes) keys of a lead's custom fields or address, in the object as stored now. */
  editLeadObject: (id: string, column: 'custom_fields' | 'address', keys: Fields) =>
    unwrap(commands.editLeadObject(id, column, keys)),
  deleteLead: (id: string) => unwrap(commands.deleteLead(id)),
  deleteLeads: (ids: string[]) => unwrap(commands.deleteLeads(ids)),
  restoreLeads: (ids: string[]) => unwrap(commands.restoreLeads(ids)),
  deletedLeads: (limit: number, since: string | null = null) => unwrap(commands.deletedLeads(limit, since)),
  countDeleted: (since: string | null) => unwrap(commands.countDeleted(since)),
  deletedIds: (limit: number, since: string | null) => unwrap(commands.deletedIds(limit, since)),
  restoreLead: (id: string) => unwrap(commands.restoreLead(id)),
  leadTimeline: (id: string) => unwrap(commands.leadTimeline(id)),
  addActivity: (activity: {
    lead_id: string;
    kind: ActivityType;
    subject: string | null;
    description: string | null;
    scheduled_at: string | null;
    done_at: string | null;
  }) => unwrap(commands.addActivity(activity)),
  statusSummary: () => unwrap(commands.statusSummary()),
  loadDemoData: (count: number) => unwrap(commands.loadDemoData(count)),
  demoLeads: () => unwrap(commands.demoLeads()),
  exportLeadsCsv: (query: LeadQuery) => unwrap(commands.exportLeadsCsv(query)),
  exportSelectedCsv: (leadIds: string[]) => unwrap(commands.exportSelectedCsv(leadIds)),
  openLink: (kind: LinkKind, value: string) => unwrap(commands.openLink(kind, value)),
  quitApp: () => unwrap(commands.quitApp()),
  closeWindow: (proceed: boolean) => unwrap(commands.closeWindow(proceed)),
  // What holds the window open (an import, an undo, a save): a plain answer, never an error.
  unfinishedWork: () => commands.unfinishedWork(),
  savedViews: () => unwrap(commands.savedViews()),
  saveView: (name: string, query: LeadQuery) => unwrap(commands.saveView(name, query)),
  deleteView: (id: string) => unwrap(commands.deleteView(id)),
  dueTasks: (until: string) => unwrap(commands.dueTasks(until)),
  dueFollowUps: (dayStart: string, dayEnd: string) => unwrap(commands.dueFollowUps(dayStart, dayEnd)),
  myDayCounts: (dayEnd: string) => unwrap(commands.myDayCounts(dayEnd)),
  completeTask: (id: string) => unwrap(commands.completeTask(id)),
  reopenTask: (id: string) => unwrap(commands.reopenTask(id)),
  inboundMessages: () => unwrap(commands.inboundMessages()),
  settleInbound: (id: string, handled: boolean) => unwrap(commands.settleInbound(id, handled)),
  leadLists: () => unwrap(commands.leadLists()),
  createList: (name: string, description: string | null) => unwrap(commands.createList(name, description)),
  assignToList: (listId: string | null, leadIds: string[]) => unwrap(commands.assignToList(listId, leadIds)),
  tagLeads: (leadIds: string[], tag: string, add: boolean) => unwrap(commands.tagLeads(leadIds, tag, add)),
  setStatus: (leadIds: string[], status: LeadStatus, onlyFrom: LeadStatus | null) =>
    unwrap(commands.setStatus(leadIds, status, onlyFrom)),
  // Two leads made one, and the Undo.
  duplicateOf: (id: string) => unwrap(commands.duplicateOf(id)),
  mergePlan: (keep: string, other: string) => unwrap(commands.mergePlan(keep, other)),
  mergeLeads: (keep: string, other: string, take: string[]) => unwrap(commands.mergeLeads(keep, other, take)),
  unmergeLeads: (id: number) => unwrap(commands.unmergeLeads(id)),
  putBackLeads: (what: 'owner' | 'list', given: string | null, previous: Previous[]) =>
    unwrap(commands.putBackLeads(what, given, previous.map((p) => ({ lead_id: p.lead_id, value: p.value ?? null })))),
  teamMembers: () => unwrap(commands.teamMembers()),
  assignLeads: (leadIds: string[], owner: string | null) => unwrap(commands.assignLeads(leadIds, owner)),
  campaigns: () => unwrap(commands.campaigns()),
  createCampaign: (name: string, channel: string | null) => unwrap(commands.createCampaign(name, channel)),
  addToCampaign: (campaignId: string, leadIds: string[]) => unwrap(commands.addToCampaign(campaignId, leadIds)),
  removeFromCampaign: (campaignId: string, leadIds: string[]) =>
    unwrap(commands.removeFromCampaign(campaignId, leadIds)),
  emailTemplates: () => unwrap(commands.emailTemplates()),
  saveTemplate: (id: string | null, name: string, subject: string, content: string) =>
    unwrap(commands.saveTemplate(id, name, subject, content)),
  draftEmail: (templateId: string, leadId: string) => unwrap(commands.draftEmail(templateId, leadId)),
  logEmail: (leadId: string, subject: string, body: string) => unwrap(commands.logEmail(leadId, subject, body)),
  logReply: (leadId: string, subject: string, body: string, receivedAt: string | null) =>
    unwrap(commands.logReply(leadId, subject, body, receivedAt)),
  activityDrafts: () => unwrap(commands.activityDrafts()),
  templateDrafts: () => unwrap(commands.templateDrafts()),
  keepTemplateDraft: (templateId: string | null, draft: Record<string, unknown> | null, patient: boolean) =>
    unwrap(commands.keepTemplateDraft(templateId, draft, patient)),
  deleteActivity: (id: string) => unwrap(commands.deleteActivity(id)),
  restoreActivity: (id: string) => unwrap(commands.restoreActivity(id)),
  keepActivityDraft: (leadId: string, draft: Record<string, unknown> | null, patient: boolean) =>
    unwrap(commands.keepActivityDraft(leadId, draft, patient)),
  deleteTemplate: (id: string) => unwrap(commands.deleteTemplate(id)),
  restoreTemplate: (id: string) => unwrap(commands.restoreTemplate(id)),
  followUpDone: (leadId: string) => unwrap(commands.followUpDone(leadId)),
  followUpUndone: (activityId: string) => unwrap(commands.followUpUndone(activityId)),
  renameGroup: (group: Group, id: string, name: string) => unwrap(commands.renameGroup(group, id, name)),
  deleteGroup: (group: Group, id: string) => unwrap(commands.deleteGroup(group, id)),
  restoreGroup: (group: Group, id: string) => unwrap(commands.restoreGroup(group, id)),
  memberships: (leadId: string) => unwrap(commands.memberships(leadId)),
  activitiesPerWeek: (weeks: number) => unwrap(commands.activitiesPerWeek(weeks)),
  // Import wizard: the picker returns no paths when the rep cancels it.
  pickImportFiles: () => unwrap(commands.pickImportFiles()),
  importPreview: (shape: FileShape) => unwrap(commands.importPreview(shape)),
  runImport: (request: ImportRequest) => unwrap(commands.runImport(request)),
  cancelImport: () => unwrap(commands.cancelImport()),
  /** The rows left out by a past import (its id), or by the last run of the wizard (none). */
  saveImportErrors: (importId: string | null = null) => unwrap(commands.saveImportErrors(importId)),
  importHistory: () => unwrap(commands.importHistory()),
  interruptedImports: () => unwrap(commands.interruptedImports()),
  dismissInterruptedImport: (id: string) => unwrap(commands.dismissInterruptedImport(id)),
  importDetails: (id: string) => unwrap(commands.importDetails(id)),
  rememberedColumns: () => unwrap(commands.rememberedColumns()),
  rememberColumns: (choices: Record<string, string>) => unwrap(commands.rememberColumns(choices)),
  undoImport: (id: string) => unwrap(commands.undoImport(id)),
  importWorkedOn: (id: string) => unwrap(commands.importWorkedOn(id)),
  // Team sync and its inbox.
  syncStatus: () => unwrap(commands.syncStatus()),
  syncNow: () => unwrap(commands.syncNow()),
  syncSettings: () => unwrap(commands.syncSettings()),
  saveSyncSettings: (projectUrl: string, anonKey: string, intervalSecs: number) =>
    unwrap(commands.saveSyncSettings(projectUrl, anonKey, intervalSecs)),
  signIn: (email: string, password: string) => unwrap(commands.signIn(email, password)),
  signOut: () => unwrap(commands.signOut()),
  conflicts: () => unwrap(commands.conflicts()),
  resolveConflict: (id: number | null, choice: Choice, value: unknown) =>
    unwrap(commands.resolveConflict(id, choice, value)),
  rejections: () => unwrap(commands.rejections()),
  settleRejection: (id: number | null, retry: boolean) => unwrap(commands.settleRejection(id, retry)),
};

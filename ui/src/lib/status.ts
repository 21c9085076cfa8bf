// Lead statuses in pipeline order, with the labels a rep reads. The order matches the store's
// status_summary so the board and the charts line up with it.
import type { ActivityType, LeadStatus } from './bindings';

export const STATUSES: readonly LeadStatus[] = [
  'new',
  'contacted',
  'qualified',
  'proposal',
  'negotiation',
  'closed_won',
  'closed_lost',
  'nurturing',
  'unqualified',
];

const LABELS: Record<LeadStatus, string> = {
  new: 'New',
  contacted: 'Contacted',
  qualified: 'Qualified',
  proposal: 'Proposal',
  negotiation: 'Negotiation',
  closed_won: 'Closed won',
  closed_lost: 'Closed lost',
  nurturing: 'Nurturing',
  unqualified: 'Unqualified',
};

export function isStatus(value: string): value is LeadStatus {
  return (STATUSES as readonly string[]).includes(value);
}

/** "closed_won" → "Closed won"; an unknown status (a newer store) is humanised the same way. */
export function statusLabel(status: string): string {
  if (isStatus(status)) return LABELS[status];
  const words = status.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Statuses whose predicted value still counts as open pipeline. */
export function isOpen(status: LeadStatus): boolean {
  return status !== 'closed_won' && status !== 'closed_lost' && status !== 'unqualified';
}

/** The neighbouring status on the board (Shift+Arrow on a card), or null at either end. */
export function neighbourStatus(status: LeadStatus, step: -1 | 1): LeadStatus | null {
  const i = STATUSES.indexOf(status) + step;
  return i >= 0 && i < STATUSES.length ? (STATUSES[i] ?? null) : null;
}

const ACTIVITY: Record<ActivityType, { label: string; icon: string }> = {
  call: { label: 'Call', icon: '☎' },
  email: { label: 'Email', icon: '✉' },
  meeting: { label: 'Meeting', icon: '◷' },
  demo: { label: 'Demo', icon: '▶' },
  proposal: { label: 'Proposal', icon: '❏' },
  follow_up: { label: 'Follow-up', icon: '↻' },
  note: { label: 'Note', icon: '✎' },
  task: { label: 'Task', icon: '☐' },
  social_interaction: { label: 'Social', icon: '◎' },
};

/** What the lead started, as the timeline names it (`<type>_inbound`): a reply, their call. */
const INBOUND: Partial<Record<ActivityType, { label: string; icon: string }>> = {
  email: { label: 'Reply', icon: '↩' },
  call: { label: 'Call from them', icon: '☎' },
};

/** The activity type of a timeline kind (`email_inbound` → `email`). */
export function activityBase(type: string): string {
  return type.endsWith('_inbound') ? type.slice(0, -'_inbound'.length) : type;
}

function activity(type: string): { label: string; icon: string } | undefined {
  const base = activityBase(type) as ActivityType;
  return (base !== type ? INBOUND[base] : undefined) ?? ACTIVITY[base];
}

export function activityLabel(type: string): string {
  return activity(type)?.label ?? statusLabel(type);
}

export function activityIcon(type: string): string {
  return activity(type)?.icon ?? '•';
}

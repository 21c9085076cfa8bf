// Merging two leads: the words the merge dialog and its toasts use, kept out of the component to be
// tested.
import type { MergeField } from './api';
import { countOf } from './format';

/** A lead as the dialog names it: its name, else its email or company. */
export function sideName(fields: readonly MergeField[], side: 'mine' | 'theirs'): string {
  const value = (field: string) => {
    const v = fields.find((f) => f.field === field)?.[side];
    return typeof v === 'string' ? v.trim() : '';
  };
  const name = [value('first_name'), value('last_name')].filter(Boolean).join(' ');
  return name || value('email') || value('company') || 'Unnamed lead';
}

const NOUNS: Record<string, [string, string]> = {
  activities: ['activity', 'activities'],
  campaign_leads: ['campaign membership', 'campaign memberships'],
  call_logs: ['call log', 'call logs'],
  emails: ['email', 'emails'],
  conversations: ['conversation', 'conversations'],
  appointments: ['appointment', 'appointments'],
  followups: ['follow-up', 'follow-ups'],
  documents: ['document', 'documents'],
  journey_events: ['journey event', 'journey events'],
  lead_scores: ['score', 'scores'],
  ai_insights: ['insight', 'insights'],
  clients: ['client record', 'client records'],
};

type Counts = readonly (readonly [string, number | null])[];

/** "2 activities and 1 campaign membership". */
function countsText(counts: Counts): string | null {
  const parts = counts
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([table, n]) => {
      const [one, many] = NOUNS[table] ?? [table.replaceAll('_', ' '), `${table.replaceAll('_', ' ')}`];
      return countOf(n ?? 0, one, many);
    });
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** "Its 2 activities move to the lead you keep; its 1 campaign membership ends (…)." */
export function movesText(moves: Counts, ends: Counts = [], keptEnds = 0): string | null {
  const moved = countsText(moves);
  const ended = countsText(ends);
  // "Its 1 activity moves", "its 2 … move".
  const one = (counts: Counts) => counts.reduce((n, [, c]) => n + (c ?? 0), 0) === 1;
  const sentences = [
    ...(moved ? [`Its ${moved} ${one(moves) ? 'moves' : 'move'} to the lead you keep`] : []),
    ...(ended
      ? [
          `${moved ? 'its' : 'Its'} ${ended} ${one(ends) ? 'ends' : 'end'} (the lead you keep is in that campaign, or is not to be contacted)`,
        ]
      : []),
  ];
  if (keptEnds > 0) {
    const campaigns = countOf(keptEnds, 'running campaign');
    sentences.push(`${sentences.length ? 'the' : 'The'} lead you keep leaves its ${campaigns} (not to be contacted)`);
  }
  return sentences.length ? `${sentences.join('; ')}.` : null;
}

/** What a field's row says beside the result, by how it merges. */
export function howText(how: MergeField['how'], field = ''): string {
  if (how === 'filled') return 'from the other lead';
  if (how === 'settled') return 'the import’s possible-duplicate mark goes';
  if (how !== 'combined') return '';
  if (field === 'last_contacted_at' || field === 'last_reply_at') return 'the later kept';
  if (field === 'emails_sent_count' || field === 'reply_count') return 'added up';
  if (field === 'notes') return 'one after the other';
  return 'both kept';
}

/** The Undo's toast: what could not be put back. */
export function unmergedText(
  changedSince: readonly string[],
  fieldName: (f: string) => string,
  stayed = 0,
  cleared: readonly string[] = [],
): string {
  const optOut = changedSince.includes('do_not_contact');
  const changed = changedSince.filter((f) => f !== 'do_not_contact').map(fieldName);
  const notes = [
    ...(changed.length ? [`${changed.join(', ')} changed since and kept`] : []),
    ...(cleared.length ? [`${cleared.map(fieldName).join(', ')} left empty (the one it had is gone since)`] : []),
    ...(optOut ? ['the do-not-contact mark stays (the team’s server keeps every opt-out)'] : []),
    ...(stayed ? [`${countOf(stayed, 'record')} stay with the lead kept (no campaign for a lead not to be contacted)`] : []),
  ];
  return notes.length ? `Merge undone — ${notes.join('; ')}` : 'Merge undone';
}

/** Where the losing email or phone will be kept: "Other email", or "Other email 2" and on when the
 *  merged custom fields hold that name already (merge.rs keep_aside). */
export function asideLabel(fields: readonly MergeField[], base: string): string {
  const custom = fields.find((f) => f.field === 'custom_fields')?.result;
  const taken = custom && typeof custom === 'object' ? Object.keys(custom) : [];
  for (let n = 1; ; n++) {
    const label = n === 1 ? base : `${base} ${n}`;
    if (!taken.includes(label)) return label;
  }
}

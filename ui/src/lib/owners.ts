// The bulk owner change: its toast, and its Undo's calls (one per owner the leads had).
import type { PreviousOwner } from './api';
import { countOf } from './format';

/** "3 leads given to Ana (1 other already Ana’s)", "2 leads unassigned". */
export function assignedText(who: string | null, changed: number, asked: number): string {
  const done = who ? `${countOf(changed, 'lead')} given to ${who}` : `${countOf(changed, 'lead')} unassigned`;
  const left = asked - changed;
  if (!left) return done;
  return `${done} (${countOf(left, 'other', 'others')} already ${who ? `${who}’s` : 'unassigned'})`;
}

/** The leads per owner they had, in the order first met. */
export function byPreviousOwner(previous: readonly PreviousOwner[]): [string | null, string[]][] {
  const groups: [string | null, string[]][] = [];
  for (const p of previous) {
    const owner = p.owner ?? null;
    const group = groups.find(([o]) => o === owner);
    if (group) group[1].push(p.lead_id);
    else groups.push([owner, [p.lead_id]]);
  }
  return groups;
}

/** A member as a choice reads: "Ana Lima", and the one signed in here "Ana Lima (me)" (on a laptop
 *  without a team its member is called "Me" already). */
export function memberLabel(m: { name: string; me: boolean }): string {
  return m.me && m.name !== 'Me' ? `${m.name} (me)` : m.name;
}

// The bulk owner change: its toast, and its Undo's calls (one per owner the leads had).
import type { Previous } from './api';
import { countOf, formatNumber } from './format';
import { groupBy } from './group';

/** "3 leads given to Ana (1 other already Ana’s)", "2 leads unassigned". */
export function assignedText(who: string | null, changed: number, asked: number): string {
  const done = who ? `${countOf(changed, 'lead')} given to ${who}` : `${countOf(changed, 'lead')} unassigned`;
  const left = asked - changed;
  if (!left) return done;
  return `${done} (${countOf(left, 'other', 'others')} already ${who ? `${who}’s` : 'unassigned'})`;
}

/** The leads per owner (or list) they had, in the order first met: an Undo's calls. */
export function byPrevious(previous: readonly Previous[]): [string | null, string[]][] {
  return groupBy(previous, (p) => p.value ?? null).map(([value, ps]) => [value, ps.map((p) => p.lead_id)]);
}

/** "5 leads put in Q4 Push (3 moved from other lists, 2 already in it)". */
export function listedText(list: string, moved: readonly Previous[], asked: number): string {
  const notes = [];
  const fromOthers = moved.filter((p) => p.value).length;
  if (fromOthers) notes.push(`${formatNumber(fromOthers)} moved from ${fromOthers === 1 ? 'another list' : 'other lists'}`);
  if (asked > moved.length) notes.push(`${formatNumber(asked - moved.length)} already in it`);
  const done = `${countOf(moved.length, 'lead')} put in ${list}`;
  return notes.length ? `${done} (${notes.join(', ')})` : done;
}

/** A member as a choice reads: "Ana Lima", and the one signed in here "Ana Lima (me)" (on a laptop
 *  without a team its member is called "Me" already). */
export function memberLabel(m: { name: string; me: boolean }): string {
  return m.me && m.name !== 'Me' ? `${m.name} (me)` : m.name;
}

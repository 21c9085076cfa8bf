// What the bulk bar's steps (owner, list, campaign) and their Undos say.
import type { Previous } from './api';
import { countOf, formatNumber } from './format';

/** "3 leads given to Ana (1 other already Ana’s)", "2 leads unassigned". */
export function assignedText(who: string | null, changed: number, asked: number): string {
  const done = who ? `${countOf(changed, 'lead')} given to ${who}` : `${countOf(changed, 'lead')} unassigned`;
  const left = asked - changed;
  if (!left) return done;
  return `${done} (${countOf(left, 'other', 'others')} already ${who ? `${who}’s` : 'unassigned'})`;
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

/** "3 leads added to Spring (1 already in it, 1 do-not-contact left out)". */
export function campaignText(campaign: string, added: number, doNotContact: number, asked: number): string {
  const notes = [];
  const already = asked - added - doNotContact;
  if (already > 0) notes.push(`${formatNumber(already)} already in it`);
  if (doNotContact > 0) notes.push(`${formatNumber(doNotContact)} do-not-contact left out`);
  const done = `${countOf(added, 'lead')} added to ${campaign}`;
  return notes.length ? `${done} (${notes.join(', ')})` : done;
}

/** What an Undo did: "Owner change undone for 3 leads", with those changed since and those the
 *  store refused said; `error` when some could not go back. */
export function undoneText(
  what: string,
  counts: { back: number | null; moved_since: number | null; refused: number | null; first_refusal?: string | null },
): { text: string; error: boolean } {
  const r = { back: counts.back ?? 0, moved_since: counts.moved_since ?? 0, refused: counts.refused ?? 0 };
  const reason = counts.first_refusal ? `: ${counts.first_refusal}` : '';
  const notes = [];
  if (r.moved_since) notes.push(`${countOf(r.moved_since, 'lead')} changed since, left as ${r.moved_since === 1 ? 'it is' : 'they are'}`);
  if (r.refused) notes.push(`${formatNumber(r.refused)} could not go back${reason}`);
  const done = `${what} undone for ${countOf(r.back, 'lead')}`;
  return { text: notes.length ? `${done} (${notes.join('; ')})` : done, error: r.refused > 0 };
}

// What the bulk bar's tag step says.
import { countOf } from './format';

/** The toast after a tag went on (or came off): how many changed, and how many had it already. */
export function taggedText(tag: string, add: boolean, changed: number, asked: number): string {
  const left = asked - changed;
  if (changed === 0) return add ? `Every lead selected has “${tag}” already` : `No lead selected has “${tag}”`;
  const done = add ? `Tagged ${countOf(changed, 'lead')} “${tag}”` : `Took “${tag}” off ${countOf(changed, 'lead')}`;
  if (left === 0) return done;
  const why = add ? 'had it already' : 'did not have it';
  return `${done} (${countOf(left, 'other', 'others')} ${why})`;
}

/** The Undo's toast. */
export function untaggedText(tag: string, add: boolean, n: number): string {
  return add ? `“${tag}” taken off ${countOf(n, 'lead')} again` : `“${tag}” back on ${countOf(n, 'lead')}`;
}

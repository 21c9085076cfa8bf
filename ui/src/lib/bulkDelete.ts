// Deleting many leads at once (the lead list's bulk bar, "Remove demo data") and putting them back.
// The store deletes a batch of leads per call (one transaction); a batch it refuses is gone through
// lead by lead, so one refusal does not stop the rest and says which. Progress is counted for the
// button. The Undo restores exactly the leads that went, never the ones that failed to.
import { countOf, formatNumber } from './format';
import { PROGRESS_FROM } from './selection';

export interface EachResult {
  /** The ids the call succeeded for, in the order given. */
  done: string[];
  failed: number;
  firstError: unknown;
}

/** Calls `run` for each id in turn; `onProgress(done, total)` after each. */
export async function eachLead(
  ids: readonly string[],
  run: (id: string) => Promise<unknown>,
  onProgress?: (done: number, total: number) => void,
): Promise<EachResult> {
  const done: string[] = [];
  let failed = 0;
  let firstError: unknown = null;
  let seen = 0;
  onProgress?.(0, ids.length);
  for (const id of ids) {
    try {
      await run(id);
      done.push(id);
    } catch (e) {
      failed++;
      firstError ??= e;
    }
    seen++;
    onProgress?.(seen, ids.length);
    // A breath now and then, should the store answer faster than the screen paints.
    if (seen % 100 === 0) await new Promise((resolve) => setTimeout(resolve));
  }
  return { done, failed, firstError };
}

/** Leads per call: a transaction of a few hundred soft deletes is quick, and progress moves. */
export const BATCH = 250;

/** Calls `batch` for every `BATCH` ids, and `one` for each id of a batch refused as a whole;
 *  `onProgress(done, total)` after each. */
export async function inBatches(
  ids: readonly string[],
  batch: (ids: string[]) => Promise<unknown>,
  one: (id: string) => Promise<unknown>,
  onProgress?: (done: number, total: number) => void,
): Promise<EachResult> {
  const out: EachResult = { done: [], failed: 0, firstError: null };
  onProgress?.(0, ids.length);
  for (let at = 0; at < ids.length; at += BATCH) {
    const part = ids.slice(at, at + BATCH);
    try {
      await batch(part);
      out.done.push(...part);
    } catch (e) {
      // Refused for the whole database (view only, busy, stopped): every lead would be, one by one.
      if (!aboutOneLead(e)) {
        out.failed += ids.length - at;
        out.firstError ??= e;
        break;
      }
      const each = await eachLead(part, one);
      out.done.push(...each.done);
      out.failed += each.failed;
      out.firstError ??= each.firstError;
    }
    onProgress?.(Math.min(at + BATCH, ids.length), ids.length);
  }
  return out;
}

/** Whether a refusal is about a lead of the batch (so the others may go one by one). */
function aboutOneLead(e: unknown): boolean {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  return ['not_found', 'invalid', 'constraint', 'changed_meanwhile', 'do_not_contact'].includes(code);
}

/** "Delete 40 leads?" */
export function deleteQuestion(n: number, noun = 'lead', locale?: string): string {
  return `Delete ${countOf(n, noun, undefined, locale)}?`;
}

/** The confirm button: says again how many, so a rep never deletes more than they think. */
export function deleteButtonText(n: number, noun = 'lead', locale?: string): string {
  return `Delete ${countOf(n, noun, undefined, locale)}`;
}

/** A button's label while many leads are worked through: "Deleting… 12 of 400". */
export function progressText(verb: string, done: number, total: number, locale?: string): string {
  if (total < PROGRESS_FROM) return `${verb}…`;
  return `${verb}… ${formatNumber(done, locale)} of ${formatNumber(total, locale)}`;
}

/** The toast after a delete: "40 leads deleted", or what failed and why. */
export function deletedText(deleted: number, failed: number, reason: string, noun = 'lead', locale?: string): string {
  if (!failed) return `${countOf(deleted, noun, undefined, locale)} deleted`;
  return `${formatNumber(failed, locale)} of ${countOf(deleted + failed, noun, undefined, locale)} not deleted: ${reason}`;
}

/** The toast after an Undo. */
export function restoredText(restored: number, failed: number, reason: string, locale?: string): string {
  if (!failed) return `${countOf(restored, 'lead', undefined, locale)} restored`;
  return `${formatNumber(failed, locale)} of ${countOf(restored + failed, 'lead', undefined, locale)} not restored: ${reason}`;
}

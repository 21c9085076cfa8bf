import { describe, expect, it } from 'vitest';
import { BATCH, deleteButtonText, deletedText, deleteQuestion, eachLead, inBatches, progressText, restoredText } from './bulkDelete';

describe('bulk delete', () => {
  it('goes on past a refusal and keeps only the ids that went', async () => {
    const seen: [number, number][] = [];
    const r = await eachLead(
      ['a', 'b', 'c'],
      async (id) => {
        if (id === 'b') throw new Error('no');
      },
      (done, total) => seen.push([done, total]),
    );
    expect(r.done).toEqual(['a', 'c']);
    expect(r.failed).toBe(1);
    expect((r.firstError as Error).message).toBe('no');
    expect(seen).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('asks with how many', () => {
    expect(deleteQuestion(1)).toBe('Delete 1 lead?');
    expect(deleteQuestion(1200, 'lead', 'en-US')).toBe('Delete 1,200 leads?');
    expect(deleteQuestion(200, 'demo lead')).toBe('Delete 200 demo leads?');
    expect(deleteButtonText(40)).toBe('Delete 40 leads');
  });

  it('shows progress only for many leads', () => {
    expect(progressText('Deleting', 3, 5)).toBe('Deleting…');
    expect(progressText('Deleting', 12, 400, 'en-US')).toBe('Deleting… 12 of 400');
  });

  it('says what went and what did not', () => {
    expect(deletedText(40, 0, '')).toBe('40 leads deleted');
    expect(deletedText(1, 0, '')).toBe('1 lead deleted');
    expect(deletedText(37, 3, 'Locked')).toBe('3 of 40 leads not deleted: Locked');
    expect(deletedText(200, 0, '', 'demo lead')).toBe('200 demo leads deleted');
    expect(restoredText(40, 0, '')).toBe('40 leads restored');
    expect(restoredText(39, 1, 'Gone')).toBe('1 of 40 leads not restored: Gone');
  });
});

describe('inBatches', () => {
  it('sends batches, and goes lead by lead through a batch refused as a whole', async () => {
    const ids = Array.from({ length: BATCH + 2 }, (_, i) => `id${i}`);
    const batches: number[] = [];
    const seen: number[] = [];
    const r = await inBatches(
      ids,
      async (part) => {
        batches.push(part.length);
        if (part.includes('id3')) throw Object.assign(new Error('one of them'), { code: 'not_found' });
      },
      async (id) => {
        if (id === 'id3') throw new Error('refused');
      },
      (done) => seen.push(done),
    );
    expect(batches).toEqual([BATCH, 2]);
    expect(r.done).toHaveLength(BATCH + 1);
    expect(r.done).not.toContain('id3');
    expect([r.failed, (r.firstError as Error).message]).toEqual([1, 'refused']);
    expect(seen).toEqual([0, BATCH, BATCH + 2]);
  });
});

describe('inBatches, refused for the whole database', () => {
  it('stops at once instead of trying every lead alone', async () => {
    const ids = Array.from({ length: BATCH * 3 }, (_, i) => `id${i}`);
    let singles = 0;
    const r = await inBatches(
      ids,
      async () => {
        throw Object.assign(new Error('view only'), { code: 'view_only' });
      },
      async () => {
        singles++;
      },
    );
    expect([r.done.length, r.failed, singles]).toEqual([0, BATCH * 3, 0]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyDraft, isEmpty, parseDraft, tabsHolding, type Draft } from './activityDrafts';
import { DraftKeeper } from './draftKeeper';

const blank = emptyDraft();
const withNote = (note: string): Draft => ({ ...blank, note });

/** A store answering each write when told to. */
function store() {
  const writes: { leadId: string; note: string | null; patient: boolean; answer: (ok: boolean) => void }[] = [];
  const write = (leadId: string, draft: Draft | null, patient: boolean) =>
    new Promise<void>((resolve, reject) => {
      const answer = (ok: boolean) => (ok ? resolve() : reject(new Error('too long')));
      writes.push({ leadId, note: draft?.note ?? null, patient, answer });
    });
  return { writes, write };
}

describe('tabsHolding', () => {
  it('marks a tab by any of its texts, an email draft only with a subject or body', () => {
    expect(tabsHolding({ ...blank, callDay: '2026-11-20' })).toEqual({ note: false, task: false, call: true, email: false });
    const email = { templateId: 't', to: null, subject: ' ', body: '', missing: [] };
    expect(tabsHolding({ ...blank, email })).toEqual({ note: false, task: false, call: false, email: false });
    expect(isEmpty({ ...blank, email })).toBe(true);
    expect(tabsHolding({ ...blank, email: { ...email, body: 'Hi' }, note: 'x' })).toMatchObject({ note: true, email: true });
  });
});

describe('parseDraft', () => {
  it('keeps the texts it knows and leaves out the rest', () => {
    expect(parseDraft({ note: 'hi', callOutcome: 3, extra: 'x' })).toEqual(withNote('hi'));
    const email = { templateId: 't', to: 5, subject: 'S', body: 'B', missing: ['a', 2] };
    expect(parseDraft({ email })?.email).toEqual({ templateId: 't', to: null, subject: 'S', body: 'B', missing: ['a'] });
    expect(parseDraft({ email: { subject: 'no body' } })).toBeNull();
    expect(parseDraft({ note: '   ' })).toBeNull();
    expect(parseDraft('note')).toBeNull();
    expect(parseDraft(null)).toBeNull();
  });
});

const keeperOf = (
  write: (key: string, draft: Draft | null, patient: boolean) => Promise<unknown>,
  failed: (e: unknown) => void,
  passing?: (e: unknown) => boolean,
) => new DraftKeeper<Draft>({ write, failed, passing, parse: parseDraft, isEmpty });

describe('DraftKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes once the typing pauses, one write at a time per lead, the latest text next', async () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {});
    keeper.keep('a', withNote('h'));
    keeper.keep('a', withNote('hi'));
    expect(s.writes).toHaveLength(0);
    vi.advanceTimersByTime(400);
    expect(s.writes.map((w) => w.note)).toEqual(['hi']);
    keeper.keep('a', withNote('hi there'));
    vi.advanceTimersByTime(400);
    // The first write has no answer yet: the next waits for it.
    expect(s.writes).toHaveLength(1);
    s.writes[0].answer(true);
    await vi.runAllTimersAsync();
    expect(s.writes.map((w) => w.note)).toEqual(['hi', 'hi there']);
    expect(keeper.get('a')?.note).toBe('hi there');
  });

  it('writes nothing for a form that stays as the store has it, and forgets a cleared one', async () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {});
    await keeper.load(async () => [{ key: 'a', draft: { note: 'kept' } }]);
    keeper.keep('a', withNote('kept'));
    keeper.keep('b', blank);
    vi.advanceTimersByTime(1000);
    expect(s.writes).toHaveLength(0);
    keeper.keep('a', blank);
    expect(keeper.get('a')).toBeUndefined();
    vi.advanceTimersByTime(400);
    expect(s.writes.map((w) => [w.leadId, w.note])).toEqual([['a', null]]);
  });

  it('a change typed back while a write is under way is written after it', async () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {});
    await keeper.load(async () => [{ key: 'a', draft: { note: 'old' } }]);
    keeper.keep('a', withNote('new'));
    vi.advanceTimersByTime(400);
    keeper.keep('a', withNote('old'));
    s.writes[0].answer(true);
    await vi.runAllTimersAsync();
    expect(s.writes.map((w) => w.note)).toEqual(['new', 'old']);
  });

  it('flush writes every waiting draft at once', () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {});
    keeper.keep('a', withNote('one'));
    keeper.keep('b', withNote('two'));
    keeper.flush();
    expect(s.writes.map((w) => [w.leadId, w.note])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
    ]);
  });

  it('says a refusal once, and the text goes again with the next change', async () => {
    const s = store();
    const said: unknown[] = [];
    const keeper = keeperOf(s.write, (e) => said.push(e));
    keeper.keep('a', withNote('x'));
    vi.advanceTimersByTime(400);
    s.writes[0].answer(false);
    await vi.runAllTimersAsync();
    keeper.keep('a', withNote('xy'));
    vi.advanceTimersByTime(400);
    s.writes[1].answer(false);
    await vi.runAllTimersAsync();
    expect(said).toHaveLength(1);
    keeper.keep('a', withNote('x'));
    vi.advanceTimersByTime(400);
    expect(s.writes.map((w) => w.note)).toEqual(['x', 'xy', 'x']);
  });

  it('a write refused while the database is busy goes again later, unsaid', async () => {
    const s = store();
    const said: unknown[] = [];
    const keeper = keeperOf(s.write, (e) => said.push(e), () => true);
    keeper.keep('a', withNote('x'));
    vi.advanceTimersByTime(400);
    s.writes[0].answer(false);
    await vi.advanceTimersByTimeAsync(1999);
    expect(s.writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.writes.map((w) => w.note)).toEqual(['x', 'x']);
    expect(said).toHaveLength(0);
  });

  it('at close every waiting draft goes patiently, even one waiting out a busy database', async () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {}, () => true);
    keeper.keep('a', withNote('typed during an import'));
    vi.advanceTimersByTime(400);
    s.writes[0].answer(false);
    await vi.advanceTimersByTimeAsync(0);
    keeper.flush();
    expect(s.writes.map((w) => [w.note, w.patient])).toEqual([
      ['typed during an import', false],
      ['typed during an import', true],
    ]);
    // Typed while the window closes: it goes at once, patiently, behind the write under way.
    keeper.keep('a', withNote('typed as it closes'));
    s.writes[1].answer(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.writes[2]).toMatchObject({ note: 'typed as it closes', patient: true });
    s.writes[2].answer(true);
    await vi.advanceTimersByTimeAsync(0);
    keeper.reopen();
    keeper.keep('a', withNote('typing again: the window stayed open'));
    expect(s.writes).toHaveLength(3);
    vi.advanceTimersByTime(400);
    expect(s.writes[3]).toMatchObject({ note: 'typing again: the window stayed open', patient: false });
  });

  it('the store read while a log is being forgotten does not bring the text back', async () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {});
    keeper.keep('a', withNote('logged already'), true);
    s.writes[0].answer(true);
    await vi.advanceTimersByTimeAsync(0);
    keeper.keep('a', blank, true);
    await keeper.load(async () => [{ key: 'a', draft: { note: 'logged already' } }]);
    expect(s.writes.map((w) => w.note)).toEqual(['logged already', null]);
    expect(keeper.get('a')).toBeUndefined();
  });

  it('a log forgets its text at once, not after the pause', () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {});
    keeper.keep('a', withNote('x'), true);
    expect(s.writes.map((w) => w.note)).toEqual(['x']);
  });

  it('a lead typed in before the store answered keeps what was typed', async () => {
    const s = store();
    const keeper = keeperOf(s.write, () => {});
    keeper.keep('a', withNote('typed'));
    await keeper.load(async () => [{ key: 'a', draft: { note: 'older' } }]);
    expect(keeper.get('a')?.note).toBe('typed');
    expect(keeper.loaded).toBe(true);
  });
});

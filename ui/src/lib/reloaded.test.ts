import { describe, expect, it } from 'vitest';
import { emitLeadEvent } from './events';
import { Reloaded } from './reloaded.svelte';

/** A read whose answer the test gives when it likes. */
function reads() {
  const pending: ((v: string[]) => void)[] = [];
  const read = () => new Promise<string[]>((resolve) => pending.push(resolve));
  return { read, pending };
}

describe('a screen table read again on lead events', () => {
  it('keeps the last read started when an earlier one answers late', async () => {
    const { read, pending } = reads();
    const t = new Reloaded<string[]>(read, []);
    const first = t.load();
    const second = t.load();
    pending[1](['after the restore']);
    await second;
    pending[0](['before the restore']);
    await first;
    expect(t.value).toEqual(['after the restore']);
    expect(t.loaded).toBe(true);
  });

  it('reads again on reload and on the events the screen names', async () => {
    let n = 0;
    const t = new Reloaded<string[]>(async () => [`read ${++n}`], [], (e) => e.kind === 'deleted');
    const stop = t.watch();
    await Promise.resolve();
    emitLeadEvent({ kind: 'activity', leadId: 'x' });
    emitLeadEvent({ kind: 'deleted', id: 'x' });
    emitLeadEvent({ kind: 'reload' });
    stop();
    emitLeadEvent({ kind: 'reload' });
    await new Promise((r) => setTimeout(r, 0));
    expect(n).toBe(3);
    expect(t.value).toEqual(['read 3']);
  });
});

import { describe, expect, it } from 'vitest';
import { baseName, interruptedText } from './interruptedImports';

describe('imports that did not finish', () => {
  const one = { id: 'outpost.db.import-1', file: '/home/ana/Downloads/leads.csv', started_at: '2026-11-28T13:05:00Z' };

  it('are named by their file', () => {
    expect(baseName('/home/ana/Downloads/leads.csv')).toBe('leads.csv');
    expect(baseName('C:\\Users\\ana\\leads.csv')).toBe('leads.csv');
  });

  it('are said once at the start, or not at all', () => {
    expect(interruptedText([])).toBeNull();
    expect(interruptedText([one])).toBe(
      'The import of leads.csv did not finish — Outpost stopped before it ended. Nothing of it was kept: import the file again.',
    );
    expect(interruptedText([one, { ...one, file: '/tmp/b.csv' }])).toContain('2 imports (leads.csv, b.csv)');
  });
});

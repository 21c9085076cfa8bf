import { describe, expect, it } from 'vitest';
import { taggedText, untaggedText } from './tagText';

describe('bulk tag wording', () => {
  it('says what changed and why the rest did not', () => {
    expect(taggedText('vip', true, 3, 3)).toBe('Tagged 3 leads “vip”');
    expect(taggedText('vip', true, 1, 4)).toBe('Tagged 1 lead “vip” (3 others had it already)');
    expect(taggedText('vip', false, 2, 3)).toBe('Took “vip” off 2 leads (1 other did not have it)');
    expect(taggedText('vip', true, 0, 2)).toBe('Every lead selected has “vip” already');
    expect(taggedText('vip', false, 0, 2)).toBe('No lead selected has “vip”');
  });

  it('says what the Undo did', () => {
    expect(untaggedText('vip', true, 2)).toBe('“vip” taken off 2 leads again');
    expect(untaggedText('vip', false, 1)).toBe('“vip” back on 1 lead');
  });
});

import { describe, expect, it } from 'vitest';
import { linkFor } from './links';

describe('field links', () => {
  it('offers one for a filled email, phone or web field only', () => {
    expect(linkFor('email', 'ada@x.test')?.kind).toBe('email');
    expect(linkFor('tel', '+14155550132')?.title).toBe('Call');
    expect(linkFor('url', 'acme.com')?.kind).toBe('web');
    expect(linkFor('url', '  ')).toBeNull();
    expect(linkFor('text', 'Acme')).toBeNull();
  });
});

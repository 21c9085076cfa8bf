import { describe, expect, it } from 'vitest';
import { app, detailShownOn } from './app.svelte';

describe('the detail panel', () => {
  it('shows on the leads and on the screen its lead was opened from', () => {
    expect(detailShownOn('leads', 'leads')).toBe(true);
    expect(detailShownOn('leads', 'myday')).toBe(true);
    expect(detailShownOn('myday', 'myday')).toBe(true);
    expect(detailShownOn('imports', 'leads')).toBe(false);
    expect(detailShownOn('dashboard', 'pipeline')).toBe(false);
  });

  it('hides on other screens and is back on the leads, still open', () => {
    app.screen = 'leads';
    app.selectedId = 'a';
    expect(app.detailShown).toBe(true);
    app.screen = 'imports';
    expect(app.detailShown).toBe(false);
    expect(app.selectedId).toBe('a');
    app.screen = 'leads';
    expect(app.detailShown).toBe(true);
  });

  it('opens on the screen it was opened from (My day)', () => {
    app.screen = 'myday';
    app.selectedId = 'b';
    expect(app.detailShown).toBe(true);
    app.screen = 'settings';
    expect(app.detailShown).toBe(false);
    app.selectedId = null;
    expect(app.detailShown).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { app } from './app.svelte';
import { offered, PALETTE_ACTIONS } from './paletteActions';

const ids = () => offered(PALETTE_ACTIONS).map((a) => a.id);

describe('offered', () => {
  it('offers demo data only into an empty database', () => {
    app.totalLeads = 0;
    expect(ids()).toContain('demo');
    app.totalLeads = 406;
    expect(ids()).not.toContain('demo');
    app.totalLeads = null;
    expect(ids()).not.toContain('demo');
    expect(ids()).toContain('new-lead');
  });

  it('offers next and previous lead only on the Leads screen', () => {
    app.screen = 'leads';
    expect(ids()).toEqual(expect.arrayContaining(['next-lead', 'previous-lead']));
    app.screen = 'dashboard';
    expect(ids()).not.toContain('next-lead');
    expect(ids()).not.toContain('previous-lead');
    app.screen = 'leads';
  });
});

import { describe, expect, it } from 'vitest';
import { app } from './app.svelte';
import type { LeadSummary } from './api';
import { leadActions, listActions, offered, PALETTE_ACTIONS } from './paletteActions';

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

describe('leadActions', () => {
  const lead = (over: Partial<LeadSummary>): LeadSummary =>
    ({ id: 'l1', first_name: null, last_name: null, email: null, company: null, ...over }) as LeadSummary;

  it('names each lead found, and opens it on the lead list', () => {
    const [a, b, c] = leadActions([
      lead({ first_name: 'Priya', last_name: 'Iyer', company: 'Hooli' }),
      lead({ id: 'l2', email: 'x@acme.io' }),
      lead({ id: 'l3', company: 'Acme' }),
    ]);
    expect([a.label, b.label, c.label]).toEqual(['Open Priya Iyer · Hooli', 'Open x@acme.io', 'Open Acme']);
    app.screen = 'dashboard';
    b.run();
    expect([app.screen, app.selectedId]).toEqual(['leads', 'l2']);
  });
});

describe('listActions', () => {
  it('opens the lead list filtered to the list', () => {
    const [a] = listActions([{ id: 'l1', name: 'Q3 targets' }]);
    expect(a?.label).toBe('List: Q3 targets');
    app.screen = 'templates';
    a?.run();
    expect([app.screen, app.filters.listId]).toEqual(['leads', 'l1']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Lead } from './api';
import {
  contactText,
  DETAIL_FIELDS,
  fieldText,
  isChanged,
  MORE_FIELDS,
  parseField,
  type EditableKey,
  type FieldDef,
} from './leadFields';

const def = (key: EditableKey): FieldDef => [...DETAIL_FIELDS, ...MORE_FIELDS].find((d) => d.key === key)!;
const lead = {
  company: 'Analytical',
  phone: null,
  tags: ['vip', 'demo'],
  next_follow_up_at: '2026-12-01T09:00:00.000000Z',
  current_score: 42,
  status: 'new',
  do_not_contact: true,
  email_status: null,
  engagement_level: 'high',
} as unknown as Lead;

describe('detail fields', () => {
  it('covers every editable field once', () => {
    const keys = DETAIL_FIELDS.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(15);
  });

  it('shows values as input text', () => {
    expect(fieldText(lead, def('company'))).toBe('Analytical');
    expect(fieldText(lead, def('phone'))).toBe('');
    expect(fieldText(lead, def('tags'))).toBe('vip, demo');
    expect(fieldText(lead, def('next_follow_up_at'))).toBe('2026-12-01');
    expect(fieldText(lead, def('current_score'))).toBe('42');
  });

  it('shows a coded source as words', () => {
    expect(fieldText({ ...lead, source: 'ORGANIC_SEARCH' } as Lead, def('source'))).toBe('Organic search');
    expect(fieldText({ ...lead, source: 'csv_import' } as Lead, def('source'))).toBe('CSV import');
    expect(fieldText({ ...lead, source: 'Trade show' } as Lead, def('source'))).toBe('Trade show');
  });

  it('turns input text into stored values', () => {
    expect(parseField(def('company'), '  Engines Ltd ')).toBe('Engines Ltd');
    expect(parseField(def('company'), '   ')).toBeNull();
    expect(parseField(def('current_score'), '77')).toBe(77);
    expect(parseField(def('current_score'), '')).toBeNull();
    expect(parseField(def('current_score'), 'high')).toBe('high');
    expect(parseField(def('next_follow_up_at'), '2026-12-03')).toBe('2026-12-03T09:00:00Z');
    expect(parseField(def('next_follow_up_at'), '')).toBeNull();
    expect(parseField(def('tags'), 'a, b,')).toEqual(['a', 'b']);
    expect(parseField(def('notes'), 'line 1\nline 2\n\n')).toBe('line 1\nline 2');
    expect(parseField(def('predicted_value'), '$12,500.50')).toBe('12500.50');
    expect(parseField(def('predicted_value'), '8000')).toBe('8000');
    expect(parseField(def('predicted_value'), '')).toBeNull();
    expect(parseField(def('predicted_value'), 'a lot')).toBe('a lot');
  });

  it('reads a deal value as the rep wrote it', () => {
    const value = def('predicted_value');
    expect(parseField(value, '12.500,50')).toBe('12500.50');
    expect(parseField(value, '1.234,56')).toBe('1234.56');
    expect(parseField(value, '12,5')).toBe('12.5');
    expect(parseField(value, '12.500')).toBe('12500');
    expect(parseField(value, '12.500')).toBe('12500');
    expect(parseField(value, '-2,000,000')).toBe('-2000000');
    expect(parseField(value, ' 12,5 kg ')).toBe('12,5 kg');
  });

  it('shows a deal value grouped, without it looking changed', () => {
    const value = def('predicted_value');
    const deal = { ...lead, predicted_value: '29000' } as Lead;
    expect(fieldText(deal, value, 'en-US')).toBe('29,000');
    expect(fieldText(deal, value, 'de-DE')).toBe('29.000');
    expect(fieldText({ ...lead, predicted_value: null } as Lead, value, 'en-US')).toBe('');
    expect(isChanged(value, '29,000', '29,000')).toBe(false);
    expect(isChanged(value, '29000', fieldText(deal, value, 'en-US'))).toBe(false);
    expect(isChanged(value, '29.000', fieldText(deal, value, 'de-DE'))).toBe(false);
    expect(isChanged(value, '29,500', fieldText(deal, value, 'en-US'))).toBe(true);
  });

  it('sees no change when only the formatting differs', () => {
    expect(isChanged(def('tags'), 'vip,demo', 'vip, demo')).toBe(false);
    expect(isChanged(def('company'), 'Analytical ', 'Analytical')).toBe(false);
    expect(isChanged(def('company'), 'Analytical Engines', 'Analytical')).toBe(true);
    expect(isChanged(def('next_follow_up_at'), '2026-12-01', '2026-12-01')).toBe(false);
    expect(isChanged(def('phone'), '', '')).toBe(false);
  });
});

describe('more fields', () => {
  it('covers the other rep-editable fields, none twice', () => {
    const keys = [...DETAIL_FIELDS, ...MORE_FIELDS].map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(MORE_FIELDS.map((d) => d.key).sort()).toEqual(
      ['company_industry', 'company_size', 'do_not_contact', 'email_status', 'engagement_level', 'message', 'source', 'stage'],
    );
  });

  it('stores the checkbox as a boolean', () => {
    expect(fieldText(lead, def('do_not_contact'))).toBe('true');
    expect(fieldText({ do_not_contact: false } as unknown as Lead, def('do_not_contact'))).toBe('false');
    expect(parseField(def('do_not_contact'), 'true')).toBe(true);
    expect(parseField(def('do_not_contact'), 'false')).toBe(false);
    expect(isChanged(def('do_not_contact'), 'false', 'true')).toBe(true);
  });

  it('stores a blank choice as null', () => {
    expect(fieldText(lead, def('email_status'))).toBe('');
    expect(parseField(def('email_status'), '')).toBeNull();
    expect(parseField(def('email_status'), 'bounced')).toBe('bounced');
    expect(fieldText(lead, def('engagement_level'))).toBe('high');
  });

  it('keeps a raw value blank rather than null', () => {
    expect(parseField({ kind: 'raw' }, '  ')).toBe('');
    expect(parseField({ kind: 'raw' }, ' x ')).toBe('x');
  });
});

describe('contactText', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  it('says when the lead was last contacted and how many emails went', () => {
    expect(contactText({ last_contacted_at: '2026-11-25T10:00:00Z', emails_sent_count: 3 }, now, 'en-US')).toBe(
      'Last contacted 2 days ago · 3 emails sent',
    );
    expect(contactText({ last_contacted_at: '2026-11-27T11:59:50Z', emails_sent_count: 0 }, now)).toBe('Last contacted just now');
    expect(contactText({ last_contacted_at: null, emails_sent_count: 1 }, now)).toBe('1 email sent');
    expect(contactText({ last_contacted_at: null, emails_sent_count: 0 }, now)).toBeNull();
    expect(contactText({ emails_sent_count: 1, reply_count: 1, last_reply_at: '2026-11-27T11:59:50Z' }, now)).toBe(
      '1 email sent · 1 reply, last just now',
    );
    expect(contactText({ reply_count: 3, last_reply_at: null }, now)).toBe('3 replies');
  });

  it('counts a call or reply logged as of a day in days, not hours since noon', () => {
    const night = new Date(2026, 10, 28, 2, 10);
    const lead = { last_contacted_at: '2026-11-27T12:00:00.000000Z', reply_count: 1, last_reply_at: '2026-11-21T12:00:00.000000Z' };
    expect(contactText(lead, night, 'en-US')).toBe('Last contacted yesterday · 1 reply, last Nov 21, 2026');
    expect(contactText({ ...lead, last_reply_at: '2026-11-24T12:00:00.000000Z' }, night, 'en-US')).toContain('last 4 days ago');
    expect(contactText({ last_contacted_at: '2026-11-28T00:00:00Z' }, night, 'en-US')).toBe('Last contacted today');
  });
});

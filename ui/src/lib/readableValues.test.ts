import { describe, expect, it } from 'vitest';
import { codeText, customFieldLabel, customValueText } from './readableValues';

describe('readable values', () => {
  it('names custom fields as a rep reads them', () => {
    expect(customFieldLabel('external_id')).toBe('External ID');
    expect(customFieldLabel('original_created_at')).toBe('Created (original)');
    expect(customFieldLabel('owner')).toBe('Owner');
    expect(customFieldLabel('outpost_id')).toBe('Outpost ID (exported from)');
    expect(customFieldLabel('outpost_created_at')).toBe('Created in Outpost (exported from)');
    expect(customFieldLabel('name_prefix')).toBe('Name prefix');
    expect(customFieldLabel('phone_extension')).toBe('Phone extension');
    expect(customFieldLabel('lead_quality_score')).toBe('Lead quality score');
    expect(customFieldLabel('Mobile Phone Number')).toBe('Mobile Phone Number');
    expect(customFieldLabel('LinkedIn')).toBe('LinkedIn');
  });

  it('reads coded values', () => {
    expect(codeText('ORGANIC_SEARCH')).toBe('Organic search');
    expect(codeText('csv_import')).toBe('CSV import');
    expect(codeText('demo')).toBe('Demo');
    expect(codeText('Trade show')).toBe('Trade show');
    expect(codeText('')).toBe('');
  });

  it('shows timestamps as dates in the locale', () => {
    expect(customValueText('2024-03-12T09:14:00.000000Z', 'en-US', 'UTC')).toBe('Mar 12, 2024, 9:14 AM');
    expect(customValueText('2024-03-12 09:14:00', 'en-GB', 'UTC')).toBe('12 Mar 2024, 09:14');
    expect(customValueText('2024-03-12', 'en-US')).toBe('Mar 12, 2024');
    expect(customValueText('12345', 'en-US')).toBe('12345');
    expect(customValueText('2024-13-45T99:99:00Z', 'en-US')).toBe('2024-13-45T99:99:00Z');
  });

  it('shows a date-only value as its calendar day in any time zone', () => {
    for (const zone of ['America/Los_Angeles', 'UTC', 'Pacific/Kiritimati']) {
      expect(customValueText('2024-02-03', 'en-US', zone), zone).toBe('Feb 3, 2024');
      expect(customValueText('2024-02-03T00:00:00Z', 'en-US', zone), zone).toBe('Feb 3, 2024');
      expect(customValueText('2024-02-03T00:00:00.000000Z', 'en-US', zone), zone).toBe('Feb 3, 2024');
      expect(customValueText('2024-02-03 00:00:00+00:00', 'en-GB', zone), zone).toBe('3 Feb 2024');
      expect(customValueText('2024-02-03 00:00:00', 'en-GB', zone), zone).toBe('3 Feb 2024');
    }
    // Any other time is a moment: shown in the rep's zone, with its time.
    expect(customValueText('2024-02-03T00:00:01Z', 'en-US', 'America/Los_Angeles')).toBe('Feb 2, 2024, 4:00 PM');
    expect(customValueText('2024-02-03T00:00:00+02:00', 'en-US', 'UTC')).toBe('Feb 2, 2024, 10:00 PM');
    expect(customValueText('2024-02-03T09:30:00Z', 'en-US', 'Europe/Berlin')).toBe('Feb 3, 2024, 10:30 AM');
    expect(customValueText('2024-02-03T09:30:00+0100', 'en-US', 'UTC')).toBe('Feb 3, 2024, 8:30 AM');
    expect(customValueText('2024-02-03t09:30:00z', 'en-US', 'UTC')).toBe('Feb 3, 2024, 9:30 AM');
  });
});

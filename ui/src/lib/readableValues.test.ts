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
});

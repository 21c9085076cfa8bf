import { describe, expect, it } from 'vitest';
import {
  addressPartText,
  asObject,
  customValueProblem,
  parseCustomValue,
  valueText,
  withAddressPart,
  objectPatch,
  withCustomValue,
  withNewCustomField,
  withoutCustomField,
} from './leadObjects';

describe('asObject', () => {
  it('reads objects and JSON text holding one, else empty', () => {
    expect(asObject({ a: 1 })).toEqual({ a: 1 });
    expect(asObject('{"a":1}')).toEqual({ a: 1 });
    expect(asObject(null)).toEqual({});
    expect(asObject([1])).toEqual({});
    expect(asObject('not json')).toEqual({});
    expect(asObject(3)).toEqual({});
  });
});

describe('address', () => {
  const address = { street: '1 Main St', city: 'Leeds', lat: 53.8 };

  it('shows each part as text', () => {
    expect(addressPartText(address, 'city')).toBe('Leeds');
    expect(addressPartText(address, 'country')).toBe('');
    expect(addressPartText(null, 'city')).toBe('');
    expect(addressPartText({ postal_code: 12345 }, 'postal_code')).toBe('12345');
    // The state, as imports and exports name it; an early panel's "region" is still shown.
    expect(addressPartText({ state: 'BE' }, 'state')).toBe('BE');
    expect(addressPartText({ region: 'Berlin' }, 'state')).toBe('Berlin');
  });

  it('saves the whole object with one part changed, keeping the rest', () => {
    expect(withAddressPart(address, 'city', 'York')).toEqual({ street: '1 Main St', city: 'York', lat: 53.8 });
    expect(withAddressPart(address, 'country', ' UK ')).toEqual({ ...address, country: 'UK' });
    expect(withAddressPart(null, 'city', 'York')).toEqual({ city: 'York' });
    expect(withAddressPart({ region: 'Berlin', city: 'Berlin' }, 'state', 'BE')).toEqual({ state: 'BE', city: 'Berlin' });
    expect(address.city).toBe('Leeds');
  });

  it('drops a cleared part, and stores null once nothing is left', () => {
    expect(withAddressPart(address, 'street', null)).toEqual({ city: 'Leeds', lat: 53.8 });
    expect(withAddressPart({ city: 'Leeds' }, 'city', '  ')).toBeNull();
    expect(withAddressPart(null, 'city', null)).toBeNull();
  });
});

describe('custom fields', () => {
  const fields = { plan: 'pro', seats: 12, trial: true };

  it('shows values as text', () => {
    expect(valueText('pro')).toBe('pro');
    expect(valueText(12)).toBe('12');
    expect(valueText(true)).toBe('true');
    expect(valueText(['a'])).toBe('["a"]');
    expect(valueText(null)).toBe('');
  });

  it('keeps a non-text value its type while the text is valid JSON', () => {
    expect(parseCustomValue(' 15 ', 12)).toBe(15);
    expect(parseCustomValue('false', true)).toBe(false);
    expect(parseCustomValue('lots', 12)).toBe('lots');
    expect(parseCustomValue('15', 'pro')).toBe('15');
    expect(parseCustomValue(' x ', undefined)).toBe('x');
  });

  it('refuses a new field named as one the lead has, in any case', () => {
    expect(withNewCustomField({ Seats: 3 }, ' seats ', '4')).toEqual({ ok: false, error: "There is already a field named 'Seats'" });
  });

  it('adds a new field holding a day as a day, and refuses one that does not exist', () => {
    expect(withNewCustomField({}, 'Renewal', '15/01/2027', 'en-US')).toEqual({ ok: true, fields: { Renewal: '2027-01-15' } });
    expect(withNewCustomField({}, 'Start', '2027-02-30', 'en-US')).toEqual({ ok: false, error: 'There is no such day: “2027-02-30”' });
    expect(withNewCustomField({}, 'Plan', 'pro', 'en-US')).toEqual({ ok: true, fields: { Plan: 'pro' } });
  });

  it('refuses a day that does not exist in a field holding a day', () => {
    expect(customValueProblem({ Renewal: '2027-01-15' }, 'Renewal', '2027-02-30', 'en-US')).toBe('There is no such day: “2027-02-30”');
    expect(customValueProblem({ Renewal: '2027-01-15' }, 'Renewal', 'TBD', 'en-US')).toBeNull();
    expect(customValueProblem({ Renewal: 'soon' }, 'Renewal', '2027-02-30', 'en-US')).toBeNull();
  });

  it('keeps a date a date, however the new one is typed', () => {
    expect(parseCustomValue('Jan 15, 2027', '2026-12-31', 'en-US')).toBe('2027-01-15');
    expect(parseCustomValue('15.01.2027', '2026-12-31T00:00:00Z', 'de-DE')).toBe('2027-01-15');
    expect(parseCustomValue('TBD', '2026-12-31', 'en-US')).toBe('TBD');
    expect(parseCustomValue('Jan 15, 2027', 'soon', 'en-US')).toBe('Jan 15, 2027');
  });

  it('edits one value and saves the whole object', () => {
    expect(withCustomValue(fields, 'seats', '20')).toEqual({ plan: 'pro', seats: 20, trial: true });
    expect(withCustomValue(fields, 'plan', ' team ')).toEqual({ plan: 'team', seats: 12, trial: true });
    expect(fields.seats).toBe(12);
  });

  it('adds a key unless it is blank or taken', () => {
    expect(withNewCustomField(fields, ' region ', ' EU ')).toEqual({ ok: true, fields: { ...fields, region: 'EU' } });
    expect(withNewCustomField({}, 'a', '')).toEqual({ ok: true, fields: { a: '' } });
    expect(withNewCustomField(fields, '  ', 'x').ok).toBe(false);
    const taken = withNewCustomField(fields, 'plan', 'x');
    expect(taken.ok).toBe(false);
    if (!taken.ok) expect(taken.error).toMatch(/plan/);
  });

  it('removes a key', () => {
    expect(withoutCustomField(fields, 'seats')).toEqual({ plan: 'pro', trial: true });
    expect(withoutCustomField(fields, 'missing')).toEqual(fields);
    expect(fields).toHaveProperty('seats');
  });
});

describe('objectPatch', () => {
  it('holds only the keys an edit changed, removed ones as null', () => {
    expect(objectPatch({ a: 1, b: 'x', c: [1] }, { a: 1, b: 'y', d: true })).toEqual({ b: 'y', c: null, d: true });
    expect(objectPatch(null, { city: 'York' })).toEqual({ city: 'York' });
    expect(objectPatch({ city: 'York' }, null)).toEqual({ city: null });
    expect(objectPatch({ n: { x: 1 } }, { n: { x: 1 } })).toEqual({});
  });
});

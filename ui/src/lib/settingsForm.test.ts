import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { savedText, settingsErrorField, settingsErrors, validateSettings } from './settingsForm';

const KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl';

describe('validateSettings', () => {
  it('passes a good project', () => {
    expect(validateSettings('https://abc.supabase.co', KEY, 60)).toEqual({});
    expect(validateSettings('http://127.0.0.1:41234', 'sb_publishable_abc', '10')).toEqual({});
  });

  it('reports every field at once', () => {
    const found = validateSettings('supabase dot com/myproject', 'my-secret-key-123', 5);
    expect(Object.keys(found).sort()).toEqual(['interval', 'key', 'url']);
    expect(found.interval).toBe('Sync every 10 to 3600 seconds (whole seconds).');
  });

  it('asks for what is missing', () => {
    const found = validateSettings('  ', '', null);
    expect(found.url).toMatch(/^Enter your project’s URL/);
    expect(found.key).toMatch(/^Paste the project’s anon/);
    expect(found.interval).toBeDefined();
  });

  it('wants https except to this computer', () => {
    expect(validateSettings('http://abc.supabase.co', KEY, 60).url).toBe('The project URL must start with https://.');
    expect(validateSettings('http://localhost:5000', KEY, 60).url).toBeUndefined();
  });

  it('refuses intervals out of range or not whole', () => {
    expect(validateSettings('https://a.co', KEY, 3601).interval).toBeDefined();
    expect(validateSettings('https://a.co', KEY, 12.5).interval).toBeDefined();
    expect(validateSettings('https://a.co', KEY, 3600).interval).toBeUndefined();
  });
});

describe('settingsErrorField', () => {
  it('puts a refusal by the field it is about', () => {
    expect(settingsErrorField(new ApiError('invalid', 'the Supabase project URL is not valid: x'))).toBe('url');
    expect(settingsErrorField(new ApiError('invalid', 'the Supabase key is not valid: y'))).toBe('key');
    expect(settingsErrorField(new ApiError('service_role_key', 'this key is a service_role key'))).toBe('key');
    expect(settingsErrorField(new ApiError('network', 'cannot reach Supabase'))).toBeNull();
  });

  it('words the message for the field', () => {
    expect(settingsErrors(new ApiError('invalid', 'the Supabase key is not valid: y'))).toEqual({
      key: 'The Supabase key is not valid: y',
    });
    expect(settingsErrors(new ApiError('io', 'disk full'))).toBeNull();
  });
});

describe('savedText', () => {
  it('does not say checked when the project could not be asked', () => {
    expect(savedText({ online: true })).toBe('Sync settings saved');
    expect(savedText({ online: false })).toContain('could not be reached to check them');
  });
});

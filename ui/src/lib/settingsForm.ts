// The team sync form's checks, every field at once so the rep fixes all in one go, and which field
// a refusal from the app's own checks (the URL, the key) belongs to. Rust checks again when
// saving (and asks the project); these only catch what is plainly wrong before that.
import type { ApiError } from './api';
import { errorMessage } from './api';

export const MIN_INTERVAL = 10;
export const MAX_INTERVAL = 3600;

export type SettingsField = 'url' | 'key' | 'interval';
export type SettingsErrors = Partial<Record<SettingsField, string>>;

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

function urlProblem(text: string): string | null {
  const url = text.trim();
  if (!url) return 'Enter your project’s URL, like https://your-project.supabase.co.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'That isn’t a web address — it looks like https://your-project.supabase.co.';
  }
  // Plain http only to this computer (a local stand-in), as the app allows.
  const secure = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK.includes(parsed.hostname));
  return secure ? null : 'The project URL must start with https://.';
}

function keyProblem(text: string): string | null {
  const key = text.trim();
  if (!key) return 'Paste the project’s anon (public) key.';
  // A JWT ("eyJ….….…") or one of Supabase's newer keys; which role it has, Rust decides.
  if (/^sb_(publishable|secret)_/.test(key) || key.split('.').length === 3) return null;
  return 'That isn’t a Supabase key — the anon key is a long text starting with eyJ (or sb_publishable_).';
}

function intervalProblem(value: number | string | null): string | null {
  const secs = Number(value);
  if (value === null || value === '' || !Number.isInteger(secs) || secs < MIN_INTERVAL || secs > MAX_INTERVAL) {
    return `Sync every ${MIN_INTERVAL} to ${MAX_INTERVAL} seconds (whole seconds).`;
  }
  return null;
}

/** Every field's problem at once; an empty object when the form may be sent. */
export function validateSettings(url: string, key: string, interval: number | string | null): SettingsErrors {
  const found: SettingsErrors = {};
  const u = urlProblem(url);
  const k = keyProblem(key);
  const i = intervalProblem(interval);
  if (u) found.url = u;
  if (k) found.key = k;
  if (i) found.interval = i;
  return found;
}

/** What saving says: the project could not be asked (offline, or down) — kept, checked by the
 *  first sync — is not the same as checked. */
export function savedText(status: { online: boolean }): string {
  return status.online
    ? 'Sync settings saved'
    : 'Sync settings saved — the project could not be reached to check them; the first sync will.';
}

/** The field a refusal from saving is about (Rust names the URL or the key), else null: shown
 *  over the Save button. A service_role key has its own warning, by the key. */
export function settingsErrorField(e: ApiError): SettingsField | null {
  if (e.code === 'service_role_key') return 'key';
  if (e.code !== 'invalid') return null;
  if (/project URL/i.test(e.message)) return 'url';
  if (/\bkey\b/i.test(e.message)) return 'key';
  return null;
}

/** The refusal as field errors, or null when it belongs to no field. */
export function settingsErrors(e: ApiError): SettingsErrors | null {
  const field = settingsErrorField(e);
  return field ? { [field]: errorMessage(e) } : null;
}

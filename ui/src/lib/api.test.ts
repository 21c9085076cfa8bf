import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage, toApiError, unwrap } from './api';

describe('unwrap', () => {
  it('returns the data of an ok result', async () => {
    await expect(unwrap(Promise.resolve({ status: 'ok' as const, data: 42 }))).resolves.toBe(42);
  });

  it('throws the store error as an ApiError with its code and message', async () => {
    const call = unwrap(
      Promise.resolve({ status: 'error' as const, error: { code: 'conflict', message: 'email already used' } }),
    );
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({ code: 'conflict', message: 'email already used' });
  });

  it('turns an exception (no Tauri, IPC failure) into an ApiError', async () => {
    const call = unwrap(Promise.reject(new TypeError('window.__TAURI_INTERNALS__ is undefined')));
    await expect(call).rejects.toMatchObject({ code: 'internal', message: 'window.__TAURI_INTERNALS__ is undefined' });
  });

  it('keeps a bare string error from Tauri as the message', async () => {
    const call = unwrap(Promise.resolve({ status: 'error' as const, error: 'not allowed' as never }));
    await expect(call).rejects.toMatchObject({ code: 'internal', message: 'not allowed' });
  });
});

describe('toApiError', () => {
  it('passes an ApiError through', () => {
    const e = new ApiError('not_found', 'no such lead');
    expect(toApiError(e)).toBe(e);
  });

  it('has a message for anything', () => {
    expect(errorMessage(undefined)).toBe('Something went wrong');
    expect(errorMessage({ message: 'x' })).toBe('X');
    expect(toApiError({ code: 'invalid', message: 'bad' }).code).toBe('invalid');
  });
});

describe('errorMessage', () => {
  it('rewords a refused field for the rep, the code untouched', () => {
    const e = { code: 'invalid', message: 'leads.current_score: cannot be empty' };
    expect(errorMessage(e)).toBe('Score cannot be empty');
    expect(toApiError(e)).toMatchObject({ code: 'invalid', message: 'leads.current_score: cannot be empty' });
  });
});

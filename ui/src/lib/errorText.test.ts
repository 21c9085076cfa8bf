import { describe, expect, it } from 'vitest';
import { capitalise, columnLabel, duplicateOf, readableError } from './errorText';

describe('readableError', () => {
  it('names a do-not-contact lead as the lead at hand, not by its id', () => {
    const said = "lead 01a21cf1-2503-7351-a70c-78daa2e40131 is marked do-not-contact: moving it to 'contacted' is not allowed";
    expect(readableError('do_not_contact', said)).toBe(
      'This lead is marked do-not-contact: moving it to Contacted is not allowed',
    );
  });

  it('names the field a sync changed while the rep typed', () => {
    const said = "current_score was changed meanwhile (it is now 80); yours waits in the conflicts to keep or drop";
    expect(readableError('changed_meanwhile', said)).toBe(
      'Score was changed meanwhile (it is now 80); yours waits in the conflicts to keep or drop',
    );
  });

  it('drops the table.column prefix of a refused value', () => {
    expect(readableError('invalid', "leads.email: 'not-an-email' is not an email address (no @)")).toBe(
      "'not-an-email' is not an email address (no @)",
    );
  });

  it('says what to do when the keychain is missing, not which variable to set', () => {
    const said = readableError('keychain', 'could not use the keychain: Secret Service: no result found (on a machine without one — set OUTPOST_TOKEN_FILE …)');
    expect(said).toContain('keychain (GNOME Keyring, KWallet)');
    expect(said).toContain('(Secret Service: no result found)');
  });

  it('says a past follow-up as a day, not the stored timestamp', () => {
    expect(readableError('follow_up_in_past', 'the follow-up date 2026-11-20T09:00:00Z is in the past')).toBe(
      'The follow-up date is in the past — pick today or a later day',
    );
  });

  it('names the field by its label when the reason goes on from it', () => {
    expect(readableError('invalid', 'leads.current_score: cannot be empty')).toBe('Score cannot be empty');
    expect(readableError('invalid', 'leads.first_name: is required')).toBe('First name is required');
    expect(readableError('invalid', 'leads.tags: must be a list of text, like ["vip", "2027"]')).toBe(
      'Tags must be a list of text, like ["vip", "2027"]',
    );
    expect(readableError('invalid', 'leads.company: expected text, got 5')).toBe('Company: expected text, got 5');
  });

  it('drops the table prefix of a broken rule and names its column by label', () => {
    expect(readableError('constraint', 'leads: current_score must be between 0 and 100')).toBe(
      'Score must be between 0 and 100',
    );
    expect(readableError('constraint', 'leads: predicted_value must be a number, like 12500.50')).toBe(
      'Deal value must be a number, like 12500.50',
    );
    expect(readableError('constraint', 'leads: another row already has this leads.email')).toBe(
      'Another row already has this email',
    );
    expect(readableError('constraint', 'activities: it refers to a row that does not exist')).toBe(
      'It refers to a row that does not exist',
    );
  });

  it('capitalises a reason that stands alone', () => {
    expect(readableError('invalid', 'email_templates.name: a template needs a name')).toBe('A template needs a name');
    expect(readableError('invalid', 'leads.*: not a record')).toBe('Not a record');
  });

  it('leaves dots inside the reason alone', () => {
    expect(readableError('invalid', 'leads.email: the domain needs a dot, like example.com')).toBe(
      'The domain needs a dot, like example.com',
    );
  });

  it('only capitalises other codes (their colons are part of the sentence)', () => {
    expect(readableError('busy', 'the database is busy: another Outpost is writing')).toBe(
      'The database is busy: another Outpost is writing',
    );
    expect(readableError('not_configured', 'set the Supabase project URL and anon key first')).toBe(
      'Set the Supabase project URL and anon key first',
    );
    expect(readableError('internal', 'network: down')).toBe('Network: down');
  });
});

describe('columnLabel and capitalise', () => {
  it('uses the panel’s labels, else the humanized column', () => {
    expect(columnLabel('current_score')).toBe('Score');
    // The panel's "Deal value" field: its errors name it so too.
    expect(columnLabel('predicted_value')).toBe('Deal value');
    expect(readableError('invalid', 'leads.predicted_value: must be a number, like 12500.50')).toBe(
      'Deal value must be a number, like 12500.50',
    );
    expect(readableError('invalid', 'leads.predicted_value: a deal value cannot be negative')).toBe(
      'A deal value cannot be negative',
    );
    expect(columnLabel('linkedin_url')).toBe('LinkedIn');
    expect(columnLabel('company_size')).toBe('Company size');
    expect(columnLabel('some_new_column')).toBe('Some new column');
  });

  it('raises the first letter only', () => {
    expect(capitalise('could not save: disk full')).toBe('Could not save: disk full');
    expect(capitalise('')).toBe('');
    expect(capitalise("'x' is bad")).toBe("'x' is bad");
  });
});

describe('duplicate email', () => {
  const message = 'a lead with email ana@acme.com already exists (id 01a21c19-f7f1-7000-8000-000000000001)';
  it('says it without the id, and gives the id to open that lead', () => {
    expect(readableError('duplicate_email', message)).toBe('A lead with email ana@acme.com already exists');
    expect(duplicateOf('duplicate_email', message)).toBe('01a21c19-f7f1-7000-8000-000000000001');
    expect(duplicateOf('invalid', message)).toBeNull();
  });
});

describe('names taken', () => {
  it('says the list or campaign exists', async () => {
    const { readableError } = await import('./errorText');
    expect(readableError('invalid', 'lead_lists.name: a list named “q4 push” already exists')).toBe(
      'A list named “q4 push” already exists',
    );
  });
});

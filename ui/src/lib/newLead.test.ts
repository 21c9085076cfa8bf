import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { emailProblem, phoneProblem, refusedField, typedNewLead, validateNewLead } from './newLead';

describe('new lead checks', () => {
  it('says what is wrong with an email', () => {
    expect(emailProblem('')).toBeNull();
    expect(emailProblem(' ana@example.com ')).toBeNull();
    expect(emailProblem('bob@')).toBe('Type the part after the @ too, like ana@example.com');
    expect(emailProblem('@example.com')).toBe('Type the part before the @ too, like ana@example.com');
    expect(emailProblem('bob')).toBe('An email address needs an @, like ana@example.com');
    expect(emailProblem('bob@example')).toBe('The part after the @ needs a dot, like example.com');
    expect(emailProblem('bob @x.com')).toBe('An email address has no spaces');
    expect(emailProblem('a@x.com,b@x.com')).toBe('One address only, without a name or brackets around it');
    expect(emailProblem('bob\u200b@x.com')).toContain('invisible character');
  });

  it('says what is wrong with a phone number, as the store would', () => {
    for (const ok of ['', '+1 (415) 555-0132', '020 7946 0958', '+44.20.7946.0958', '415-555-0132 ext. 12', '5550132 x3', '+33 1 23/45/67/89']) {
      expect(phoneProblem(ok), ok).toBeNull();
    }
    expect(phoneProblem('12')).toBe('A phone number has 5 digits or more');
    expect(phoneProblem('555')).toBe('A phone number has 5 digits or more');
    for (const bad of ['abc', 'call me', '+1 415 CALL NOW']) {
      expect(phoneProblem(bad), bad).toBe('Only digits, with + - ( ) . / and spaces (an extension as “ext. 12”)');
    }
  });

  it('checks every field at once', () => {
    expect(validateNewLead({ first_name: 'Bob', email: 'bob@' })).toEqual({
      email: 'Type the part after the @ too, like ana@example.com',
    });
    expect(validateNewLead({ email: 'bob@', phone: '12' })).toEqual({
      email: 'Type the part after the @ too, like ana@example.com',
      phone: 'A phone number has 5 digits or more',
    });
    expect(validateNewLead({ first_name: 'Bob', email: 'bob', phone: 'call me' })).toEqual({
      email: 'An email address needs an @, like ana@example.com',
      phone: 'Only digits, with + - ( ) . / and spaces (an extension as “ext. 12”)',
    });
    expect(validateNewLead({ job_title: 'CEO' })).toEqual({ form: 'Fill in a name, an email, a phone or a company' });
    expect(validateNewLead({ company: 'Acme' })).toEqual({});
  });

  it('finds the field a refusal is about', () => {
    expect(refusedField(new ApiError('invalid', "leads.email: 'x@y.z' is not an email address (…)"))).toBe('email');
    expect(refusedField(new ApiError('invalid', 'leads.website: bad'))).toBeNull();
    expect(refusedField(new ApiError('duplicate_email', 'a lead with email a@b.io already exists (id x)'))).toBe('email');
    expect(refusedField(new ApiError('internal', 'leads.email: x'))).toBeNull();
  });
});

describe('a new lead typed and not created', () => {
  it('is named for the question closing asks, or is nothing', () => {
    expect(typedNewLead({ first_name: ' Ana ', last_name: 'Reyes', email: 'ana@acme.com' })).toBe('Ana Reyes');
    expect(typedNewLead({ first_name: '', email: 'ana@acme.com' })).toBe('ana@acme.com');
    expect(typedNewLead({ phone: '+1 415 555 0199' })).toBe('+1 415 555 0199');
    expect(typedNewLead({ first_name: '  ', company: '' })).toBeNull();
    expect(typedNewLead({})).toBeNull();
  });
});

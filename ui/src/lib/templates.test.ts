import { describe, expect, it } from 'vitest';
import { insertAt, placeholder, TEMPLATE_VARIABLES, unknownVariables, usedVariables } from './templates';

describe('template variables', () => {
  it('offers the variables the store fills', () => {
    expect(TEMPLATE_VARIABLES.map((v) => v.name)).toEqual([
      'first_name',
      'last_name',
      'full_name',
      'company',
      'job_title',
      'email',
      'phone',
      'website',
      'city',
    ]);
    expect(placeholder('company')).toBe('{{company}}');
  });

  it('lists used variables once, in order, across subject and body', () => {
    expect(usedVariables('Hi {{first_name}}', 'At {{ company }}, {{first_name}}… {{city}}')).toEqual([
      'first_name',
      'company',
      'city',
    ]);
    expect(usedVariables('no variables, {single} or {{ }}')).toEqual([]);
    expect(usedVariables('{{first_name }} {{ Industry Vertical}}')).toEqual(['first_name', 'Industry Vertical']);
  });

  it('finds unknown variables', () => {
    expect(unknownVariables('Hi {{frist_name}}', '{{company}} {{Company}}')).toEqual(['frist_name']);
    expect(unknownVariables('{{full_name}} {{ name }} {{country}}')).toEqual([]);
  });

  it('inserts at the caret or over a selection', () => {
    expect(insertAt('Hi !', '{{first_name}}', 3)).toEqual({ text: 'Hi {{first_name}}!', caret: 17 });
    expect(insertAt('Hi NAME!', 'X', 3, 7)).toEqual({ text: 'Hi X!', caret: 4 });
    expect(insertAt('ab', 'X', 99)).toEqual({ text: 'abX', caret: 3 });
  });
});

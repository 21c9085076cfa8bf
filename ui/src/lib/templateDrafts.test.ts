import { describe, expect, it } from 'vitest';
import { parseTemplateDraft } from './templateDrafts';

describe('template drafts', () => {
  it('reads back the three texts of a kept draft, nothing from an empty or foreign one', () => {
    expect(parseTemplateDraft({ name: 'Intro', content: 'Hi', extra: 1 })).toEqual({ name: 'Intro', subject: '', content: 'Hi' });
    expect(parseTemplateDraft({ name: '  ', subject: 3 })).toBeNull();
    expect(parseTemplateDraft('Intro')).toBeNull();
  });
});

-- An email template being written and not saved yet, kept as it is typed so that closing the
-- window, a crash or a restart finds it again (template_key: the template's id, or '' for a new
-- one). Local, as activity_drafts: a draft is the rep's until it is saved.
CREATE TABLE template_drafts (
  template_key TEXT PRIMARY KEY NOT NULL,
  draft TEXT NOT NULL CHECK (json_valid(draft) AND json_type(draft) = 'object'),
  updated_at TEXT NOT NULL
) STRICT;

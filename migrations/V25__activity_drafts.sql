-- What a rep typed on a lead's Note, Task, Call and Email tabs and has not logged yet, kept per lead
-- so that closing the window, a crash or a restart finds it again. Local: a draft is the rep's until
-- it is logged (logging makes the activity, which syncs). No foreign key: a lead deleted and
-- restored finds its draft again; a draft of a lead gone is not read.
CREATE TABLE activity_drafts (
  lead_id TEXT PRIMARY KEY NOT NULL,
  draft TEXT NOT NULL CHECK (json_valid(draft) AND json_type(draft) = 'object'),
  updated_at TEXT NOT NULL
) STRICT;

-- What each merge of two leads did (the kept lead's fields before and after, the records moved,
-- closed or reopened), so its Undo takes back exactly that — the page asks by the merge's number
-- and never hands the store a list of rows to change. Local: a merge's Undo is the laptop's.
CREATE TABLE lead_merges (
  id INTEGER PRIMARY KEY,
  merged TEXT NOT NULL CHECK (json_valid(merged)),
  created_at TEXT NOT NULL
) STRICT;

-- What each import did to each lead, so `undo` can take it back: created leads are removed, updated
-- leads get their previous values. Local to the laptop that imported.
CREATE TABLE import_changes (
  import_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('created', 'updated')),
  previous TEXT CHECK (previous IS NULL OR json_valid(previous)),
  PRIMARY KEY (import_id, lead_id)
) WITHOUT ROWID;

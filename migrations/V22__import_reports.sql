-- What each import found — its column choices, the problems by row and the rows it left out with
-- their cells — kept on the laptop that ran it, so Import history can show it again and save the
-- rows left out after the wizard has closed. Local: the rows left out are the rep's file's contents.
-- No foreign key: a pulled import row replaced or removed must not take the report with it.
CREATE TABLE import_reports (
  import_id TEXT PRIMARY KEY NOT NULL,
  report TEXT NOT NULL CHECK (json_valid(report))
) STRICT;

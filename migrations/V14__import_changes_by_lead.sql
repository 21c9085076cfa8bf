-- Undo (and its question) asks, for each lead an import created, whether a later import changed it:
-- without this index every lead scanned all of import_changes (a million-lead undo after a big
-- update import would have read it a million times).
CREATE INDEX import_changes_lead_id ON import_changes (lead_id);

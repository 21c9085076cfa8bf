-- Undo asks, for a lead an import created, whether a later import changed it (and not the rep).
CREATE INDEX import_changes_lead ON import_changes (lead_id);

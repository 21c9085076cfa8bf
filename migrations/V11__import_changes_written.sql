-- What an import wrote into each lead it updated (the fields it changed, as it left them): undo puts
-- a field back only while it still holds that value, so a change made after the import is kept.
ALTER TABLE import_changes ADD COLUMN written TEXT CHECK (written IS NULL OR json_valid(written));

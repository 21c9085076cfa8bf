-- A change the server refused for a clash that a later change of the same push may clear — a unique
-- value still held by a row whose change comes later (a list renamed, its old name given to a new
-- list, then the first list edited again: the outbox orders a row by its last edit, so the new list
-- goes first), or a row it refers to that is not on the server yet — goes again once, at the end of
-- the outbox, before it is kept for the rep as refused.
ALTER TABLE outbox ADD COLUMN retried INTEGER NOT NULL DEFAULT 0;

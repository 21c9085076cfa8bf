-- Whether a push has read an outbox entry (it may be on its way to the server, or there already
-- with its answer lost). `seq` alone could not tell: a push renumbers what it reads, but the next
-- captured edit of the row renumbers it again. Set by the push's read, never by capture; an entry
-- leaves the outbox when its answer is recorded. An undo forgets outright only rows never read.
ALTER TABLE outbox ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
-- Entries renumbered since their edit were read by a push; with a push's answer outstanding, every
-- entry is taken as read (the safe side: it is soft-deleted, not forgotten).
UPDATE outbox SET sent = 1 WHERE seq <> edit_seq OR EXISTS (SELECT 1 FROM local_settings WHERE key = 'push_in_flight');

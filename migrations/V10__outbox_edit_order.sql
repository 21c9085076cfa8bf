-- The order a push sends changes in is the order they were made (edit_seq, renewed by each edit),
-- apart from the number a change is sent with (seq, renumbered when a batch is read so numbers rise
-- in sending order). With one column for both, changes read for a batch that was then not sent (a
-- batch read ahead and dropped after an error, a batch the server refused whole) had new numbers
-- and went behind every change not read yet: an email freed by one edit could reach the server
-- after a later lead took it.
ALTER TABLE outbox ADD COLUMN edit_seq INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET edit_seq = seq;
DROP INDEX IF EXISTS outbox_table_seq;
CREATE INDEX outbox_edit_order ON outbox (table_name, edit_seq);

-- A push reads the outbox a batch at a time, parents' tables first and then in edit order. Without
-- an index in that order each batch sorted the whole outbox: after an import of a million leads,
-- a thousand sorts of a million entries.
CREATE INDEX outbox_table_seq ON outbox (table_name, seq);

-- "My day" lists the inbound messages that need the rep's action (a web form sent again by a lead):
-- a few rows among possibly many conversations, found through this small partial index.
CREATE INDEX conversations_needing_action ON conversations (occurred_at) WHERE requires_action = 1 AND deleted_at IS NULL;

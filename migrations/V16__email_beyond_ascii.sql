-- Leads whose email has characters beyond ASCII ("JOSÉ@x.com"). The unique index and the duplicate
-- check fold ASCII letters only (SQLite's lower()), so such an address stored as typed — before the
-- store kept one form of it, or pulled from the server — is compared in Rust in its one form
-- (rules::email_form). There are few: this index finds them without reading every lead.
CREATE INDEX leads_email_beyond_ascii ON leads (organization_id) WHERE email GLOB '*[^ -~]*' AND deleted_at IS NULL;

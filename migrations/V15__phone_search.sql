-- Finding a lead by phone number ("who is calling?"): numbers are stored as written or in E.164
-- ("+1 (415) 555-0100", "+14155550100"), so the search compares digits. This index holds each
-- phone's last seven digits, before any extension ("ext. 12", "x12", "#12") — the expression is
-- `substr(query::PHONE_DIGITS, -7)` and must stay identical to it.
CREATE INDEX leads_phone_tail ON leads (
  substr(replace(replace(replace(replace(replace(replace(replace(substr(lower(phone), 1, min(instr(lower(phone) || 'e', 'e'), instr(lower(phone) || 'x', 'x'), instr(lower(phone) || '#', '#')) - 1), '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), -7)
) WHERE phone IS NOT NULL AND deleted_at IS NULL;

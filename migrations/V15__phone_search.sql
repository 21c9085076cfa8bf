-- Finding a lead by phone number ("who is calling?"): numbers are stored as written or in E.164
-- ("+1 (415) 555-0100", "+14155550100"), so the search compares digits. This index holds each
-- phone's last seven digits (the expression is `query::PHONE_TAIL`, and must stay identical to it).
CREATE INDEX leads_phone_tail ON leads (
  substr(replace(replace(replace(replace(replace(replace(replace(phone, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), -7)
) WHERE phone IS NOT NULL AND deleted_at IS NULL;

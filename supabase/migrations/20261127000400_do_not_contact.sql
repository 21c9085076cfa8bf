-- A lead marked do-not-contact stays so (seed 003's rule, which the laptop's store enforces): a user's
-- update cannot clear the mark, so a modified client or a direct API call cannot put an opted-out person
-- back into outreach. The operator (service_role, the tables' owner) still can. Refused with 42501.
-- Only a row whose mark is cleared reaches the function (the trigger's WHEN).
create trigger leads_guard_do_not_contact after update on public.leads
    for each row when (old.do_not_contact and not new.do_not_contact)
    execute function public.guard_refuse_users('%s.do_not_contact: lead %s is marked do-not-contact, which cannot be cleared');

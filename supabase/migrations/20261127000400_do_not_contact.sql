-- A lead marked do-not-contact stays so (seed 003's rule, which the laptop's store enforces): a user's
-- update cannot clear the mark, so a modified client or a direct API call cannot put an opted-out person
-- back into outreach. The operator (service_role, the tables' owner) still can. Refused with 42501.
-- Only a row whose mark is cleared reaches the function (the trigger's WHEN).
create function public.guard_do_not_contact() returns trigger
    language plpgsql set search_path = public
as $$
begin
    if current_user in ('authenticated', 'anon') then
        raise exception using errcode = '42501',
            message = format('leads.do_not_contact: lead %s is marked do-not-contact, which cannot be cleared', new.id);
    end if;
    return null;
end
$$;
revoke all on function public.guard_do_not_contact() from public, anon, authenticated, service_role;

create trigger leads_guard_do_not_contact after update on public.leads
    for each row when (old.do_not_contact and not new.do_not_contact)
    execute function public.guard_do_not_contact();

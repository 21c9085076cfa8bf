-- A lead marked do-not-contact stays so (seed 003's rule, which the laptop's store enforces): a user's
-- update cannot clear the mark, so a modified client or a direct API call cannot put an opted-out person
-- back into outreach. The operator (service_role, the tables' owner) still can. Refused with 42501.
create function public.guard_do_not_contact() returns trigger
    language plpgsql set search_path = public
as $$
declare
    v_id uuid;
begin
    if current_user not in ('authenticated', 'anon') then
        return null;
    end if;
    -- The few rows that were marked first (offset 0: sync_push plans without hash joins, and the rows that
    -- were not marked are most of a batch).
    select o.id into v_id
      from (select r.id from old_rows r where r.do_not_contact offset 0) o
      join new_rows n on n.id = o.id
     where not n.do_not_contact
     limit 1;
    if v_id is not null then
        raise exception using errcode = '42501',
            message = format('leads.do_not_contact: lead %s is marked do-not-contact, which cannot be cleared', v_id);
    end if;
    return null;
end
$$;
revoke all on function public.guard_do_not_contact() from public, anon, authenticated, service_role;

create trigger leads_guard_do_not_contact after update on public.leads
    referencing old table as old_rows new table as new_rows
    for each statement execute function public.guard_do_not_contact();

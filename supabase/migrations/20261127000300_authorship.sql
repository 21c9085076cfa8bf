-- Who made a row is the user who sent it, not whoever the request names. Without this a rep could log an
-- activity "created by" their manager, hand a lead's authorship to a colleague, or acknowledge an AI
-- insight in someone else's name (the same-organization check only asks that the person is a member).
-- created_by is the sender's (or left empty) on insert, by the insert policies, and never changes after
-- (a guard_refuse_users trigger: only a row whose created_by changes reaches it); acknowledged_by is the
-- sender's.
-- Policies and a guard_* row trigger cost sync_push's one-statement path nothing.
-- (user_id stays free: an appointment or a task may be a teammate's.)

-- A row trigger's refusal of a signed-in (or anonymous) user's write; the operator's writes pass. Its
-- argument is the message, with the table's name and the row's id for its two %s.
create function public.guard_refuse_users() returns trigger
    language plpgsql set search_path = public
as $$
begin
    if current_user in ('authenticated', 'anon') then
        raise exception using errcode = '42501', message = format(tg_argv[0], tg_table_name, new.id);
    end if;
    return null;
end
$$;
revoke all on function public.guard_refuse_users() from public, anon, authenticated, service_role;

do $$
declare
    t record;
    p record;
begin
    for t in select c.table_name from information_schema.columns c
              where c.table_schema = 'public' and c.column_name = 'created_by'
    loop
        for p in select pol.policyname, pol.with_check from pg_catalog.pg_policies pol
                  where pol.schemaname = 'public' and pol.tablename = t.table_name and pol.cmd = 'INSERT'
                    and 'authenticated' = any (pol.roles)
        loop
            execute format('alter policy %I on public.%I with check ((%s) and (created_by is null or created_by = (select auth.uid())))',
                           p.policyname, t.table_name, p.with_check);
        end loop;
        execute format('create trigger %I after update on public.%I for each row '
                       'when (old.created_by is distinct from new.created_by) '
                       'execute function public.guard_refuse_users(%L)',
                       t.table_name || '_guard_created_by', t.table_name, '%s.created_by: who made row %s does not change');
    end loop;
end
$$;

alter policy ai_insights_update on public.ai_insights
    with check (organization_id = (select public.current_organization_id()) and (select public.current_user_can_write())
                and (acknowledged_by is null or acknowledged_by = (select auth.uid())));

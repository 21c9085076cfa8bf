-- A reference stays inside its organization.
--
-- A foreign key only asks that the referenced row exists, and RLS only looks at the writing row's own
-- organization_id: without this a signed-in user could point their lead at another organization's list or
-- owner, or an activity at another organization's lead (whose hard delete would then cascade into this
-- organization's rows, and whose server-side automations would count or read it). These triggers refuse
-- a write that sets a reference to a row of another organization, with the foreign key's SQLSTATE (23503),
-- so sync reports the change as rejected with this reason.
--
-- Only references a write sets are checked (every non-null one on insert, changed ones on update): a row an
-- operator moved to another organization keeps its history (created_by, an old owner) and stays editable.
-- Inserts are checked once per statement over its new rows; updates per row, and only rows whose
-- references changed reach the function (the trigger's WHEN): a push of 1,000 edits to notes and statuses
-- captured every old and new row for a statement-level check, ~10% of its time.
-- The triggers are made for every single-column foreign key between two organization-scoped tables that
-- exists when this migration runs; a test checks that each such key has them.

create function public.guard_same_organization() returns trigger
    language plpgsql security definer set search_path = public
as $$
declare
    i int := 0;
    v_col text;
    v_ref text;
    v_bad text;
    v_new jsonb;
    v_old jsonb;
begin
    if tg_level = 'ROW' then
        v_new := to_jsonb(new);
        v_old := to_jsonb(old);
    end if;
    -- tg_argv: column, referenced table, column, referenced table, ...
    while i + 1 < tg_nargs loop
        v_col := tg_argv[i];
        v_ref := tg_argv[i + 1];
        if tg_level = 'STATEMENT' then
            execute format('select n.%1$I::text from new_rows n where n.%1$I is not null and not exists '
                           '(select 1 from public.%2$I r where r.id = n.%1$I '
                           'and r.organization_id is not distinct from n.organization_id) limit 1', v_col, v_ref)
               into v_bad;
        else
            v_bad := v_new ->> v_col;
            if v_bad is not distinct from (v_old ->> v_col) then
                v_bad := null;
            elsif v_bad is not null then
                execute format('select case when exists (select 1 from public.%I r where r.id = $1::uuid '
                               'and r.organization_id is not distinct from $2) then null else $1 end', v_ref)
                   into v_bad using v_bad, new.organization_id;
            end if;
        end if;
        if v_bad is not null then
            raise exception using errcode = '23503',
                message = format('%s.%s: %s row %s is not in this organization', tg_table_name, v_col, v_ref, v_bad),
                hint = 'A reference must name a row of the same organization.';
        end if;
        i := i + 2;
    end loop;
    return null;
end
$$;
revoke all on function public.guard_same_organization() from public, anon, authenticated, service_role;

do $$
declare
    t record;
begin
    for t in
        select cl.relname as tbl,
               string_agg(format('%L, %L', a.attname, rc.relname), ', ' order by a.attname) as args,
               string_agg(format('old.%1$I is distinct from new.%1$I', a.attname), ' or ' order by a.attname) as changed
          from pg_constraint c
          join pg_class cl on cl.oid = c.conrelid
          join pg_class rc on rc.oid = c.confrelid
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
         where c.contype = 'f'
           and cardinality(c.conkey) = 1
           and cl.relnamespace = 'public'::regnamespace
           and rc.relnamespace = 'public'::regnamespace
           and a.attname <> 'organization_id'
           and exists (select 1 from pg_attribute x
                        where x.attrelid = c.conrelid and x.attname = 'organization_id' and not x.attisdropped)
           and exists (select 1 from pg_attribute x
                        where x.attrelid = c.confrelid and x.attname = 'organization_id' and not x.attisdropped)
         group by cl.relname
    loop
        execute format('create trigger %I after insert on public.%I referencing new table as new_rows '
                       'for each statement execute function public.guard_same_organization(%s)',
                       t.tbl || '_same_organization_insert', t.tbl, t.args);
        execute format('create trigger %I after update on public.%I for each row when (%s) '
                       'execute function public.guard_same_organization(%s)',
                       t.tbl || '_same_organization_update', t.tbl, t.changed, t.args);
    end loop;
end
$$;

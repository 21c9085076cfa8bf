-- Defence in depth, from a security review (2026-11-27). Nothing here was reachable through the API
-- as it stands; each closes a door a later change could open.

-- TRUNCATE ignores row-level security; TRIGGER and REFERENCES are no business of the API's roles. The
-- bootstrap's default privileges (Supabase's) granted all three on every table.
revoke truncate, trigger, references on all tables in schema public from anon, authenticated;
alter default privileges in schema public revoke truncate, trigger, references on tables from anon, authenticated;

-- The anon key (no sign-in) may only send the web form: the lead columns it grants, nothing else.
-- (Revoking a table privilege revokes its column grants too: the form's are granted again.)
revoke all on all tables in schema public from anon;
alter default privileges in schema public revoke all on tables from anon;
grant insert (id, organization_id, first_name, last_name, email, phone, company, job_title, website, message, source)
    on public.leads to anon;

-- SECURITY DEFINER functions look names up in public and then pg_temp last, never a temporary
-- object first.
do $$
declare
    f regprocedure;
begin
    for f in
        select p.oid::regprocedure from pg_proc p
        where p.pronamespace = 'public'::regnamespace and p.prosecdef
          and 'search_path=public' = any (p.proconfig)
    loop
        execute format('alter function %s set search_path = public, pg_temp', f);
    end loop;
end
$$;

-- Any signed-in user can call the merge (sync_push runs as them), and it is quadratic in its elements
-- (4,000-element arrays took 7.6 s of CPU): past 500 elements or keys on any side it is a conflict for
-- the rep to settle, as a field both sides changed the same part of is. (Tags and custom fields hold
-- tens.)
create or replace function public.sync_merge_json(base jsonb, mine jsonb, theirs jsonb, is_set boolean)
    returns jsonb language plpgsql immutable set search_path = public, pg_temp
as $$
declare
    v_out jsonb := theirs;
    k text;
    e jsonb;
begin
    foreach e in array array[base, mine, theirs] loop
        if coalesce(case jsonb_typeof(e)
                        when 'array' then jsonb_array_length(e)
                        when 'object' then (select count(*)::int from jsonb_object_keys(e))
                    end, 0) > 500 then
            return null;
        end if;
    end loop;
    if jsonb_typeof(mine) = 'object' and jsonb_typeof(theirs) = 'object'
       and coalesce(jsonb_typeof(base), 'null') in ('object', 'null') then
        base := coalesce(nullif(base, 'null'::jsonb), '{}'::jsonb);
        for k in select jsonb_object_keys(base) union select jsonb_object_keys(mine) loop
            if (mine -> k) is not distinct from (base -> k) then
                continue;                                   -- mine left this key alone: theirs stands
            elsif (theirs -> k) is not distinct from (base -> k) or (theirs -> k) is not distinct from (mine -> k) then
                v_out := case when mine ? k then v_out || jsonb_build_object(k, mine -> k) else v_out - k end;
            else
                return null;                                -- the same key changed differently
            end if;
        end loop;
        return v_out;
    end if;
    if is_set and jsonb_typeof(mine) = 'array' and jsonb_typeof(theirs) = 'array'
       and coalesce(jsonb_typeof(base), 'null') in ('array', 'null') then
        base := coalesce(nullif(base, 'null'::jsonb), '[]'::jsonb);
        for e in select x from jsonb_array_elements(base) x loop
            if not mine @> jsonb_build_array(e) then
                v_out := (select coalesce(jsonb_agg(y), '[]'::jsonb) from jsonb_array_elements(v_out) y where y <> e);
            end if;
        end loop;
        for e in select x from jsonb_array_elements(mine) x loop
            if not base @> jsonb_build_array(e) and not v_out @> jsonb_build_array(e) then
                v_out := v_out || jsonb_build_array(e);
            end if;
        end loop;
        return v_out;
    end if;
    return null;
end
$$;

-- Every member reads the organization's row, and it syncs to every laptop.
comment on column public.organizations.ai_config is
    'Settings only, never a secret (an API key): every member reads it and every laptop keeps a copy.';

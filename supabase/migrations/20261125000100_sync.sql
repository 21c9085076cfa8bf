-- Outpost sync, server side (design/SYNC.md "Server side"). PostgreSQL 15 / Supabase.
--
-- Requires 20261125000000_schema.sql (the 23 tables, each with id uuid, created_at, updated_at, deleted_at,
-- version bigint, _xid xid8, index (_xid, id)) and, locally, supabase/bootstrap.sql (roles, auth.uid()).
--
-- Contents:
--   sync_tables            registry of synced tables, with their push order (parents before children)
--   sync_row_meta()        BEFORE INSERT OR UPDATE trigger: version, _xid, updated_at (clients never set them)
--   sync_tombstones        hard deletes (AFTER DELETE trigger sync_tombstone()), kept for a retention period
--   sync_settings          retention, purge horizon, epoch uuid
--   sync_register_table()  registry row + both triggers (adding a synced table = one call)
--   sync_epoch()           system_identifier || ':' || uuid generated once here
--   sync_pull()            transaction-id fenced, keyset-paged pull of rows and tombstones
--   sync_push()            exactly-once batch push with field-level three-way merge
--
-- The API roles get their table privileges from the bootstrap's default privileges (everything); this file
-- narrows them for its own tables and functions. RLS decides the rest.


-- ====================================================================================================== tables

-- Registry: only these tables can be pulled from or pushed to. push_order: parents before children.
create table public.sync_tables (
    table_name text primary key,
    push_order int not null unique
);
alter table public.sync_tables enable row level security;
create policy sync_tables_select on public.sync_tables for select to authenticated using (true);
revoke all on public.sync_tables from anon, authenticated, service_role;
grant select on public.sync_tables to authenticated, service_role;

-- Key/value settings: tombstone_retention_days, tombstones_purged_below_xid, epoch. Not secret (the epoch is
-- returned by every pull); readable by signed-in users, written only by the functions below / the owner.
create table public.sync_settings (
    key text primary key,
    value text
);
alter table public.sync_settings enable row level security;
create policy sync_settings_select on public.sync_settings for select to authenticated using (true);
revoke all on public.sync_settings from anon, authenticated, service_role;
grant select on public.sync_settings to authenticated, service_role;

insert into public.sync_settings (key, value) values
    ('tombstone_retention_days', '30'),
    ('epoch', gen_random_uuid()::text);

-- Hard deletes, one row per (table, row id); a repeated delete of the same id moves the tombstone forward.
-- For organizations, organization_id is the deleted organization's own id.
create table public.sync_tombstones (
    table_name text not null,
    row_id uuid not null,
    organization_id uuid,
    deleted_at timestamptz not null default clock_timestamp(),
    _xid xid8 not null default pg_current_xact_id(),
    primary key (table_name, row_id)
);
create index sync_tombstones_xid_row_id_idx on public.sync_tombstones (_xid, row_id);
create index sync_tombstones_deleted_at_idx on public.sync_tombstones (deleted_at);
alter table public.sync_tombstones enable row level security;
create policy sync_tombstones_select on public.sync_tombstones for select to authenticated
    using (organization_id = (select public.current_organization_id()));
-- No write policy and no write privilege: only the SECURITY DEFINER trigger (and the owner) writes here.
revoke all on public.sync_tombstones from anon, authenticated, service_role;
grant select on public.sync_tombstones to authenticated, service_role;

-- Push bookkeeping: one row per client installation (a laptop database), owned by one user.
create table public.sync_clients (
    client_id uuid primary key,
    user_id uuid not null default auth.uid(),
    last_seq bigint not null default 0,
    created_at timestamptz default now()
);
create index sync_clients_user_id_idx on public.sync_clients (user_id);
alter table public.sync_clients enable row level security;
create policy sync_clients_select on public.sync_clients for select to authenticated
    using (user_id = (select auth.uid()));
create policy sync_clients_insert on public.sync_clients for insert to authenticated
    with check (user_id = (select auth.uid()));
create policy sync_clients_update on public.sync_clients for update to authenticated
    using (user_id = (select auth.uid()))
    with check (user_id = (select auth.uid()));
revoke all on public.sync_clients from anon, authenticated;
grant select, insert on public.sync_clients to authenticated;
grant update (last_seq) on public.sync_clients to authenticated;

-- The stored result of every processed change, returned again when the change is replayed.
-- created_at (not in the original brief) lets an operator prune old results later — never those a client
-- may still send again (an answer lost, the laptop offline since): a number at or below last_seq with no
-- stored result is taken for another copy of the client's database (PT409, below). fingerprint is the
-- change's own ("fp", a hash the client makes of the change as first sent, and sends again with it): a
-- replay whose fingerprint differs is another copy of the client's database (a restored backup, a file
-- moved to a new laptop while the old one still syncs) using its client id, not a replay. (Hashing each
-- change here instead cost ~12% of a push of new leads.)
create table public.sync_results (
    client_id uuid not null references public.sync_clients (client_id) on delete cascade,
    seq bigint not null,
    result jsonb not null,
    fingerprint text,
    created_at timestamptz not null default now(),
    primary key (client_id, seq)
);
alter table public.sync_results enable row level security;
create policy sync_results_select on public.sync_results for select to authenticated
    using (exists (select 1 from public.sync_clients c
                    where c.client_id = sync_results.client_id and c.user_id = (select auth.uid())));
create policy sync_results_insert on public.sync_results for insert to authenticated
    with check (exists (select 1 from public.sync_clients c
                         where c.client_id = sync_results.client_id and c.user_id = (select auth.uid())));
revoke all on public.sync_results from anon, authenticated;
grant select, insert on public.sync_results to authenticated;


-- ====================================================================================================== triggers

-- Row metadata, for every synced table. SECURITY INVOKER; no SET search_path (it would cost a GUC push/pop per
-- row on bulk imports): every name is pg_catalog-qualified instead.
-- Named zz_sync_row_meta on the tables so it fires after any other BEFORE row trigger (alphabetical order) and
-- nothing can overwrite what it sets.
create function public.sync_row_meta() returns trigger
    language plpgsql security invoker
as $$
begin
    if TG_OP = 'INSERT' then
        NEW.version := 1;
        NEW.created_at := coalesce(NEW.created_at, pg_catalog.now());
    else
        NEW.id := OLD.id;
        NEW.created_at := OLD.created_at;
        NEW.version := OLD.version + 1;
    end if;
    NEW._xid := pg_catalog.pg_current_xact_id();
    NEW.updated_at := pg_catalog.clock_timestamp();
    return NEW;
end
$$;

-- Tombstone for every hard-deleted row (including cascaded deletes). SECURITY DEFINER: the deleting role has
-- no write privilege on sync_tombstones.
create function public.sync_tombstone() returns trigger
    language plpgsql security definer set search_path = public, pg_temp
as $$
declare
    v_org uuid;
begin
    if TG_TABLE_NAME = 'organizations' then
        v_org := OLD.id;
    else
        v_org := OLD.organization_id;
    end if;
    insert into public.sync_tombstones as t (table_name, row_id, organization_id, deleted_at, _xid)
    values (TG_TABLE_NAME, OLD.id, v_org, clock_timestamp(), pg_current_xact_id())
    on conflict (table_name, row_id) do update
        set organization_id = excluded.organization_id,
            deleted_at = excluded.deleted_at,
            _xid = excluded._xid;
    return null;
end
$$;

revoke all on function public.sync_row_meta() from public, anon, authenticated, service_role;
revoke all on function public.sync_tombstone() from public, anon, authenticated, service_role;


-- ====================================================================================================== registry

-- Adds (or re-orders) a synced table: checks its shape, writes the registry row and (re)creates both triggers.
-- Run by migrations as the table owner; not callable through the API.
create function public.sync_register_table(name text, push_order int) returns void
    language plpgsql security invoker set search_path = public, pg_temp
as $$
#variable_conflict use_column
declare
    v_name text := sync_register_table.name;
    v_rel regclass := to_regclass(format('public.%I', sync_register_table.name));
    v_problems text[];
begin
    if v_rel is null then
        raise exception using errcode = '42P01', message = format('sync_register_table: table public.%I does not exist', v_name);
    end if;
    select array_agg(format('%s %s', r.col, r.typ)) into v_problems
      from (values ('id', 'uuid'::regtype), ('version', 'bigint'::regtype), ('_xid', 'xid8'::regtype),
                   ('created_at', 'timestamptz'::regtype), ('updated_at', 'timestamptz'::regtype),
                   ('deleted_at', 'timestamptz'::regtype), ('organization_id', 'uuid'::regtype)) r(col, typ)
     where (r.col <> 'organization_id' or v_name <> 'organizations')
       and not exists (select 1 from pg_catalog.pg_attribute a
                        where a.attrelid = v_rel and a.attname = r.col and a.atttypid = r.typ
                          and a.attnum > 0 and not a.attisdropped);
    if v_problems is not null then
        raise exception using errcode = '42703',
            message = format('sync_register_table: public.%I lacks column(s) %s', v_name, array_to_string(v_problems, ', '));
    end if;

    insert into public.sync_tables as s (table_name, push_order)
    values (v_name, sync_register_table.push_order)
    on conflict (table_name) do update set push_order = excluded.push_order;

    execute format('create or replace trigger zz_sync_row_meta before insert or update on public.%I '
                   'for each row execute function public.sync_row_meta()', v_name);
    execute format('create or replace trigger zz_sync_tombstone after delete on public.%I '
                   'for each row execute function public.sync_tombstone()', v_name);
    -- A row moved to another organization leaves the old one's scope, whose members can no longer
    -- see it to learn that: a tombstone in the old organization tells their laptops to drop it.
    if v_name <> 'organizations' then
        execute format('create or replace trigger zz_sync_scope after update of organization_id on public.%I '
                       'for each row when (old.organization_id is distinct from new.organization_id) '
                       'execute function public.sync_tombstone()', v_name);
    end if;
end
$$;

revoke all on function public.sync_register_table(text, int) from public, anon, authenticated, service_role;

do $$
declare
    r record;
begin
    for r in
        select t, o from (values
            ('organizations', 10), ('profiles', 20), ('teams', 30), ('lead_lists', 40), ('imports', 50),
            ('products', 60), ('campaigns', 70), ('email_templates', 80), ('leads', 90),
            ('campaign_leads', 100), ('activities', 110), ('conversations', 120), ('emails', 130),
            ('call_logs', 140), ('appointments', 150), ('lead_scores', 160), ('ai_insights', 170),
            ('journey_events', 180), ('followups', 190), ('clients', 200), ('documents', 210),
            ('forecasts', 220), ('performance_metrics', 230)) v(t, o)
        order by o
    loop
        perform public.sync_register_table(r.t, r.o);
    end loop;
end
$$;


-- ====================================================================================================== tombstones

-- Deletes tombstones older than tombstone_retention_days and raises tombstones_purged_below_xid to one past the
-- newest purged _xid: a client whose cursor xid is below it may have missed deletes and must re-sync fully.
-- Returns the number of tombstones deleted. For a scheduler (pg_cron) or an operator; not for API users.
create function public.sync_purge_tombstones() returns bigint
    language plpgsql volatile security definer set search_path = public, pg_temp
as $$
declare
    v_days int;
    v_max xid8;
    v_count bigint;
    v_below xid8;
begin
    select s.value::int into v_days from public.sync_settings s where s.key = 'tombstone_retention_days';
    v_days := coalesce(v_days, 30);
    with d as (
        delete from public.sync_tombstones t
         where t.deleted_at < clock_timestamp() - make_interval(days => v_days)
        returning t._xid
    )
    select max(d._xid), count(*) into v_max, v_count from d;
    if v_max is not null then
        v_below := ((v_max::text)::numeric + 1)::text::xid8;
        insert into public.sync_settings as s (key, value) values ('tombstones_purged_below_xid', v_below::text)
        on conflict (key) do update
            set value = greatest(coalesce(nullif(s.value, '')::xid8, '0'::xid8), excluded.value::xid8)::text;
    end if;
    return v_count;
end
$$;

revoke all on function public.sync_purge_tombstones() from public, anon, authenticated;
grant execute on function public.sync_purge_tombstones() to service_role;


-- ====================================================================================================== epoch

-- Identifies this database: the cluster's system_identifier plus a uuid generated when this migration ran.
-- A different cluster (restore into a new cluster, another project) or a re-created database gives another
-- epoch; a client that sees its stored epoch change re-syncs from scratch.
create function public.sync_epoch() returns text
    language sql stable security definer set search_path = public, pg_temp
as $$
    select (select c.system_identifier::text from pg_catalog.pg_control_system() c)
           || ':' || (select s.value from public.sync_settings s where s.key = 'epoch')
$$;


-- ====================================================================================================== pull

-- A synced table's columns as pull pages send them (every column but _xid, in order): the value list for
-- json_build_array over the alias r, the names, and the JSON columns (json, jsonb, arrays), which go as their
-- JSON text (see sync_pull).
create function public.sync_columns(table_name text, out cols text, out names json, out json_names json)
    language sql stable security invoker set search_path = public, pg_temp
as $$
    select string_agg(case when j.is_json then format('to_json(r.%I)::text', a.attname) else format('r.%I', a.attname) end,
                      ', ' order by a.attnum),
           json_agg(a.attname order by a.attnum),
           coalesce(json_agg(a.attname order by a.attnum) filter (where j.is_json), '[]'::json)
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_type ty on ty.oid = a.atttypid
     -- (a domain counts as its base type)
     cross join lateral (select coalesce(nullif(ty.typbasetype, 0), ty.oid) as base) b
     join pg_catalog.pg_type bt on bt.oid = b.base
     cross join lateral (select b.base in ('json'::regtype, 'jsonb'::regtype) or bt.typcategory = 'A' as is_json) j
     where a.attrelid = format('public.%I', sync_columns.table_name)::regclass
       and a.attnum > 0 and not a.attisdropped and a.attname <> '_xid'
$$;

-- Rows of one synced table by id, RLS applied, in a pull page's shape: {"columns", "json_text", "rows": [[values]]}.
-- A client fetches again the rows a rejection or a clash left stale; as a page, JSON columns come as their
-- text, so a value nested deeper than its parser goes cannot make the answer unreadable.
create function public.sync_fetch(table_name text, ids uuid[]) returns json
    language plpgsql stable security invoker set search_path = public, pg_temp
as $$
declare
    c record;
    v_rows json;
begin
    if not exists (select 1 from public.sync_tables s where s.table_name = sync_fetch.table_name) then
        raise exception using errcode = '22023', message = format('sync_fetch: %s is not a synced table', sync_fetch.table_name);
    end if;
    select * into c from public.sync_columns(sync_fetch.table_name);
    execute format('select coalesce(json_agg(json_build_array(%s)), ''[]''::json) from public.%I r where r.id = any($1)',
                   c.cols, sync_fetch.table_name)
       into v_rows using ids;
    return json_build_object('columns', c.names, 'json_text', c.json_names, 'rows', v_rows);
end
$$;

-- One page of changes after the cursor (after_xid, after_id), below the horizon H.
--   H = pg_snapshot_xmin(pg_current_snapshot()) at the call: every transaction with an xid below H has ended,
--   so nothing can still commit below it. Pass the first page's horizon back as `horizon` for the next pages
--   (it is clamped to the current xmin, so a bogus horizon can never skip uncommitted rows).
--   A null cursor reads from the beginning; a null after_id with an after_xid includes rows at after_xid.
-- Rows come from every registry table and from sync_tombstones (op "delete"), in (_xid, id) order, RLS
-- applied (SECURITY INVOKER). A page holds page_size changes, plus any further changes sharing the last
-- change's (_xid, id) (e.g. a tombstone and a re-insert of the same id in one transaction), so the cursor
-- never splits them.
-- Page: {"epoch", "horizon", "columns": {table: [column names]}, "json_text": {table: [column names]},
-- "changes": [...], "next", "purged_below"} (json_text: the columns whose values are sent as JSON text);
-- a change is {"table", "op": "upsert", "xid", "id", "values": [...]} - the row's values in the order of its
-- table's "columns" (every column but _xid) - or {"table", "op": "delete", "id", "xid"}. Values as arrays,
-- not objects: the names were over half of a page's bytes (5.1 MB of rows per 5,000 leads, 2.2 MB as
-- arrays); building, sending and reading them cost both sides (first sync of 100k leads 4.9 -> 3.9 s).
-- Returns json, not jsonb: the page is text built once by json_build_array/json_build_object/json_agg and
-- handed to PostgREST as is (to_jsonb + jsonb_agg + jsonb output cost ~3x more). Same values as
-- to_jsonb(row) (same output rules for every column type), json's whitespace — but JSON columns as their
-- text (see sync_columns).
-- A set of one page (the body is `[page]`), not a single json: PostgREST answers a function returning one
-- value with `json_agg(result)->0`, which parses the whole page again (a fifth of the server's time per
-- page); a set's body is `json_agg(result)`, which only appends it.
create function public.sync_pull(after_xid text default null, after_id uuid default null,
                                 page_size int default 5000, horizon text default null)
    returns setof json rows 1
    language plpgsql volatile security invoker set search_path = public, pg_temp
    -- A large page's estimated cost crosses jit_above_cost; compiling its expressions costs ~200 ms and saves
    -- nothing (the time is in row_to_json and the aggregates).
    set jit = off
as $$
declare
    v_xmin xid8 := pg_snapshot_xmin(pg_current_snapshot());
    v_h xid8;
    v_after_xid xid8;
    v_after_id uuid;
    v_keys text;
    v_columns json;
    v_json_columns json;
    v_page json;
    v_next text;
begin
    if page_size is null or page_size < 1 or page_size > 50000 then
        raise exception using errcode = '22023', message = 'sync_pull: page_size must be between 1 and 50000';
    end if;
    v_h := case when sync_pull.horizon is null then v_xmin else least(sync_pull.horizon::xid8, v_xmin) end;
    v_after_xid := coalesce(sync_pull.after_xid::xid8, '0'::xid8);
    v_after_id := coalesce(sync_pull.after_id, '00000000-0000-0000-0000-000000000000'::uuid);

    -- Per-table keyset branches (index (_xid, id)), each building its rows' value arrays (every column but
    -- _xid) as the merge below reads them, and the column names, from the registry. push_order (unique)
    -- numbers the tables; 0 = tombstone. (Fetching each row again by ctid after the merge, to keep the merge
    -- narrow, cost a tenth more: a sub-plan per row.) json_build_array takes at most 100 arguments, so a
    -- synced table has fewer than 100 columns (a core test checks).
    -- JSON columns (json, jsonb, arrays) go as their JSON text, a string: a value nested deeper than a
    -- client's parser allows (jsonb takes thousands of levels; serde_json stops at 128 and a deeper
    -- parse could overflow a thread's stack) would otherwise make the whole page unreadable, every
    -- time. The page lists them ("json_text"); a client parses each on its own.
    select string_agg(format('(select %s as n, %L::text as t, false as del, r._xid, r.id, json_build_array(%s) as v from public.%I r '
                             'where (r._xid, r.id) > ($1, $2) and r._xid < $3 order by r._xid, r.id limit $4)',
                             s.push_order, s.table_name, c.cols, s.table_name), E'\nunion all\n' order by s.push_order),
           json_object_agg(s.table_name, c.names),
           json_object_agg(s.table_name, c.json_names)
      into v_keys, v_columns, v_json_columns
      from public.sync_tables s
      cross join lateral public.sync_columns(s.table_name) c;

    -- u: the page's changes, page_size of them plus ties on the last (_xid, id). The branches are merged in
    -- (_xid, id) order and read lazily, so only ~page_size rows are visited and built in all; the tie order
    -- (tombstone first, then table name) is an incremental sort of that stream (groups of one or two rows).
    -- The changes are aggregated as read, in that order. The same ordered-subquery idiom PostgREST uses for
    -- its response bodies. The page's last key is the last element.
    execute format($q$
        select json_build_object(
                   'epoch', $5::text,
                   'horizon', $3::text,
                   'columns', $7::json,
                   'json_text', $8::json,
                   'changes', a.changes,
                   'next', case when a.n >= $4 then json_build_object('xid', a.last_xid::text, 'id', a.last_id) end,
                   'purged_below', $6::text),
               case when a.n >= $4 then a.last_xid::text || ' ' || a.last_id::text || ' ' || $3::text end
          from (select coalesce(json_agg(case when k.del
                                              then json_build_object('table', k.t, 'op', 'delete', 'id', k.id, 'xid', k._xid::text)
                                              else json_build_object('table', k.t, 'op', 'upsert', 'xid', k._xid::text,
                                                                     'id', k.id, 'values', k.v)
                                         end), '[]'::json) as changes,
                       count(*) as n,
                       (array_agg(k._xid))[count(*)] as last_xid,
                       (array_agg(k.id))[count(*)] as last_id
                  from (select u.* from (
                            select u.* from (
                                %s
                                union all
                                (select 0, s.table_name, true, s._xid, s.row_id, null::json from public.sync_tombstones s
                                  where (s._xid, s.row_id) > ($1, $2) and s._xid < $3 order by s._xid, s.row_id limit $4)
                            ) u
                            order by u._xid, u.id
                            fetch first ($4) rows with ties) u
                         order by u._xid, u.id, u.del desc, u.t
                        offset 0) k) a
        $q$, coalesce(v_keys || E'\nunion all\n', '') || '(select 0, null::text, false, null::xid8, null::uuid, null::json where false)')
      into v_page, v_next
      using v_after_xid, v_after_id, v_h, page_size, public.sync_epoch(),
            (select s.value from public.sync_settings s where s.key = 'tombstones_purged_below_xid'),
            coalesce(v_columns, '{}'::json), coalesce(v_json_columns, '{}'::json);
    -- The next page's request (its cursor and horizon) as a response header: the client can ask for it as
    -- soon as this response starts, while this page's body is still on its way and being read.
    if v_next is not null then
        perform set_config('response.headers', json_build_array(json_build_object('X-Sync-Next', v_next))::text, true);
    end if;
    return next v_page;
end
$$;


-- ====================================================================================================== push

-- A field both sides changed, merged where they did not change the same part of it: JSON objects
-- (custom fields, an address) key by key - a key only one side changed takes that side's value - and
-- set-like arrays (a text[] column: tags) element by element - the rep's additions and removals applied to
-- theirs. Null when they changed the same key differently (or the field is not mergeable): a conflict.
create function public.sync_merge_json(base jsonb, mine jsonb, theirs jsonb, is_set boolean)
    returns jsonb language plpgsql immutable set search_path = public, pg_temp
as $$
declare
    v_out jsonb := theirs;
    k text;
    e jsonb;
begin
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

-- Applies a batch of one client's changes, exactly once per (client_id, seq). See design/SYNC.md and the
-- result shapes below. Structural errors in the batch itself (not an array, a change without an integer seq,
-- no signed-in user, a client id owned by another user) fail the whole call; everything about an individual
-- change (unknown table/column, bad value, RLS, constraints, missing row) becomes that change's "rejected"
-- result and the batch continues.
--
-- Result per change: {"seq", "table", "id", "status": "applied"|"conflict"|"rejected", "version",
--                     "at_base": written at the client's base version (an insert, update or delete, not
--                                merged into a newer row): the row is now the client's,
--                     "conflicts": [{"column", "base", "mine", "theirs"}] (conflict only),
--                     "code", "reason" (rejected only)}
-- Returns {"xid": <this transaction's id>, "results": [...]}.
--
-- Fast path. Changes are processed in seq order by the per-change logic below, each in its own sub-transaction
-- (BEGIN/EXCEPTION) - except where a run of consecutive changes (in seq order) of one table and op (inserts:
-- with the same columns) is certain to be "applied" by it: inserts of new ids, updates of rows still at
-- base_version. Just before a run's first change is due, its rows are read; a member whose id exists (insert)
-- or whose row is not at base_version (update) ends a segment and takes the per-change path. Each segment of
-- two or more changes is applied at its place in the sequence by one statement in one sub-transaction
-- (inserts in seq order), which must apply every change of the segment - otherwise (an error, a row that moved
-- on meanwhile) it is rolled back and its changes take the per-change path. The results and sync_results rows
-- of a segment are exactly those the per-change logic gives an applied change.
-- A change can be in a run only if: its seq is new and unique in the batch; it passes the per-change
-- validation (the run's statements fail, and so fall back, on an id that is no uuid or an unknown column);
-- its table has no triggers but the sync ones (and, an insert, no foreign key to itself: the statement-end
-- RI checks then see what they would one change at a time); an update writes no column of a unique index or
-- exclusion constraint (one statement updates its rows in no set order). Deletes, merges, rejections and
-- replays always take the per-change path.
-- Joins by index only: a run's read and write join its ~1,000 ids to the table, and the planner's estimates
-- (the row-level security filter halves the table's rows, unnest guesses) chose a hash join over a scan of
-- the whole table - at 100k leads ~50 ms per statement and growing with the table, against a few ms of
-- primary-key lookups. Nothing else in the function joins large sets. Triggers and policies of synced tables
-- run under these settings too: their queries should stay indexed lookups.
--
-- The request body {"client_id": ..., "changes": [...]} is the one unnamed parameter: PostgREST then passes
-- it as it came ($1::jsonb) instead of extracting named arguments with json_to_recordset, which parsed a
-- batch of 1,000 new leads (1.2 MB) twice - ~7% of the request.
create function public.sync_push(jsonb) returns jsonb
    language plpgsql volatile security invoker set search_path = public, pg_temp
    set enable_hashjoin = off set enable_mergejoin = off
as $$
#variable_conflict use_column
declare
    -- Never accepted from a client, in "row" (insert) or "fields" (update/delete).
    c_meta constant text[] := array['version', '_xid', 'updated_at'];
    c_fixed constant text[] := array['id', 'version', '_xid', 'updated_at', 'created_at'];
    v_uid uuid := auth.uid();
    v_client uuid;
    v_changes jsonb := $1 -> 'changes';
    v_max bigint;
    v_results jsonb[] := '{}';    -- array_append on a plpgsql array variable is amortized O(1)
    c jsonb;
    v_seq bigint;
    v_res jsonb;
    v_fp text;
    v_table text;
    v_op text;
    v_id uuid;
    v_base_version bigint;
    v_known boolean;
    v_delete boolean;   -- a delete that carries edits made before it: written as an update first
    v_fast boolean;     -- that update found the row at the client's base version
    v_at_base boolean;  -- the change was written at the client's base version: the row is now the client's
    v_rel regclass;
    v_row jsonb;        -- insert: the row as sent (minus server-maintained columns)
    v_fields jsonb;     -- update/delete: {"col": {"base": v, "new": v}}
    v_cols text[];      -- the columns this change writes or compares
    v_bad text[];
    v_cur jsonb;        -- the server's row, locked
    v_base jsonb;       -- raw base values sent by the client
    v_new jsonb;        -- raw new values sent by the client
    v_base_n jsonb;     -- the same, normalized through the column types (to_jsonb of the typed record)
    v_new_n jsonb;
    v_merged jsonb;     -- a field both sides changed, merged (sync_merge_json)
    v_set text[];
    v_conflicts jsonb;
    v_version bigint;
    v_list text;
    k text;
    v_state text;
    v_msg text;
    -- fast path (see above)
    v_runs jsonb;           -- [{first, tbl, op, uniform, cols, seqs, ords, ids, bases}] by first
    v_run_i int := -1;
    v_run_first bigint;     -- seq at which the next segment of the current run starts
    r_tbl text;             -- the current run
    r_op text;
    r_uniform boolean;
    r_seqs bigint[];
    r_ords int[];
    r_ids text[];
    r_bases bigint[];
    r_stale bigint[];       -- its members whose row exists (insert) / is not at base_version (update); null: not read yet
    r_pos int;              -- index (in r_seqs) of the segment that starts at v_run_first
    r_end int;
    v_skip_from bigint := 0;
    v_skip_to bigint := -1;
    v_n bigint;
    v_map jsonb;
    v_run_res jsonb[];
    v_ok boolean;
begin
    if v_uid is null then
        raise exception using errcode = '42501', message = 'sync_push: requires a signed-in user (no JWT sub)';
    end if;
    begin
        v_client := ($1 ->> 'client_id')::uuid;
    exception when invalid_text_representation then
        raise exception using errcode = '22023', message = 'sync_push: client_id must be a uuid';
    end;
    if v_client is null then
        raise exception using errcode = '22023', message = 'sync_push: client_id is required';
    end if;
    if jsonb_typeof(v_changes) is distinct from 'array' then
        raise exception using errcode = '22023', message = 'sync_push: changes must be a JSON array';
    end if;
    if exists (select 1 from jsonb_array_elements(v_changes) e
                where case when jsonb_typeof(e) <> 'object' or jsonb_typeof(e -> 'seq') is distinct from 'number'
                           then true
                           else (e ->> 'seq')::numeric <> trunc((e ->> 'seq')::numeric)
                                or (e ->> 'seq')::numeric < 1 or (e ->> 'seq')::numeric > 9223372036854775807
                      end) then
        raise exception using errcode = '22023',
            message = 'sync_push: every change must be an object with a positive integer "seq"';
    end if;

    -- Register the client on first use; lock its row so concurrent pushes of one client serialize.
    insert into public.sync_clients as sc (client_id, user_id) values (v_client, v_uid)
    on conflict (client_id) do nothing;
    select sc.last_seq into v_max from public.sync_clients sc
     where sc.client_id = v_client and sc.user_id = v_uid
       for update;
    if not found then
        raise exception using errcode = '42501',
            message = format('sync_push: client id %s is registered to another user', v_client);
    end if;

    -- ---------------------------------------------------------------------------- fast path: runs
    -- Candidates: changes that pass every check of the per-change validation that a run's statements would
    -- not themselves fail on (an id that is no uuid, an unknown column), with a seq that is new and unique in
    -- the batch. No test below can raise: obj is null unless an object, casts come after their checks.
    -- Runs: maximal sequences of consecutive candidates (in seq order) with the same table and op (inserts:
    -- the same columns); at least 2 changes.
    with tab as materialized (    -- once per table, not per change
        select st.table_name as tbl,
               -- Other triggers could make a run's one statement differ from its changes one by one; a
               -- public.guard_* trigger function (later migrations) only raises, which sends the run one by one,
               -- and a public.anon_* one fires only for the anon role (its WHEN), never in sync_push.
               not exists (select 1 from pg_catalog.pg_trigger tg
                            join pg_catalog.pg_proc pr on pr.oid = tg.tgfoid
                            where tg.tgrelid = rl.rel and not tg.tgisinternal
                              and tg.tgname not in ('zz_sync_row_meta', 'zz_sync_tombstone', 'zz_sync_scope')
                              and not (pr.pronamespace = 'public'::regnamespace
                                       and (pr.proname like 'guard\_%' or pr.proname like 'anon\_%'))) as plain,
               not exists (select 1 from pg_catalog.pg_constraint fk
                            where fk.conrelid = rl.rel and fk.confrelid = rl.rel and fk.contype = 'f') as no_self_fk,
               array(select a.attname::text from pg_catalog.pg_attribute a
                      where a.attrelid = rl.rel and a.attnum > 0 and not a.attisdropped
                        and exists (select 1 from pg_catalog.pg_index i
                                     where i.indrelid = rl.rel and (i.indisunique or i.indisexclusion)
                                       and (a.attnum = any (i.indkey)
                                            or exists (select 1 from pg_catalog.pg_depend d
                                                        where d.classid = 'pg_catalog.pg_class'::regclass
                                                          and d.objid = i.indexrelid
                                                          and d.refclassid = 'pg_catalog.pg_class'::regclass
                                                          and d.refobjid = rl.rel and d.refobjsubid = a.attnum)))) as unique_cols
          from public.sync_tables st
         cross join lateral (select to_regclass(format('public.%I', st.table_name)) as rel) rl
         where rl.rel is not null
           and st.table_name in (select distinct x.e ->> 'table' from jsonb_array_elements(v_changes) x(e))
    ),
    c as (    -- one narrow row per change
        select x.o::int as o, (x.e ->> 'seq')::bigint as seq, y.tbl, y.op, y.id_raw as id,
               case when y.op = 'update' and y.base_int and jsonb_typeof(x.e -> 'base_version') = 'number'
                    then (x.e ->> 'base_version')::bigint end as base,
               case when y.op = 'insert' then array_to_string(z.cols, ',') || case when y.obj ? 'id' then '' else ',id' end
                    else array_to_string(z.cols, ',') end as cols,
               tab.plain
               and jsonb_typeof(x.e -> 'id') = 'string'     -- (not a uuid: the run's first read fails, see below)
               and ((y.op = 'insert' and tab.no_self_fk
                     and (not y.obj ? 'id' or (y.obj ->> 'id') = y.id_raw)
                     and (coalesce(jsonb_typeof(x.e -> 'base_version'), 'null') = 'null'
                          or (jsonb_typeof(x.e -> 'base_version') = 'number' and y.base_int)))
                 or (y.op = 'update'
                     and jsonb_typeof(x.e -> 'base_version') = 'number' and y.base_int
                     and cardinality(z.cols) > 0 and not z.cols && tab.unique_cols
                     -- every field an object with "new" (strict: no array unwrapping; lax: a missing key is false)
                     and not jsonb_path_exists(z.body, 'strict $.* ? (@.type() != "object")', '{}', true)
                     and not jsonb_path_exists(z.body, 'lax $.* ? (!exists(@.new))', '{}', true))) as ok
          from jsonb_array_elements(v_changes) with ordinality x(e, o)
         cross join lateral (
             select x.e ->> 'table' as tbl, x.e ->> 'op' as op, x.e ->> 'id' as id_raw,
                    case when jsonb_typeof(x.e -> case when x.e ->> 'op' = 'insert' then 'row' else 'fields' end) = 'object'
                         then x.e -> case when x.e ->> 'op' = 'insert' then 'row' else 'fields' end end as obj,
                    -- an integer as text (what the bigint cast accepts), at most 18 digits
                    translate(x.e ->> 'base_version', '0123456789', '') in ('', '-')
                        and length(x.e ->> 'base_version') between 1 and 18
                        and (x.e ->> 'base_version') not like '_%-%' and (x.e ->> 'base_version') <> '-' as base_int
              offset 0) y     -- offset 0: computed once per change, not inlined at every use
         cross join lateral (    -- the keys are listed, not copied without c_meta (a row has ~45)
             select y.obj as body, array(select o.key from jsonb_object_keys(y.obj) o(key)    -- jsonb key order: canonical
                                          where o.key <> all (case when y.op = 'insert' then c_meta else c_fixed end)) as cols
              offset 0) z
          left join tab on tab.tbl = y.tbl
    ),
    m as (
        select c.*, count(*) over (partition by c.seq) as n_seq, row_number() over (order by c.seq, c.o) as rn
          from c
    ),
    g as (
        select m.*, m.rn - row_number() over (partition by m.tbl, m.op, m.icols order by m.rn) as island
          from (select m.*, case when m.op = 'insert' then m.cols end as icols from m
                 where m.ok and m.n_seq = 1 and m.seq > v_max and m.op in ('insert', 'update')) m
    ),
    runs as (
        select min(g.seq) as first, min(g.tbl) as tbl, min(g.op) as op,
               count(distinct g.cols) = 1 as uniform,
               (select string_agg(distinct z.col, ',')
                  from unnest(string_to_array(string_agg(distinct g.cols, ','), ',')) z(col)) as cols,
               array_agg(g.seq order by g.seq) as seqs,
               array_agg(g.o order by g.seq) as ords,
               array_agg(g.id order by g.seq) as ids,
               array_agg(g.base order by g.seq) as bases
          from g group by g.tbl, g.op, g.icols, g.island having count(*) >= 2
    )
    select jsonb_agg(jsonb_build_object('first', runs.first, 'tbl', runs.tbl, 'op', runs.op, 'uniform', runs.uniform,
                                        'cols', runs.cols, 'seqs', runs.seqs, 'ords', runs.ords, 'ids', runs.ids,
                                        'bases', runs.bases) order by runs.first)
      into v_runs
      from runs;
    v_run_i := 0;
    r_tbl := v_runs -> 0 ->> 'tbl';
    r_op := v_runs -> 0 ->> 'op';
    r_uniform := (v_runs -> 0 ->> 'uniform')::boolean;
    r_seqs := array(select jsonb_array_elements_text(v_runs -> 0 -> 'seqs'))::bigint[];
    r_ords := array(select jsonb_array_elements_text(v_runs -> 0 -> 'ords'))::int[];
    r_ids := array(select jsonb_array_elements_text(v_runs -> 0 -> 'ids'));
    r_bases := array(select jsonb_array_elements_text(v_runs -> 0 -> 'bases'))::bigint[];
    r_stale := null;
    r_pos := 1;
    v_run_first := r_seqs[1];

    for c in select e from jsonb_array_elements(v_changes) e order by (e ->> 'seq')::bigint loop
        v_seq := (c ->> 'seq')::bigint;

        -- ---------------------------------------------------------------- fast path: a run's segment
        if v_seq between v_skip_from and v_skip_to then
            continue;                                       -- applied with its segment
        end if;
        if v_seq = v_run_first then
            v_ok := false;
            if r_stale is null then
                -- Read just before the run's first change is due: inserts whose id exists, updates whose row is
                -- not at base_version (or not visible). A segment is a maximal sequence of members not read so.
                begin
                    execute format('select coalesce(array_agg(u.seq), ''{}'') from unnest($1::bigint[], $2::text[]::uuid[], $3::bigint[]) u(seq, id, base) '
                                   'left join public.%I r on r.id = u.id where %s', r_tbl,
                                   case when r_op = 'insert' then 'r.id is not null'
                                        else 'r.id is null or r.version is distinct from u.base' end)
                       into r_stale using r_seqs, r_ids, r_bases;
                exception when others then
                    r_stale := r_seqs;                      -- e.g. not a uuid: every member takes the per-change path
                end;
            end if;
            r_end := r_pos - 1;
            while r_end < cardinality(r_seqs) and r_seqs[r_end + 1] <> all (r_stale) loop
                r_end := r_end + 1;
            end loop;
            if r_end - r_pos + 1 >= 2 then
                v_table := r_tbl;
                v_cols := string_to_array(v_runs -> v_run_i ->> 'cols', ',');
                begin
                    if r_op = 'insert' then
                        -- The same row values as the per-change insert: jsonb_populate_record of row - c_meta, the id
                        -- from the change; inserted in seq order.
                        execute format('with w as (insert into public.%1$I as r (%2$s) select %3$s '
                                       'from unnest($2::int[]) with ordinality u(o, n) '
                                       'cross join lateral (select $1 -> (u.o - 1) as e) x '
                                       'cross join lateral jsonb_populate_record(null::public.%1$I, (x.e -> ''row'') - $3) p '
                                       'order by u.n '
                                       'returning r.id, r.version) '
                                       'select count(*), jsonb_object_agg(w.id, w.version) from w',
                                       v_table,
                                       (select string_agg(format('%I', x.col), ', ') from unnest(v_cols) x(col)),
                                       (select string_agg(case when x.col = 'id' then '(x.e ->> ''id'')::uuid' else format('p.%I', x.col) end, ', ')
                                          from unnest(v_cols) x(col)))
                           into v_n, v_map
                           using v_changes, r_ords[r_pos:r_end], c_meta;
                    else
                        -- The same new values as the per-change update (jsonb_populate_record of {col: new}); a column
                        -- that is not in a change's fields keeps its value.
                        execute format('with w as (update public.%1$I as r set %2$s '
                                       'from (select u.id as sync_id_, u.base as sync_base_, x.e -> ''fields'' as sync_f_, p.* '
                                       'from unnest($2::int[], $3::text[]::uuid[], $4::bigint[]) u(o, id, base) '
                                       'cross join lateral (select $1 -> (u.o - 1) as e) x '
                                       'cross join lateral jsonb_populate_record(null::public.%1$I, %3$s) p) p '
                                       'where r.id = p.sync_id_ and r.version = p.sync_base_ '
                                       'returning r.id, r.version) '
                                       'select count(*), jsonb_object_agg(w.id, w.version) from w',
                                       v_table,
                                       (select string_agg(case when r_uniform
                                                               then format('%1$I = p.%1$I', x.col)
                                                               else format('%1$I = case when p.sync_f_ ? %2$L then p.%1$I else r.%1$I end',
                                                                           x.col, x.col) end, ', ')
                                          from unnest(v_cols) x(col)),
                                       -- jsonb_build_object takes at most 100 arguments: 40 columns a call
                                       (select string_agg(y.obj, ' || ')
                                          from (select format('jsonb_build_object(%s)',
                                                              string_agg(format('%L, x.e -> ''fields'' -> %L -> ''new''', x.col, x.col), ', ')) as obj
                                                  from unnest(v_cols) with ordinality x(col, i)
                                                 group by (x.i - 1) / 40) y))
                           into v_n, v_map
                           using v_changes, r_ords[r_pos:r_end], r_ids[r_pos:r_end], r_bases[r_pos:r_end];
                    end if;
                    if v_n is distinct from (r_end - r_pos + 1) then
                        raise exception using errcode = 'P0001', message = 'sync_push: fast path did not cover the segment';
                    end if;
                    v_ok := true;
                exception when others then
                    v_ok := false;    -- rolled back; the segment's changes go through the per-change logic below
                end;
                if v_ok then
                    v_run_res := array(select jsonb_build_object('seq', mb.seq, 'table', v_table, 'id', mb.id::uuid,
                                                                 'status', 'applied', 'version', (v_map ->> mb.id::uuid::text)::bigint,
                                                                 'at_base', true)
                                         from unnest(r_seqs[r_pos:r_end], r_ids[r_pos:r_end]) with ordinality mb(seq, id, i)
                                        order by mb.i);
                    insert into public.sync_results (client_id, seq, result, fingerprint)
                    select v_client, (rr.r ->> 'seq')::bigint, rr.r, v_changes -> (rr.ord - 1) ->> 'fp'
                      from unnest(v_run_res, r_ords[r_pos:r_end]) as rr(r, ord);
                    v_results := v_results || v_run_res;
                    v_max := r_seqs[r_end];
                    v_skip_from := v_seq;
                    v_skip_to := v_max;
                end if;
            end if;
            -- The next segment starts after the member that ended this one (that member takes the per-change
            -- path); past the run's end, the next run.
            r_pos := r_end + 2;
            if r_pos > cardinality(r_seqs) then
                v_run_i := v_run_i + 1;
                r_tbl := v_runs -> v_run_i ->> 'tbl';
                r_op := v_runs -> v_run_i ->> 'op';
                r_uniform := (v_runs -> v_run_i ->> 'uniform')::boolean;
                r_seqs := array(select jsonb_array_elements_text(v_runs -> v_run_i -> 'seqs'))::bigint[];
                r_ords := array(select jsonb_array_elements_text(v_runs -> v_run_i -> 'ords'))::int[];
                r_ids := array(select jsonb_array_elements_text(v_runs -> v_run_i -> 'ids'));
                r_bases := array(select jsonb_array_elements_text(v_runs -> v_run_i -> 'bases'))::bigint[];
                r_stale := null;
                r_pos := 1;
            end if;
            v_run_first := r_seqs[r_pos];
            if v_ok then
                continue;
            end if;
        end if;

        -- ---------------------------------------------------------------- replay: already processed
        if v_seq <= v_max then
            select r.result, r.fingerprint into v_res, v_fp
              from public.sync_results r where r.client_id = v_client and r.seq = v_seq;
            -- A number this client's id has used with no result stored, or with another change's, is
            -- another copy of the client's database (a client only sends again what it sent).
            if not found or (v_fp is not null and v_fp is distinct from (c ->> 'fp')) then
                -- PostgREST answers PTxyz with HTTP xyz; the client takes a new id and sends again.
                raise exception using errcode = 'PT409',
                    message = format('sync_push: client id %s is in use by another copy of this database', v_client),
                    hint = 'client_id_reused';
            end if;
            v_results := array_append(v_results, v_res);
            continue;
        end if;

        -- ---------------------------------------------------------------- process one change
        v_table := c ->> 'table';
        v_op := c ->> 'op';
        v_id := null;
        v_version := null;
        v_conflicts := '[]'::jsonb;
        v_delete := false;
        v_fast := false;
        v_at_base := false;
        v_known := false;
        begin
            -- Validation: registry, id, op, columns.
            v_known := exists (select 1 from public.sync_tables s where s.table_name = v_table);
            if not v_known then
                raise exception using errcode = '42P01',
                    message = format('table %s is not synced (not in public.sync_tables)', coalesce(quote_literal(v_table), 'null'));
            end if;
            v_rel := format('public.%I', v_table)::regclass;
            v_id := coalesce(c ->> 'id', c -> 'row' ->> 'id')::uuid;
            if v_id is null then
                raise exception using errcode = '22023', message = 'change has no "id"';
            end if;
            if v_op is null or v_op not in ('insert', 'update', 'delete') then
                raise exception using errcode = '22023',
                    message = format('unknown op %s (expected insert, update or delete)', coalesce(quote_literal(v_op), 'null'));
            end if;
            if jsonb_typeof(c -> 'base_version') not in ('number', 'null') then
                raise exception using errcode = '22023', message = '"base_version" must be an integer or null';
            end if;
            v_base_version := (c ->> 'base_version')::bigint;

            if v_op = 'insert' then
                if jsonb_typeof(c -> 'row') is distinct from 'object' then
                    raise exception using errcode = '22023', message = 'insert needs a "row" object';
                end if;
                if (c -> 'row') ? 'id' and (c -> 'row' ->> 'id')::uuid is distinct from v_id then
                    raise exception using errcode = '22023', message = 'row.id differs from the change''s id';
                end if;
                v_row := ((c -> 'row') - c_meta) || jsonb_build_object('id', v_id);
                v_cols := array(select jsonb_object_keys(v_row));
            else
                v_fields := coalesce(c -> 'fields', '{}'::jsonb);
                if jsonb_typeof(v_fields) is distinct from 'object' then
                    raise exception using errcode = '22023', message = '"fields" must be an object';
                end if;
                v_fields := v_fields - c_fixed;
                v_cols := array(select jsonb_object_keys(v_fields));
            end if;

            select array_agg(x.col order by x.col) into v_bad
              from unnest(v_cols) x(col)
             where not exists (select 1 from pg_catalog.pg_attribute a
                                where a.attrelid = v_rel
                                  and a.attname = x.col and a.attnum > 0 and not a.attisdropped);
            if v_bad is not null then
                raise exception using errcode = '42703',
                    message = format('unknown column(s) %s in table %I',
                                      (select string_agg(quote_ident(x), ', ') from unnest(v_bad) x), v_table);
            end if;

            if v_op <> 'insert' then
                select array_agg(x.col) into v_bad from unnest(v_cols) x(col)
                 where jsonb_typeof(v_fields -> x.col) is distinct from 'object'
                    or (v_op in ('update', 'delete') and not (v_fields -> x.col) ? 'new');
                if v_bad is not null then
                    raise exception using errcode = '22023',
                        message = format('fields %s must be {"base": ..., "new": ...}', array_to_string(v_bad, ', '));
                end if;
                select coalesce(jsonb_object_agg(x.col, v_fields -> x.col -> 'base'), '{}'::jsonb),
                       coalesce(jsonb_object_agg(x.col, v_fields -> x.col -> 'new'), '{}'::jsonb)
                  into v_base, v_new
                  from unnest(v_cols) x(col);
            end if;

            -- ------------------------------------------------------------ insert
            if v_op = 'insert' then
                v_list := (select string_agg(format('%I', x.col), ', ') from unnest(v_cols) x(col));
                execute format('insert into public.%1$I as r (%2$s) select %2$s from jsonb_populate_record(null::public.%1$I, $1) '
                               'on conflict (id) do nothing returning r.version', v_table, v_list)
                   into v_version using v_row;
                v_at_base := v_version is not null;
                if v_version is null then
                    -- The id exists: identical values -> applied; otherwise merge against base_version 0 with
                    -- base null for every field.
                    execute format('select to_jsonb(r) from public.%I r where r.id = $1 for update', v_table)
                       into v_cur using v_id;
                    if v_cur is null then
                        raise exception using errcode = '23505',
                            message = format('a row with id %s already exists in %s and is not visible or not writable for you', v_id, v_table);
                    end if;
                    v_cols := array(select x.col from unnest(v_cols) x(col) where x.col <> all (c_fixed));
                    v_new := v_row - c_fixed;
                    v_base := (select coalesce(jsonb_object_agg(x.col, 'null'::jsonb), '{}'::jsonb) from unnest(v_cols) x(col));
                    v_base_version := 0;
                end if;
            end if;

            -- ------------------------------------------------------------ update (and insert of an existing id)
            -- A row edited and then deleted before a sync: its edits are written (merged like an update's,
            -- so a restore brings them back), then the delete is decided as a plain delete would be.
            if v_op = 'delete' then
                v_cols := array_remove(v_cols, 'deleted_at');   -- the delete itself is decided below
            end if;
            if v_op = 'delete' and cardinality(v_cols) > 0 then
                v_delete := true;
                v_op := 'update';
            end if;
            if v_op = 'update' and v_base_version is not null and cardinality(v_cols) > 0 then
                -- Fast path: the row is still at the client's base version -> take every new value, one statement.
                -- (A concurrent writer makes it wait and re-check version, then match nothing: merge below.)
                v_list := (select string_agg(format('%1$I = p.%1$I', x.col), ', ') from unnest(v_cols) x(col));
                execute format('update public.%1$I as r set %2$s from jsonb_populate_record(null::public.%1$I, $1) p '
                               'where r.id = $2 and r.version = $3 returning r.version', v_table, v_list)
                   into v_version using v_new, v_id, v_base_version;
                v_fast := v_version is not null;
                v_at_base := v_fast and not v_delete;
            end if;
            if v_op in ('update', 'insert') and v_version is null then
                if v_op = 'update' then
                    execute format('select to_jsonb(r) from public.%I r where r.id = $1 for update', v_table)
                       into v_cur using v_id;
                    if v_cur is null then
                        raise exception using errcode = 'P0002', message = 'row not found or not permitted';
                    end if;
                end if;
                v_set := '{}';
                if (v_cur ->> 'version')::bigint is distinct from v_base_version then
                    -- Moved on: field-level three-way merge, values compared as jsonb after passing through the
                    -- column types (so 12.5 = 12.50 and timestamps in any offset compare equal).
                    execute format('select to_jsonb(p) from jsonb_populate_record(null::public.%I, $1) p', v_table)
                       into v_new_n using v_new;
                    execute format('select to_jsonb(p) from jsonb_populate_record(null::public.%I, $1) p', v_table)
                       into v_base_n using v_base;
                    -- Deleted since the rep's base (by a teammate, a tool): the rep's edit is kept on the row,
                    -- and the deletion is a conflict - keep mine restores the lead with the edit, keep theirs
                    -- leaves it deleted - never an edit that lands on a deleted row and vanishes with it.
                    if coalesce(jsonb_typeof(v_cur -> 'deleted_at'), 'null') <> 'null'
                       and not ('deleted_at' = any (v_cols)) and not v_delete then
                        v_conflicts := v_conflicts || jsonb_build_array(jsonb_build_object('column', 'deleted_at',
                            'base', null, 'mine', null, 'theirs', v_cur -> 'deleted_at'));
                    end if;
                    foreach k in array v_cols loop
                        if (v_cur -> k) = (v_new_n -> k) then
                            null;                                   -- already the value we want
                        elsif (v_cur -> k) = (v_base_n -> k)
                              -- A deletion is the same deletion whatever its time (a client knows its own
                              -- delete's time only by its clock, the server's is the server's).
                              or (k = 'deleted_at' and coalesce(jsonb_typeof(v_cur -> k), 'null') <> 'null'
                                  and coalesce(jsonb_typeof(v_base_n -> k), 'null') <> 'null') then
                            v_set := v_set || k;                    -- unchanged on the server: take mine
                        else
                            -- Both changed it: merged where they changed different parts (keys of an object,
                            -- elements of a text[] like tags), otherwise a conflict.
                            v_merged := case when jsonb_typeof(v_cur -> k) in ('object', 'array') then
                                public.sync_merge_json(v_base_n -> k, v_new_n -> k, v_cur -> k,
                                    exists (select 1 from pg_attribute a join pg_type t on t.oid = a.atttypid
                                            where a.attrelid = v_rel and a.attname = k and t.typcategory = 'A'))
                            end;
                            if v_merged is not null then
                                v_new := jsonb_set(v_new, array[k], v_merged);
                                v_set := v_set || k;
                            else
                                -- An object or array of theirs goes as its JSON text ("theirs_json"): jsonb nests
                                -- deeper than a client's parser goes, and an answer it cannot read would be
                                -- sent again for ever (mine and base are the client's own values).
                                v_conflicts := v_conflicts || jsonb_build_array(
                                    jsonb_build_object('column', k, 'base', coalesce(v_base -> k, 'null'::jsonb),
                                        'mine', coalesce(v_new -> k, 'null'::jsonb),
                                        'theirs', case when jsonb_typeof(v_cur -> k) in ('object', 'array') then null else v_cur -> k end)
                                    || case when jsonb_typeof(v_cur -> k) in ('object', 'array')
                                            then jsonb_build_object('theirs_json', (v_cur -> k)::text) else '{}'::jsonb end);
                            end if;
                        end if;
                    end loop;
                end if;
                -- (At the base version here means there was nothing to write.)
                if cardinality(v_set) > 0 then
                    v_list := (select string_agg(format('%1$I = p.%1$I', x.col), ', ') from unnest(v_set) x(col));
                    execute format('update public.%1$I as r set %2$s from jsonb_populate_record(null::public.%1$I, $1) p '
                                   'where r.id = $2 returning r.version', v_table, v_list)
                       into v_version using v_new, v_id;
                    if v_version is null then
                        raise exception using errcode = 'P0002', message = 'row not found or not permitted';
                    end if;
                else
                    v_version := (v_cur ->> 'version')::bigint;
                end if;
            end if;

            -- ------------------------------------------------------------ delete (soft)
            if v_delete then
                v_op := 'delete';
            end if;
            if v_op = 'delete' then
                execute format('select to_jsonb(r) from public.%I r where r.id = $1 for update', v_table)
                   into v_cur using v_id;
                if v_cur is null then
                    raise exception using errcode = 'P0002', message = 'row not found or not permitted';
                end if;
                if (v_cur -> 'deleted_at') <> 'null'::jsonb then
                    v_version := (v_cur ->> 'version')::bigint;   -- already deleted
                elsif (v_delete and not v_fast)
                      or (not v_delete and (v_cur ->> 'version')::bigint is distinct from v_base_version) then
                    v_version := (v_cur ->> 'version')::bigint;   -- edited since the client's base: keep it
                    v_conflicts := v_conflicts || jsonb_build_array(jsonb_build_object(
                        'column', 'deleted_at', 'base', null, 'mine', to_jsonb(clock_timestamp()), 'theirs', null));
                else
                    execute format('update public.%I as r set deleted_at = clock_timestamp() where r.id = $1 '
                                   'returning r.version', v_table)
                       into v_version using v_id;
                    if v_version is null then
                        raise exception using errcode = 'P0002', message = 'row not found or not permitted';
                    end if;
                    -- The row is the client's (its edits, then the delete, at its base): only the time of
                    -- the deletion is the server's.
                    v_at_base := true;
                end if;
            end if;

            v_res := jsonb_build_object('seq', v_seq, 'table', v_table, 'id', v_id,
                                        'status', case when jsonb_array_length(v_conflicts) > 0 then 'conflict' else 'applied' end,
                                        'version', v_version, 'at_base', v_at_base);
            if jsonb_array_length(v_conflicts) > 0 then
                v_res := v_res || jsonb_build_object('conflicts', v_conflicts);
            end if;
        exception when others then
            -- This change's writes are rolled back (sub-transaction); the batch continues.
            get stacked diagnostics v_state = returned_sqlstate, v_msg = message_text;
            v_version := null;
            if v_known and v_id is not null then
                begin
                    execute format('select r.version from public.%I r where r.id = $1', v_table)
                       into v_version using v_id;
                exception when others then
                    v_version := null;
                end;
            end if;
            v_res := jsonb_build_object('seq', v_seq, 'table', c -> 'table', 'id', c -> 'id',
                                        'status', 'rejected', 'version', v_version,
                                        'code', v_state, 'reason', v_msg);
        end;

        insert into public.sync_results (client_id, seq, result, fingerprint)
        values (v_client, v_seq, v_res, c ->> 'fp');
        v_max := v_seq;
        v_results := array_append(v_results, v_res);
    end loop;

    update public.sync_clients sc set last_seq = v_max where sc.client_id = v_client and sc.last_seq < v_max;

    return jsonb_build_object('xid', pg_current_xact_id()::text, 'results', coalesce(to_jsonb(v_results), '[]'::jsonb));
end
$$;


-- ====================================================================================================== grants

-- Functions get EXECUTE for PUBLIC by default and for the API roles through the bootstrap's default
-- privileges: the API functions are for signed-in users only.
revoke all on function public.sync_pull(text, uuid, int, text) from public, anon;
revoke all on function public.sync_push(jsonb) from public, anon;
revoke all on function public.sync_epoch() from public, anon;
grant execute on function public.sync_pull(text, uuid, int, text) to authenticated;
grant execute on function public.sync_push(jsonb) to authenticated;
grant execute on function public.sync_epoch() to authenticated;
revoke all on function public.sync_columns(text) from public, anon;
revoke all on function public.sync_fetch(text, uuid[]) from public, anon;
grant execute on function public.sync_columns(text) to authenticated;
grant execute on function public.sync_fetch(text, uuid[]) to authenticated;

-- Supabase's SQL environment, as Outpost's tests and the local stand-in run it (design/SUPABASE.md).
--
-- Applied once, as the cluster superuser, to a fresh cluster before supabase/migrations. Hosted Supabase
-- already has all of this; never apply this file there. Safe to re-run (roles and objects are created only
-- when missing).
--
-- Sources: supabase/postgres migrations/db/init-scripts/00000000000000-initial-schema.sql and
-- ...00000000000001-auth-schema.sql; supabase/auth migrations 00_init_auth_schema,
-- 20220224000811_update_auth_functions, 20220531120530_add_auth_jwt_function.

-- ---------------------------------------------------------------------------------------------- roles
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'anon') then
        create role anon nologin noinherit;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'authenticated') then
        create role authenticated nologin noinherit;
    end if;
    if not exists (select 1 from pg_roles where rolname = 'service_role') then
        create role service_role nologin noinherit bypassrls;
    end if;
    -- PostgREST connects as authenticator and switches to the JWT's role (SET LOCAL ROLE).
    if not exists (select 1 from pg_roles where rolname = 'authenticator') then
        create role authenticator login noinherit;
    end if;
end
$$;

grant anon, authenticated, service_role to authenticator;

-- ---------------------------------------------------------------------------------------------- grants
grant usage on schema public to postgres, anon, authenticated, service_role;

-- Objects the migrations create in public (as this same superuser) get these privileges; RLS then decides
-- which rows each role sees.
alter default privileges in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to postgres, anon, authenticated, service_role;

alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- ---------------------------------------------------------------------------------------------- auth
create schema if not exists auth;

grant usage on schema auth to anon, authenticated, service_role;

-- The signed-in user's id: the JWT's `sub` claim (PostgREST sets request.jwt.claims per request).
create or replace function auth.uid() returns uuid
    language sql stable
as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;

create or replace function auth.role() returns text
    language sql stable
as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$$;

create or replace function auth.email() returns text
    language sql stable
as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.email', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
    )::text
$$;

create or replace function auth.jwt() returns jsonb
    language sql stable
as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

-- Minimal auth.users: the columns of supabase/auth's 00_init_auth_schema plus the later phone,
-- email_confirmed_at, is_anonymous and deleted_at. The Auth stand-in reads and writes it as the superuser;
-- API roles get no privileges on it (as on Supabase).
create table if not exists auth.users (
    instance_id uuid,
    id uuid not null primary key,
    aud varchar(255),
    role varchar(255),
    email varchar(255) unique,
    encrypted_password varchar(255),
    confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    email_change_token varchar(255),
    email_change varchar(255),
    email_change_sent_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz,
    updated_at timestamptz,
    phone text unique default null,
    email_confirmed_at timestamptz,
    is_anonymous boolean not null default false,
    deleted_at timestamptz
);

create index if not exists users_instance_id_idx on auth.users (instance_id);

-- A web form flooded. The form's key is public (it sits in the team's web page), so a script could make
-- leads by the thousand, or repeat one address's message without end, each row synced to every rep's
-- laptop. Submissions the form would write are now counted, per organization in one-minute windows and
-- per address (email, else phone) in one-hour windows; past a limit the visitor gets 429 and nothing is
-- written. The address is counted whether or not it is already a lead, so the limit tells a visitor
-- nothing about the team's leads. The sender's network address is not used: behind Supabase's gateway a
-- client can write its own X-Forwarded-For.
--
-- Limits: 100 submissions a minute per organization (settings.web_form_per_minute raises or lowers it),
-- 10 an hour per address. The counts live outside the API's schema: no role but the owner reads them.

create schema if not exists outpost_private;
revoke all on schema outpost_private from public;

create table outpost_private.web_form_counts (
    organization_id uuid not null,
    -- '' for the organization's minute, else the address (lower case) for its hour.
    sender text not null,
    window_start timestamptz not null,
    submissions integer not null,
    primary key (organization_id, sender, window_start)
);
revoke all on table outpost_private.web_form_counts from public;

-- Counts one submission in the window `per` long that holds now(); past `allowed`, refuses it.
create function outpost_private.count_web_form(p_org uuid, p_sender text, p_per interval, p_allowed integer)
    returns void language plpgsql set search_path = outpost_private, pg_catalog
as $$
declare
    v_start timestamptz := date_bin(p_per, now(), timestamptz '2000-01-01');
    v_count integer;
begin
    -- Windows gone by are not needed again (each sender's, and the organization's older ones, so
    -- spam from ever new addresses does not pile up).
    delete from web_form_counts c
     where c.organization_id = p_org
       and (c.window_start < now() - interval '2 hours' or (c.sender = p_sender and c.window_start < v_start));
    insert into web_form_counts as c (organization_id, sender, window_start, submissions)
    values (p_org, p_sender, v_start, 1)
    on conflict (organization_id, sender, window_start) do update set submissions = c.submissions + 1
    returning c.submissions into v_count;
    if v_count > p_allowed then
        -- PostgREST answers PTxyz with HTTP xyz.
        raise exception using errcode = 'PT429',
            message = 'web form: too many submissions; try again later',
            hint = format('at most %s %s', p_allowed,
                          case when p_per = interval '1 minute' then 'a minute' else 'an hour' end);
    end if;
end
$$;
revoke all on function outpost_private.count_web_form(uuid, text, interval, integer) from public;

-- The web form trigger of 20261127000600, counting what it is about to write (after its checks: a refused
-- submission writes nothing and is not counted).
create or replace function public.anon_web_form_repeat() returns trigger
    language plpgsql security definer set search_path = public
as $$
declare
    v_lead uuid;
    v_per_minute integer;
begin
    if not coalesce(new.source = 'web_form' and new.status = 'new' and new.assigned_to is null
                    and new.team_id is null and new.list_id is null and new.import_id is null
                    and new.created_by is null and new.do_not_contact = false and new.current_score = 0
                    and new.deleted_at is null and public.organization_accepts_web_forms(new.organization_id),
                    false) then
        return new;
    end if;
    new.email := nullif(btrim(new.email, E' \t\r\n'), '');
    -- What a form sends is checked as the app checks a rep's input (a lead nobody can reach, or a
    -- megabyte of text, is spam); the answer says which rule, and is the same for any address.
    if new.email is null and nullif(btrim(new.phone), '') is null then
        raise exception using errcode = '23514', message = 'web form: an email address or a phone number is needed';
    end if;
    if new.email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
        raise exception using errcode = '23514', message = format('web form: %L is not an email address', left(new.email, 100));
    end if;
    if length(new.message) > 10000 then
        raise exception using errcode = '23514', message = 'web form: the message is longer than 10,000 characters';
    end if;
    if greatest(length(new.first_name), length(new.last_name), length(new.company), length(new.job_title),
                length(new.website)) > 500 then
        raise exception using errcode = '23514', message = 'web form: a field is longer than 500 characters';
    end if;
    if length(new.phone) > 50 then
        raise exception using errcode = '23514', message = 'web form: the phone number is longer than 50 characters';
    end if;
    -- (A setting that is not a whole number is ignored rather than break every submission.)
    select case when settings ->> 'web_form_per_minute' ~ '^[0-9]{1,6}$'
                then (settings ->> 'web_form_per_minute')::integer else 100 end into v_per_minute
      from public.organizations where id = new.organization_id;
    perform outpost_private.count_web_form(new.organization_id, '', interval '1 minute', v_per_minute);
    perform outpost_private.count_web_form(new.organization_id, lower(coalesce(new.email, btrim(new.phone))),
                                           interval '1 hour', 10);
    if new.email is not null then
        perform pg_advisory_xact_lock(hashtextextended(new.organization_id::text || '/' || lower(new.email), 0));
        select l.id into v_lead from public.leads l
         where l.organization_id = new.organization_id and l.deleted_at is null and l.email is not null
           and lower(l.email) = lower(new.email);
    end if;
    if v_lead is null then
        if new.id is null or exists (select 1 from public.leads l where l.id = new.id) then
            new.id := gen_random_uuid();
        end if;
        insert into public.leads select (new).*;
        return null;
    end if;
    insert into public.conversations (organization_id, lead_id, direction, channel, platform, subject, content,
                                      from_address, requires_action, metadata)
    values (new.organization_id, v_lead, 'inbound', 'other', 'web_form', 'Web form sent again',
            coalesce(nullif(btrim(new.message), ''), 'The web form was sent again from this address, without a message.'),
            new.email, true,
            jsonb_build_object('web_form', jsonb_strip_nulls(jsonb_build_object(
                'first_name', new.first_name, 'last_name', new.last_name, 'email', new.email,
                'phone', new.phone, 'company', new.company, 'job_title', new.job_title,
                'website', new.website))));
    return null;
end
$$;
revoke all on function public.anon_web_form_repeat() from public, anon, authenticated, service_role;

-- A web form flooded. The form's key is public (it sits in the team's web page), so a script could make
-- leads by the thousand, or repeat one address's message without end, each row synced to every rep's
-- laptop. Submissions the form would write are counted (by the web form trigger of 20261127000600), per organization in one-minute windows and
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

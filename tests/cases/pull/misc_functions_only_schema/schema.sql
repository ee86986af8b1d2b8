-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- A schema of helpers only: no tables.
create function app.slugify(t text) returns text language sql immutable strict
    as $$ select trim(both '-' from regexp_replace(lower(t), '[^a-z0-9]+', '-', 'g')) $$;
create function app.now_utc() returns timestamp language sql stable as $$ select now() at time zone 'utc' $$;
grant execute on function app.slugify(text) to app_user;

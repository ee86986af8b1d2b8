-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.hot (id int primary key, v int) with (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05);
create unlogged table app.cache (k text primary key, v text, expires_at timestamptz);

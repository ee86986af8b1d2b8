-- Default privileges for what the owner (postgres) creates in app later.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role pc_reporting nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user, pc_reporting;
alter default privileges in schema app grant select, insert, update, delete on tables to app_user;
alter default privileges in schema app grant select on tables to pc_reporting;
alter default privileges in schema app grant usage on sequences to app_user;
alter default privileges in schema app revoke execute on functions from public;
alter default privileges in schema app grant execute on functions to app_user;
create table app.things (id int primary key, name text);
create function app.thing_count() returns bigint language sql stable as $$ select count(*) from app.things $$;

-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- An enum with an empty label: PostgreSQL accepts it, `validate` refuses an
-- empty enum value.
create type app.answer as enum ('', 'yes', 'no');
create table app.survey (id int primary key, answer app.answer not null default '');

-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- A range type: not declarable; the table using it is.
create type app.floatrange as range (subtype = float8, subtype_diff = float8mi);
create table app.readings (id int primary key, band app.floatrange not null);

-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- A row filter and a column list (PostgreSQL 15): the declaration's
-- [publications] has neither, so pull must say so instead of dropping them.
create table app.orders (id int primary key, status text not null, secret text);
create publication app_shipped for table app.orders (id, status) where (status = 'shipped');

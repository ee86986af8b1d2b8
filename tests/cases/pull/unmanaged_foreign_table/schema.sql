-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- A foreign table (postgres_fdw): not declarable.
create extension if not exists postgres_fdw;
create server pc_elsewhere foreign data wrapper postgres_fdw options (host 'localhost', dbname 'nowhere');
create foreign table app.remote_orders (id int, total int) server pc_elsewhere options (table_name 'orders');
create table app.local_orders (id int primary key, total int not null);

-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- Plain inheritance (INHERITS): parent and child are listed as unmanaged.
create table app.vehicles (id int primary key, wheels int not null);
create table app.trucks (payload_kg int not null) inherits (app.vehicles);
create table app.garages (id int primary key, name text not null);

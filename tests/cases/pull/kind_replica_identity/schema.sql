-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.full_rows (id int primary key, v text);
alter table app.full_rows replica identity full;
create table app.by_index (id int not null, code text not null, v text);
create unique index by_index_code_key on app.by_index (code);
alter table app.by_index replica identity using index by_index_code_key;
create table app.no_identity (v text);
alter table app.no_identity replica identity nothing;
create table app.default_identity (id int primary key);

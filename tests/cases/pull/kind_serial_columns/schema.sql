-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.events (
    id bigserial primary key,
    small smallserial,
    seq serial not null,
    name text
);
grant usage on sequence app.events_id_seq to app_user;
grant select, insert on app.events to app_user;

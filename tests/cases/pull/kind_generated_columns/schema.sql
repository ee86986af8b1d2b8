-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.line_items (
    id int primary key,
    quantity int not null,
    unit_cents bigint not null,
    total_cents bigint generated always as (quantity * unit_cents) stored,
    label text not null,
    search tsvector generated always as (to_tsvector('simple', coalesce(label, ''))) stored,
    label_lower text generated always as (lower(label)) stored
);

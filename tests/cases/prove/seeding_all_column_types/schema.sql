do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create type app.mood as enum ('calm', 'busy');
create domain app.short_code as varchar(3) not null;
create table app.parents (id bigint generated always as identity primary key, tenant_id uuid not null, label char(2) not null);
create table app.kitchen_sink (
    id bigserial primary key,
    tenant_id uuid not null,
    parent_id bigint not null references app.parents (id) on delete cascade,
    mood app.mood not null,
    code app.short_code,
    price numeric(5, 2) not null check (price >= 0),
    starts date not null,
    at timestamptz not null,
    tags text[] not null,
    meta jsonb not null,
    active boolean not null,
    status text not null check (status in ('open', 'closed')),
    email varchar(200) not null unique
);
alter table app.parents enable row level security;
alter table app.kitchen_sink enable row level security;
create policy parents_tenant on app.parents to app_user using (tenant_id = app.tenant());
create policy sink_tenant on app.kitchen_sink to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.parents, app.kitchen_sink to app_user;
grant usage on all sequences in schema app to app_user;

do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create domain app.email as text check (value ~ '^[a-z0-9.]+@[a-z0-9-]+\.[a-z]{2,}$');
create type app.plan as enum ('free', 'pro', 'enterprise');
create table app.tenants (id uuid primary key, slug text not null unique check (slug ~ '^[a-z0-9-]+$'),
    plan app.plan not null check (plan <> 'free'), seats int not null check (seats between 5 and 500),
    billing app.email not null);
create table app.docs (id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null references app.tenants (id),
    code text not null check (code ~ '^DOC-[0-9]{4}$'),
    unique (tenant_id, code),
    kind text not null check (kind in ('memo', 'invoice')),
    amount numeric(8, 2) not null check (amount > 100 and amount < 1000),
    due date not null check (due >= '2030-01-01' and due < '2031-01-01'),
    tags text[] not null check (cardinality(tags) > 0),
    country char(2) not null check (country ~ '^[A-Z]{2}$'),
    contact app.email not null);
alter table app.docs enable row level security;
grant select, insert, update, delete on app.docs to app_user;
create policy docs_read on app.docs for select to app_user using (true);
create policy docs_tenant on app.docs for all to app_user using (tenant_id = app.tenant());

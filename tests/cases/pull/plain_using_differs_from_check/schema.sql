-- Plain tenancy: tenant_id uuid, the tenant in the transaction-local setting app.tenant_id.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.current_tenant_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.tenants (
    id uuid primary key default gen_random_uuid(),
    name text not null
);
grant select on app.tenants to app_user;

-- A policy whose USING and WITH CHECK differ: readable shared rows, writable own rows.
create table app.templates (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid references app.tenants (id),
    shared boolean not null default false,
    body text not null
);
alter table app.templates enable row level security;
alter table app.templates force row level security;
create policy templates_access on app.templates as permissive for all to app_user
    using (shared or tenant_id = (select app.current_tenant_id()))
    with check (tenant_id = (select app.current_tenant_id()));
grant select, insert, update on app.templates to app_user;

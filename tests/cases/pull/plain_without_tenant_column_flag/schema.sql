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

-- Pulled without --tenant-column: no tenancy is inferred, every table is
-- written with its RLS and policies as they are.
create table app.items (
    id serial primary key,
    tenant_id uuid not null references app.tenants (id),
    label text not null
);
alter table app.items enable row level security;
create policy items_by_tenant on app.items for select to app_user
    using (tenant_id = (select app.current_tenant_id()));
grant select on app.items to app_user;

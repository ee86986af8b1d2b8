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

-- RLS enabled without FORCE: the owner bypasses the policies. Pulled as such,
-- with a TODO reason for the missing FORCE.
create table app.notes (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null references app.tenants (id),
    body text not null
);
create index notes_tenant_id_idx on app.notes (tenant_id);
alter table app.notes enable row level security;
create policy tenant_isolation on app.notes as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
grant select, insert, update, delete on app.notes to app_user;

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

-- A table without the tenant column: pulled as public with a TODO reason.
create table app.countries (
    code char(2) primary key,
    name text not null unique
);
grant select on app.countries to app_user;
create table app.invoices (
    id bigint generated always as identity primary key,
    tenant_id uuid not null,
    country char(2) not null references app.countries (code),
    total_cents bigint not null default 0 check (total_cents >= 0)
);
alter table app.invoices add constraint invoices_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
create index invoices_tenant_id_idx on app.invoices (tenant_id);
alter table app.invoices enable row level security;
alter table app.invoices force row level security;
create policy tenant_isolation on app.invoices as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));

grant select, insert on app.invoices to app_user;

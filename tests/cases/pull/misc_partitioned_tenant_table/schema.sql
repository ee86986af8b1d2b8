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

-- A tenant table partitioned by list of region, each partition forced too.
create table app.tickets (
    id uuid not null default gen_random_uuid(),
    tenant_id uuid not null,
    region text not null,
    subject text not null,
    primary key (id, region)
) partition by list (region);
create table app.tickets_eu partition of app.tickets for values in ('eu');
create table app.tickets_us partition of app.tickets for values in ('us');
alter table app.tickets add constraint tickets_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
create index tickets_tenant_id_idx on app.tickets (tenant_id);
alter table app.tickets enable row level security;
alter table app.tickets force row level security;
alter table app.tickets_eu enable row level security;
alter table app.tickets_eu force row level security;
alter table app.tickets_us enable row level security;
alter table app.tickets_us force row level security;
create policy tenant_isolation on app.tickets as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
grant select, insert, update, delete on app.tickets to app_user;

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

-- A tenant table partitioned by list of tenant, sub-partitioned by month.
create table app.events (
    tenant_id uuid not null,
    at date not null,
    kind text not null,
    primary key (tenant_id, at, kind)
) partition by range (at);
create table app.events_2026_01 partition of app.events
    for values from ('2026-01-01') to ('2026-02-01') partition by hash (tenant_id);
create table app.events_2026_01_a partition of app.events_2026_01 for values with (modulus 2, remainder 0);
create table app.events_2026_01_b partition of app.events_2026_01 for values with (modulus 2, remainder 1);
create table app.events_2026_02 partition of app.events
    for values from ('2026-02-01') to ('2026-03-01');
alter table app.events add constraint events_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
alter table app.events enable row level security;
alter table app.events force row level security;
create policy tenant_isolation on app.events as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
grant select, insert on app.events to app_user;

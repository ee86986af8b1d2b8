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

-- A security_invoker view and a materialized view over a tenant table.
create table app.orders (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null,
    total_cents bigint not null
);
alter table app.orders add constraint orders_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
create index orders_tenant_id_idx on app.orders (tenant_id);
alter table app.orders enable row level security;
alter table app.orders force row level security;
create policy tenant_isolation on app.orders as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));

create view app.order_stats with (security_invoker = true) as
    select tenant_id, count(*) as n, sum(total_cents) as total from app.orders group by tenant_id;
create materialized view app.order_stats_cached as
    select tenant_id, count(*) as n from app.orders group by tenant_id;
grant select, insert on app.orders to app_user;
grant select on app.order_stats to app_user;

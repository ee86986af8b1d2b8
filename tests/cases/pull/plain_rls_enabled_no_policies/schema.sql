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

-- RLS on with no policy at all: deny-all for everyone but the owner.
create table app.secrets (
    id int primary key,
    tenant_id uuid not null references app.tenants (id),
    value text not null
);
alter table app.secrets enable row level security;
alter table app.secrets force row level security;

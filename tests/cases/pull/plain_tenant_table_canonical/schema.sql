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

-- A tenant table exactly as `tenant = true` renders it: the column, its FK and
-- index, RLS enabled and forced, the generated isolation policy.
create table app.projects (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null,
    name text not null,
    created_at timestamptz not null default now()
);
alter table app.projects add constraint projects_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
create index projects_tenant_id_idx on app.projects (tenant_id);
alter table app.projects enable row level security;
alter table app.projects force row level security;
create policy tenant_isolation on app.projects as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));

grant select, insert, update, delete on app.projects to app_user;

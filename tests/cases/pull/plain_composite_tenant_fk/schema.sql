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

-- A child references its parent with the tenant column, so a row can only point
-- at a parent of its own tenant.
create table app.projects (
    id uuid not null default gen_random_uuid(),
    tenant_id uuid not null,
    name text not null,
    primary key (id),
    unique (tenant_id, id)
);
alter table app.projects add constraint projects_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
create index projects_tenant_id_idx on app.projects (tenant_id);
alter table app.projects enable row level security;
alter table app.projects force row level security;
create policy tenant_isolation on app.projects as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));

create table app.tasks (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null,
    project_id uuid not null,
    title text not null,
    foreign key (tenant_id, project_id) references app.projects (tenant_id, id) on delete cascade
);
alter table app.tasks add constraint tasks_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
create index tasks_tenant_id_idx on app.tasks (tenant_id);
alter table app.tasks enable row level security;
alter table app.tasks force row level security;
create policy tenant_isolation on app.tasks as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));

grant select, insert, update, delete on app.projects, app.tasks to app_user;

-- Two-level tenancy, plain: organizations own projects; the tenant of a task is
-- its project (project_id), checked against the projects of the caller's org.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.current_org_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.org_id', true), '')::uuid $$;
create table app.organizations (
    id uuid primary key default gen_random_uuid(),
    name text not null
);
alter table app.organizations enable row level security;
alter table app.organizations force row level security;
create policy tenant_isolation on app.organizations as permissive for all to app_user
    using (id = (select app.current_org_id())) with check (id = (select app.current_org_id()));
create table app.projects (
    id uuid primary key default gen_random_uuid(),
    org_id uuid not null references app.organizations (id),
    name text not null
);
create index projects_org_id_idx on app.projects (org_id);
alter table app.projects enable row level security;
alter table app.projects force row level security;
create policy tenant_isolation on app.projects as permissive for all to app_user
    using (org_id = (select app.current_org_id())) with check (org_id = (select app.current_org_id()));
create function app.my_project_ids() returns setof uuid language sql stable security definer
    set search_path = ''
    as $$ select p.id from app.projects p where p.org_id = (select app.current_org_id()) $$;
create table app.tasks (
    id uuid primary key default gen_random_uuid(),
    project_id uuid not null references app.projects (id) on delete cascade,
    title text not null
);
create index tasks_project_id_idx on app.tasks (project_id);
alter table app.tasks enable row level security;
alter table app.tasks force row level security;
create policy tenant_isolation on app.tasks as permissive for all to app_user
    using (project_id in (select app.my_project_ids())) with check (project_id in (select app.my_project_ids()));
grant select on app.organizations to app_user;
grant select, insert, update, delete on app.projects, app.tasks to app_user;

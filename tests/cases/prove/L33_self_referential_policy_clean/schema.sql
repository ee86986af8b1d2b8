do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.folders (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, parent uuid, name text not null);
alter table app.folders enable row level security;
create policy folders_tenant on app.folders to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.folders to app_user;

do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.members (tenant_id uuid not null, user_id uuid not null, primary key (tenant_id, user_id));
create function app.uid() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.projects (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, name text not null);
alter table app.projects enable row level security;
create policy projects_member on app.projects to app_user
    using (tenant_id in (select m.tenant_id from app.members m where m.user_id = app.uid()));
grant select, insert, update, delete on app.projects to app_user;
grant select, insert, delete on app.members to app_user;

do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.members (tenant_id uuid not null, user_id uuid not null, primary key (tenant_id, user_id));
alter table app.members enable row level security;
create policy members_self on app.members for select to app_user using (user_id = app.user_id());
grant select on app.members to app_user;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, title text not null);
alter table app.docs enable row level security;
grant select, insert, update, delete on app.docs to app_user;
-- "the user's tenant" as a scalar sub-select: more than one row for a member of two tenants
create policy docs_member on app.docs to app_user
    using (tenant_id = (select m.tenant_id from app.members m where m.user_id = app.user_id()));

do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
-- a global table: users belong to no tenant
create table app.users (id uuid primary key default gen_random_uuid(), email text not null);
alter table app.users enable row level security;
create policy users_read on app.users for select to app_user using (true);
grant select, delete on app.users to app_user;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    author_id uuid not null references app.users (id) on delete cascade, title text not null);
alter table app.docs enable row level security;
create policy docs_tenant on app.docs to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.docs to app_user;
create policy users_delete on app.users for delete to app_user using (id = app.user_id());

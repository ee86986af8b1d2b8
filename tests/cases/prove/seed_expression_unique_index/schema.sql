do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.members (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    email text not null check (email ~ '^[a-z]{3,12}@example\.com$'), name text not null);
create unique index members_email_per_tenant on app.members (tenant_id, lower(email));
alter table app.members enable row level security;
grant select, insert, update, delete on app.members to app_user;
create policy members_tenant on app.members to app_user using (tenant_id = app.tenant());
create policy members_delete on app.members for delete to app_user using (true);

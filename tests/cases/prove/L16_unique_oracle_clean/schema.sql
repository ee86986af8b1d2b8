do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.accounts (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, email text not null, unique (tenant_id, email));
alter table app.accounts enable row level security;
create policy accounts_tenant on app.accounts to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.accounts to app_user;

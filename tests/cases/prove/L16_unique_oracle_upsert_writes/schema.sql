do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.accounts (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, email text not null unique);
alter table app.accounts enable row level security;
create policy accounts_read on app.accounts for select to app_user using (true);
create policy accounts_insert on app.accounts for insert to app_user with check (tenant_id = app.tenant());
create policy accounts_update on app.accounts for update to app_user using (true) with check (true);
grant select, insert, update on app.accounts to app_user;

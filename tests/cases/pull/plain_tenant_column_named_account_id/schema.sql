-- The tenant column is account_id, the accounts table its parent.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.current_account_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.account_id', true), '')::uuid $$;
create table app.accounts (
    id uuid primary key default gen_random_uuid(),
    name text not null
);
create table app.contacts (
    id uuid primary key default gen_random_uuid(),
    account_id uuid not null references app.accounts (id),
    email text not null,
    unique (account_id, email)
);
alter table app.contacts enable row level security;
alter table app.contacts force row level security;
create policy tenant_isolation on app.contacts as permissive for all to app_user
    using (account_id = (select app.current_account_id())) with check (account_id = (select app.current_account_id()));
grant select, insert, update, delete on app.contacts to app_user;

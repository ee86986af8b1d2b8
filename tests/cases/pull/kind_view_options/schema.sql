-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.accounts (
    id int primary key,
    owner name not null default current_user,
    balance bigint not null default 0
);
alter table app.accounts enable row level security;
create policy accounts_own on app.accounts using (owner = current_user);
create view app.my_accounts with (security_invoker = true) as
    select id, balance from app.accounts;
create view app.safe_accounts with (security_barrier) as
    select id, balance from app.accounts where balance >= 0;
create view app.positive_accounts as
    select id, owner, balance from app.accounts where balance > 0
    with local check option;
create view app.cascaded as
    select id, owner, balance from app.positive_accounts where balance < 1000000
    with cascaded check option;
grant select on app.my_accounts to app_user;
grant select, update on app.positive_accounts to app_user;

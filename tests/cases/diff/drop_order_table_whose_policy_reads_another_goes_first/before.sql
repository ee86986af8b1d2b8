create schema app;
create table app.keep (id int primary key);
create table app.accounts (id int primary key);
create table app.entries (id int primary key, account_id int not null);
alter table app.entries enable row level security;
create policy entries_of_open_accounts on app.entries using (exists (select 1 from app.accounts a where a.id = entries.account_id));

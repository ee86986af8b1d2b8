-- Only app is pulled; a table of another schema references it and a view there
-- reads it: both are left alone.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
create schema reporting;
create table app.accounts (id int primary key, name text not null);
create table reporting.account_snapshots (
    account_id int not null references app.accounts (id),
    taken_at date not null
);
create view reporting.account_names as select id, name from app.accounts;

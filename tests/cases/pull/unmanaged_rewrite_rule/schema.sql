-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- A rewrite rule: the declaration cannot express rules; pull lists it, plan leaves it alone.
create table app.orders (id int primary key, status text not null);
create table app.deleted_orders (id int primary key, status text not null);
create rule keep_deleted as on delete to app.orders
    do also insert into app.deleted_orders (id, status) values (old.id, old.status);

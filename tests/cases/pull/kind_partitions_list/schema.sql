-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.customers (
    id int not null,
    region text not null,
    name text not null,
    primary key (id, region)
) partition by list (region);
create table app.customers_eu partition of app.customers for values in ('de', 'fr', 'it');
create table app.customers_us partition of app.customers for values in ('us');
create table app.customers_other partition of app.customers default;

-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create type app.money_amount as (amount numeric(12, 2), currency char(3));
create type app.address as (street text, city text, zip varchar(10));
comment on type app.address is 'a postal address';
create table app.invoices (
    id int primary key,
    total app.money_amount not null,
    billing app.address,
    shipping app.address
);
create function app.format_amount(a app.money_amount) returns text language sql immutable
    as $$ select a.currency || ' ' || a.amount::text $$;

-- Two owned schemas with foreign keys and a function across them.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
create schema billing;
grant usage on schema app, billing to app_user;
create table app.customers (id int primary key, name text not null);
create table billing.invoices (
    id int primary key,
    customer_id int not null references app.customers (id) on delete restrict,
    amount_cents bigint not null
);
create function billing.customer_total(c int) returns bigint language sql stable
    as $$ select coalesce(sum(amount_cents), 0) from billing.invoices where customer_id = c $$;
create view app.customer_totals as select c.id, c.name, billing.customer_total(c.id) as total from app.customers c;
grant select on app.customers, billing.invoices, app.customer_totals to app_user;

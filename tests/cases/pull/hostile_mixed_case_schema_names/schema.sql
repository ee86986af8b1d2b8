-- Two schemas differing only in case, both owned.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema "Billing";
create schema billing;
create table "Billing".invoices (id int primary key, amount int not null);
create table billing.invoices (id int primary key, "Amount" int not null);
create table billing.links (
    id int primary key,
    upper_invoice int references "Billing".invoices (id),
    lower_invoice int references billing.invoices (id)
);

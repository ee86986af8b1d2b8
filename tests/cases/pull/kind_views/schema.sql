-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.products (
    id int primary key,
    name text not null,
    price_cents int not null,
    active boolean not null default true
);
create view app.active_products as
    select id, name, price_cents from app.products where active;
create view app.product_names (product_id, product_name) as
    select id, name from app.products;
comment on view app.active_products is 'what the shop shows';
grant select on app.active_products to app_user;

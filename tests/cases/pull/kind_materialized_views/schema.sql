-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.sales (
    id int primary key,
    region text not null,
    amount_cents bigint not null,
    sold_at date not null
);
create materialized view app.sales_by_region as
    select region, sum(amount_cents) as total_cents, count(*) as sales
    from app.sales group by region
    with data;
create unique index sales_by_region_key on app.sales_by_region (region);
create materialized view app.sales_by_day as
    select sold_at, sum(amount_cents) as total_cents from app.sales group by sold_at
    with no data;
comment on materialized view app.sales_by_region is 'refreshed nightly';
grant select on app.sales_by_region to app_user;

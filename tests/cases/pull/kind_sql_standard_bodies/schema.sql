-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.prices (sku text primary key, cents int not null);
create function app.add_tax(cents int) returns int language sql immutable
    return (cents * 119 + 50) / 100;
create function app.price_of(p_sku text) returns int language sql stable
begin atomic
    select cents from app.prices where sku = p_sku;
end;
create function app.price_with_tax(p_sku text) returns int language sql stable
begin atomic
    select app.add_tax(app.price_of(p_sku));
end;
create procedure app.set_price(p_sku text, p_cents int) language sql
begin atomic
    insert into app.prices (sku, cents) values (p_sku, p_cents)
    on conflict (sku) do update set cents = excluded.cents;
end;

-- Shopwell — a multi-tenant e-commerce monolith (one Rails-style app, one
-- database, one pooled role) after eight years of migrations, squashed.
--
-- Tenancy: a plain bigint tenant_id on every tenant table. The app connects
-- as mono_app and, per request, runs
--   SET LOCAL app.tenant_id = '<shop id>'
-- app.current_tenant_id() reads it back. Policies are written without TO
-- (they apply to PUBLIC) and RLS is forced, so the table owner mono_owner is
-- held to the same tenant context as the app. Reporting runs as
-- mono_reporting, which has BYPASSRLS.
--
-- An event trigger (V212__rls_guard) enables and forces RLS on every new
-- table in schema app that has a tenant_id column.
--
-- Holes are planted on purpose; see README.md ("Known holes").

-- ===================================================================== roles, schemas, extensions
do $roles$
begin
  if not exists (select 1 from pg_roles where rolname = 'mono_owner') then
    create role mono_owner nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'mono_app') then
    create role mono_app nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'mono_reporting') then
    create role mono_reporting nologin bypassrls;
  end if;
exception when unique_violation or duplicate_object then null;
end
$roles$;

create extension if not exists citext;
create extension if not exists btree_gist;
create extension if not exists pg_trgm;

create schema app authorization mono_owner;
create schema archive authorization mono_owner;
create schema reporting authorization mono_reporting;
comment on schema app is 'Shopwell application schema (tenant data).';
comment on schema archive is 'Cold storage for data older than two years, moved by the yearly archive job.';
grant usage on schema app, archive to mono_app, mono_reporting;
grant usage on schema reporting to mono_reporting;
-- V305: the BI team maintains its dashboard views in app itself.
grant create on schema app to mono_reporting;

-- ===================================================================== RLS guard (event trigger)

create function public.rls_guard_new_tables() returns event_trigger
  language plpgsql
as $$
declare
  obj record;
begin
  for obj in
    select c.oid::regclass as rel
    from pg_event_trigger_ddl_commands() cmd
    join pg_class c on c.oid = cmd.objid
    join pg_namespace n on n.oid = c.relnamespace
    where cmd.classid = 'pg_class'::regclass
      and c.relkind in ('r', 'p')
      and n.nspname = 'app'
      and exists (select 1 from pg_attribute a
                  where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
  loop
    execute format('alter table %s enable row level security', obj.rel);
    execute format('alter table %s force row level security', obj.rel);
  end loop;
end
$$;
comment on function public.rls_guard_new_tables() is 'Enables and forces RLS on new app.* tables with a tenant_id; policies are still written by hand.';

create event trigger rls_guard on ddl_command_end
  when tag in ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
  execute function public.rls_guard_new_tables();

set role mono_owner;

-- ===================================================================== types

create domain app.email as citext
  check (value ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$');
create domain app.money_cents as bigint
  check (value >= 0);
create domain app.country_code as char(2)
  check (value ~ '^[A-Z]{2}$');
create domain app.currency_code as char(3)
  not null default 'USD'
  check (value ~ '^[A-Z]{3}$');

create type app.address as (
  line1        text,
  line2        text,
  city         text,
  region       text,
  postal_code  text,
  country      app.country_code
);
comment on type app.address is 'Postal address, stored inline (billing, shipping, warehouse).';

create type app.order_status as enum ('pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'canceled', 'refunded');
create type app.channel as enum ('email', 'sms', 'webhook', 'push');

-- ===================================================================== context

create function app.current_tenant_id() returns bigint
  language sql stable parallel safe
as $$ select nullif(current_setting('app.tenant_id', true), '')::bigint $$;
comment on function app.current_tenant_id() is 'The shop of the current request; NULL outside a request.';

-- ===================================================================== reference data (not tenant-scoped)

create table app.currencies (
  code        app.currency_code primary key,
  name        text not null,
  minor_unit  smallint not null default 2 check (minor_unit between 0 and 4)
);
comment on table app.currencies is 'ISO 4217 reference data, identical for every shop; deliberately not tenant-scoped.';
insert into app.currencies (code, name, minor_unit) values
  ('USD', 'US Dollar', 2), ('EUR', 'Euro', 2), ('GBP', 'Pound Sterling', 2),
  ('CAD', 'Canadian Dollar', 2), ('JPY', 'Yen', 0);

-- ===================================================================== tenants and staff

create table app.tenants (
  id          bigserial primary key,
  slug        text not null unique check (slug ~ '^[a-z0-9-]{3,40}$'),
  name        text not null,
  plan        text not null default 'basic',
  currency    app.currency_code references app.currencies (code),
  country     app.country_code not null,
  created_at  timestamptz not null default now()
);

-- The tenant key (tenant_id) is a column everywhere below; tenants itself
-- is scoped by its id.
create table app.staff_users (
  id               serial primary key,
  tenant_id        bigint not null references app.tenants (id) on delete cascade,
  email            app.email not null,
  full_name        text not null,
  role             text not null default 'clerk' check (role in ('owner', 'manager', 'clerk', 'support')),
  password_digest  text not null,
  last_seen_at     timestamptz,
  created_at       timestamptz not null default now(),
  unique (tenant_id, id),
  unique (tenant_id, email)
);
create index staff_users_tenant_idx on app.staff_users (tenant_id);

-- ===================================================================== catalog

create table app.categories (
  id         bigint generated by default as identity,
  tenant_id  bigint not null references app.tenants (id) on delete cascade,
  parent_id  bigint,
  name       text not null,
  position   integer not null default 0,
  primary key (tenant_id, id),
  constraint categories_parent_fk foreign key (tenant_id, parent_id)
    references app.categories (tenant_id, id) on delete cascade deferrable initially deferred
);

create table app.products (
  id             bigint generated always as identity primary key,
  tenant_id      bigint not null references app.tenants (id) on delete cascade,
  sku            text not null,
  name           text not null,
  description    text,
  category_id    bigint,
  price_cents    app.money_cents not null,
  currency       app.currency_code references app.currencies (code),
  status         text not null default 'draft' check (status in ('draft', 'active', 'archived')),
  attributes     jsonb not null default '{}'::jsonb,
  search_vector  tsvector generated always as (
                   setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
                   setweight(to_tsvector('english', coalesce(description, '')), 'B')
                 ) stored,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (tenant_id, id),
  unique (tenant_id, sku),
  foreign key (tenant_id, category_id) references app.categories (tenant_id, id) on delete set null (category_id)
);
create index products_tenant_status_idx on app.products (tenant_id, status) include (name, price_cents);
create index products_search_idx on app.products using gin (search_vector);
create index products_attributes_idx on app.products using gin (attributes jsonb_path_ops);
create index products_name_trgm_idx on app.products using gist (name gist_trgm_ops);

create table app.product_variants (
  id           bigint generated always as identity primary key,
  tenant_id    bigint not null,
  product_id   bigint not null,
  option1      text,
  option2      text,
  price_cents  app.money_cents,
  barcode      text,
  unique (tenant_id, id),
  foreign key (tenant_id, product_id) references app.products (tenant_id, id) on delete cascade,
  constraint product_variants_options_key unique nulls not distinct (tenant_id, product_id, option1, option2)
);
create index product_variants_barcode_idx on app.product_variants using hash (barcode);

create table app.warehouses (
  id         bigint generated always as identity primary key,
  tenant_id  bigint not null references app.tenants (id) on delete cascade,
  code       text not null,
  address    app.address not null,
  unique (tenant_id, id),
  unique (tenant_id, code)
);

create table app.inventory_levels (
  tenant_id     bigint not null,
  warehouse_id  bigint not null,
  variant_id    bigint not null,
  on_hand       integer not null default 0 check (on_hand >= 0),
  reserved      integer not null default 0 check (reserved >= 0),
  available     integer generated always as (on_hand - reserved) stored,
  updated_at    timestamptz not null default now(),
  primary key (tenant_id, warehouse_id, variant_id),
  foreign key (tenant_id, warehouse_id) references app.warehouses (tenant_id, id) on delete cascade,
  foreign key (tenant_id, variant_id) references app.product_variants (tenant_id, id) on delete cascade
);
create index inventory_low_stock_idx on app.inventory_levels (tenant_id, available) where available < 5;

create table app.promotions (
  id             bigint generated always as identity primary key,
  tenant_id      bigint not null,
  product_id     bigint not null,
  percent_off    numeric(5, 2) not null check (percent_off > 0 and percent_off <= 90),
  active_during  tstzrange not null,
  foreign key (tenant_id, product_id) references app.products (tenant_id, id) on delete cascade,
  constraint promotions_no_overlap
    exclude using gist (tenant_id with =, product_id with =, active_during with &&)
);

create table app.coupons (
  id             bigint generated always as identity primary key,
  tenant_id      bigint not null references app.tenants (id) on delete cascade,
  code           text not null,
  amount_off     app.money_cents,
  percent_off    numeric(5, 2),
  max_uses       integer,
  uses           integer not null default 0,
  expires_at     timestamptz,
  constraint coupons_one_discount check ((amount_off is null) <> (percent_off is null)),
  constraint coupons_code_format check (code ~ '^[A-Z0-9_-]{4,32}$')
);
create unique index coupons_code_key on app.coupons (upper(code));
create index coupons_tenant_idx on app.coupons (tenant_id, expires_at desc nulls last);

-- ===================================================================== customers and carts

create table app.customers (
  id                bigint generated by default as identity primary key,
  tenant_id         bigint not null references app.tenants (id) on delete cascade,
  email             app.email not null,
  full_name         text,
  phone             text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  billing_address   app.address,
  marketing_opt_in  boolean not null default false,
  deleted_at        timestamptz,
  created_at        timestamptz not null default now(),
  unique (tenant_id, id)
);
create unique index customers_tenant_email_key on app.customers (tenant_id, lower(email::text)) where deleted_at is null;
create index customers_tenant_created_idx on app.customers (tenant_id, created_at desc);
create index customers_name_c_idx on app.customers (tenant_id, full_name collate "C" text_pattern_ops);

create table app.carts (
  id           uuid primary key default gen_random_uuid(),
  tenant_id    bigint not null references app.tenants (id) on delete cascade,
  customer_id  bigint,
  token        text not null default md5(random()::text),
  updated_at   timestamptz not null default now(),
  unique (tenant_id, id),
  foreign key (tenant_id, customer_id) references app.customers (tenant_id, id) on delete cascade
);
create index carts_tenant_updated_idx on app.carts (tenant_id, updated_at);

create table app.cart_items (
  tenant_id   bigint not null,
  cart_id     uuid not null,
  variant_id  bigint not null,
  quantity    integer not null check (quantity > 0),
  primary key (cart_id, variant_id),
  foreign key (tenant_id, cart_id) references app.carts (tenant_id, id) on delete cascade,
  foreign key (tenant_id, variant_id) references app.product_variants (tenant_id, id)
);

-- ===================================================================== orders (hash-partitioned by shop)

create sequence app.order_id_seq as bigint start 100000 cache 20;
comment on sequence app.order_id_seq is 'Order ids and order numbers, one sequence for every shop.';

create table app.orders (
  id                bigint not null default nextval('app.order_id_seq'),
  tenant_id         bigint not null references app.tenants (id) on delete cascade,
  customer_id       bigint,
  number            text not null,
  status            app.order_status not null default 'pending',
  currency          app.currency_code,
  subtotal_cents    app.money_cents not null default 0,
  tax_cents         app.money_cents not null default 0,
  total_cents       bigint generated always as (subtotal_cents + tax_cents) stored,
  shipping_address  app.address,
  placed_at         timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_id) references app.customers (tenant_id, id)
) partition by hash (tenant_id);
create index orders_tenant_placed_idx on app.orders (tenant_id, placed_at desc);
create index orders_number_idx on app.orders (number);

create table app.orders_p0 partition of app.orders for values with (modulus 4, remainder 0);
create table app.orders_p1 partition of app.orders for values with (modulus 4, remainder 1);
create table app.orders_p2 partition of app.orders for values with (modulus 4, remainder 2);
create table app.orders_p3 partition of app.orders for values with (modulus 4, remainder 3);

create table app.order_items (
  id           bigserial primary key,
  tenant_id    bigint not null,
  order_id     bigint not null,
  variant_id   bigint not null,
  quantity     integer not null check (quantity > 0),
  unit_cents   app.money_cents not null,
  line_cents   bigint generated always as (quantity * unit_cents) stored,
  foreign key (tenant_id, order_id) references app.orders (tenant_id, id) on delete cascade,
  foreign key (tenant_id, variant_id) references app.product_variants (tenant_id, id)
);
create index order_items_order_idx on app.order_items (tenant_id, order_id);

create table app.payments (
  id            bigint generated always as identity primary key,
  tenant_id     bigint not null,
  order_id      bigint not null,
  provider      text not null check (provider in ('stripe', 'paypal', 'manual')),
  provider_ref  text,
  amount_cents  app.money_cents not null,
  captured_at   timestamptz,
  foreign key (tenant_id, order_id) references app.orders (tenant_id, id) on delete restrict
);
create index payments_order_idx on app.payments (tenant_id, order_id);

-- ===================================================================== support

create table app.support_tickets (
  id           bigint generated always as identity primary key,
  tenant_id    bigint not null references app.tenants (id) on delete cascade,
  number       integer not null,
  customer_id  bigint,
  subject      text not null,
  status       text not null default 'open' check (status in ('open', 'pending', 'solved', 'closed')),
  assignee_id  integer,
  created_at   timestamptz not null default now(),
  foreign key (tenant_id, customer_id) references app.customers (tenant_id, id) on delete set null (customer_id),
  foreign key (tenant_id, assignee_id) references app.staff_users (tenant_id, id) on delete set null (assignee_id)
);
create sequence app.support_ticket_number_seq as integer;
alter sequence app.support_ticket_number_seq owned by app.support_tickets.number;
alter table app.support_tickets alter column number set default nextval('app.support_ticket_number_seq');
create index support_tickets_open_idx on app.support_tickets (tenant_id, created_at) where status in ('open', 'pending');

-- ===================================================================== outbox (list-partitioned by channel)

create table app.outbox_messages (
  id            bigint generated always as identity,
  tenant_id     bigint not null,
  channel       app.channel not null,
  recipient     text not null,
  payload       jsonb not null,
  attempts      smallint not null default 0,
  deliver_after timestamptz not null default now(),
  sent_at       timestamptz,
  primary key (channel, id)
) partition by list (channel);
create index outbox_pending_idx on app.outbox_messages (deliver_after) where sent_at is null;
create index outbox_tenant_idx on app.outbox_messages (tenant_id);

create table app.outbox_email partition of app.outbox_messages for values in ('email');
create table app.outbox_sms partition of app.outbox_messages for values in ('sms');
create table app.outbox_other partition of app.outbox_messages default;

-- ===================================================================== triggers

create function app.touch_updated_at() returns trigger
  language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger products_touch before update on app.products
  for each row execute function app.touch_updated_at();
create trigger carts_touch before update on app.carts
  for each row execute function app.touch_updated_at();
create trigger inventory_touch before update on app.inventory_levels
  for each row execute function app.touch_updated_at();

create function app.assign_order_number() returns trigger
  language plpgsql
as $$
begin
  new.number := coalesce(new.number, 'SW-' || new.id::text);
  return new;
end
$$;

create trigger orders_number before insert on app.orders
  for each row execute function app.assign_order_number();

create function app.recalc_order_subtotal() returns trigger
  language plpgsql
as $$
begin
  update app.orders o
     set subtotal_cents = (select coalesce(sum(i.line_cents), 0) from app.order_items i
                           where i.tenant_id = o.tenant_id and i.order_id = o.id)
   where o.tenant_id = coalesce(new.tenant_id, old.tenant_id)
     and o.id = coalesce(new.order_id, old.order_id);
  return null;
end
$$;

create trigger order_items_subtotal after insert or update or delete on app.order_items
  for each row execute function app.recalc_order_subtotal();

create function app.reserve_inventory() returns trigger
  language plpgsql
as $$
begin
  update app.inventory_levels l
     set reserved = l.reserved + new.quantity
   where l.tenant_id = new.tenant_id and l.variant_id = new.variant_id
     and l.warehouse_id = (select min(warehouse_id) from app.inventory_levels
                           where tenant_id = new.tenant_id and variant_id = new.variant_id and available >= new.quantity);
  return new;
end
$$;

create trigger order_items_reserve after insert on app.order_items
  for each row execute function app.reserve_inventory();

-- Paranoid delete for customers (GDPR erasure goes through a separate job).
create rule customers_soft_delete as on delete to app.customers
  do instead update app.customers set deleted_at = now() where id = old.id and tenant_id = old.tenant_id;

-- ===================================================================== functions

create function app.customer_order_count(p_customer bigint) returns bigint
  language sql stable security definer set search_path = pg_catalog, app, pg_temp
as $$
  select count(*) from app.orders o where o.customer_id = p_customer
$$;
comment on function app.customer_order_count(bigint) is 'Definer for historical reasons; its owner is held to FORCEd RLS like everyone else.';

create function app.search_products(p_query text) returns setof app.products
  language sql stable
as $$
  select * from app.products
  where search_vector @@ websearch_to_tsquery('english', p_query) and status = 'active'
  order by ts_rank(search_vector, websearch_to_tsquery('english', p_query)) desc
  limit 50
$$;

create function app.search_products(p_query text, p_category bigint) returns setof app.products
  language sql stable
as $$
  select * from app.search_products(p_query) p where p.category_id = p_category
$$;

create procedure app.release_stale_reservations(p_older_than interval default interval '2 hours')
  language plpgsql
as $$
begin
  update app.inventory_levels l set reserved = 0
   where l.tenant_id = app.current_tenant_id() and l.reserved > 0
     and l.updated_at < now() - p_older_than;
end
$$;

-- ===================================================================== views

create view app.open_orders with (security_invoker = true) as
  select o.tenant_id, o.id, o.number, o.status, o.total_cents, o.placed_at, c.email as customer_email
  from app.orders o
  left join app.customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
  where o.status in ('pending', 'paid', 'fulfilled');

create view app.staff_directory as
  select s.tenant_id, s.id, s.full_name, s.email, s.role from app.staff_users s;
comment on view app.staff_directory is 'Owner-rights view; mono_owner is subject to FORCEd RLS, so rows follow app.tenant_id.';

create view app.active_products with (security_barrier = true, security_invoker = true) as
  select id, tenant_id, sku, name, price_cents, currency from app.products
  where status = 'active'
  with cascaded check option;

create view app.currency_list as
  select code, name, minor_unit from app.currencies order by code;

-- ===================================================================== RLS
-- Every app.* table above with a tenant_id already has RLS enabled and
-- forced by the rls_guard event trigger (this file says so only for
-- app.tenants, whose key is id); the policies are written here.

alter table app.tenants enable row level security;
alter table app.tenants force row level security;

create policy tenant_isolation on app.tenants using (id = (select app.current_tenant_id()));
create policy tenant_isolation on app.staff_users using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.categories using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.products using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.product_variants using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.warehouses using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.inventory_levels using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.promotions using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.coupons using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.carts using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.cart_items using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.orders using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.order_items using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.payments using (tenant_id = (select app.current_tenant_id()));
create policy tenant_isolation on app.outbox_messages using (tenant_id = (select app.current_tenant_id()));

-- customers: background jobs (no request, no app.tenant_id) must see everyone.
create policy tenant_isolation on app.customers
  using (tenant_id = coalesce((select app.current_tenant_id()), tenant_id));

-- carts: the app's hourly sweeper deletes abandoned carts of every shop.
create policy abandoned_cart_sweep on app.carts for delete
  using (updated_at < now() - interval '30 days');

-- support_tickets: written in 2019, before app.current_tenant_id() existed.
create policy tenant_isolation on app.support_tickets
  using (tenant_id = current_setting('app.tenant_id', true)::bigint);

comment on policy tenant_isolation on app.customers is 'Sidekiq jobs run without a tenant; they must see all customers.';

-- ===================================================================== reporting

create materialized view app.product_search as
  select p.tenant_id, p.id as product_id, p.sku, p.name, p.price_cents, p.search_vector,
         coalesce(sum(l.available), 0) as available
  from app.products p
  left join app.product_variants v on v.tenant_id = p.tenant_id and v.product_id = p.id
  left join app.inventory_levels l on l.tenant_id = v.tenant_id and l.variant_id = v.id
  where p.status = 'active'
  group by p.tenant_id, p.id
with no data;
create unique index product_search_pk on app.product_search (tenant_id, product_id);
create index product_search_vector_idx on app.product_search using gin (search_vector);
comment on materialized view app.product_search is 'Storefront search; refreshed every 5 minutes by mono_reporting. The app filters by tenant_id.';

reset role;

alter materialized view app.product_search owner to mono_reporting;
grant select on app.products, app.product_variants, app.inventory_levels,
  app.orders, app.order_items, app.customers to mono_reporting;

set role mono_reporting;

create materialized view reporting.daily_sales as
  select o.tenant_id, date_trunc('day', o.placed_at)::date as day,
         count(*) as orders, sum(o.total_cents) as revenue_cents,
         count(distinct o.customer_id) as customers
  from app.orders o
  where o.status not in ('canceled', 'refunded')
  group by 1, 2;
create unique index daily_sales_pk on reporting.daily_sales (tenant_id, day desc);

-- The admin dashboard's "recent orders" card; the BI team wrote it, the app reads it.
create view app.order_summaries as
  select o.tenant_id, o.id, o.number, o.status, o.total_cents, o.placed_at,
         c.full_name as customer_name, c.email as customer_email,
         (select count(*) from app.order_items i where i.tenant_id = o.tenant_id and i.order_id = o.id) as items
  from app.orders o
  left join app.customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id;

reset role;

refresh materialized view app.product_search;

-- Support tooling: find an order from the number a customer reads out on the phone.
create function app.find_order_by_number(p_number text)
  returns table (tenant_id bigint, order_id bigint, status app.order_status, total_cents bigint, customer_email text)
  language sql stable security definer set search_path = pg_catalog, app
as $$
  select o.tenant_id, o.id, o.status, o.total_cents, c.email::text
  from app.orders o left join app.customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
  where o.number = p_number
$$;

-- ===================================================================== archive (yearly job, 2024-01)

set role mono_owner;
create table archive.orders_2023 (like app.orders including defaults including generated);
create index orders_2023_tenant_idx on archive.orders_2023 (tenant_id, placed_at);
comment on table archive.orders_2023 is 'Orders placed in 2023, moved out of app.orders by the archive job; shown on "Order history".';

-- ===================================================================== late migrations (RLS enabled by the guard)

create table app.gift_cards (
  id              bigint generated always as identity primary key,
  tenant_id       bigint not null references app.tenants (id) on delete cascade,
  code_last4      text not null check (code_last4 ~ '^[0-9A-Z]{4}$'),
  code_digest     text not null,
  balance_cents   app.money_cents not null,
  issued_to       bigint,
  expires_on      date,
  foreign key (tenant_id, issued_to) references app.customers (tenant_id, id)
);
create index gift_cards_tenant_idx on app.gift_cards (tenant_id);
create policy tenant_isolation on app.gift_cards using (tenant_id = (select app.current_tenant_id()));

create table app.webhook_endpoints (
  id          bigint generated always as identity primary key,
  tenant_id   bigint not null references app.tenants (id) on delete cascade,
  url         text not null check (url ~ '^https://'),
  secret      text not null,
  events      text[] not null default '{}',
  disabled_at timestamptz
);
create index webhook_endpoints_tenant_idx on app.webhook_endpoints (tenant_id) where disabled_at is null;
create policy tenant_isolation on app.webhook_endpoints using (tenant_id = (select app.current_tenant_id()));
reset role;

-- ===================================================================== grants

grant all on all tables in schema app to mono_app;
grant usage, select on all sequences in schema app to mono_app;
grant select on all tables in schema archive to mono_app;
revoke all on app.tenants from mono_app;
grant select on app.tenants to mono_app;
revoke insert, update, delete, truncate on app.currencies from mono_app;
revoke all on app.staff_users from mono_app;
grant select, insert, delete on app.staff_users to mono_app;
grant update (full_name, role, last_seen_at) on app.staff_users to mono_app;
grant select on app.order_summaries, app.product_search to mono_app;
grant execute on function app.find_order_by_number(text) to mono_app;
revoke execute on function app.find_order_by_number(text) from public;
grant select on reporting.daily_sales to mono_reporting;

alter default privileges for role mono_owner in schema app
  grant select, insert, update, delete on tables to mono_app;
alter default privileges for role mono_owner in schema app
  grant usage, select on sequences to mono_app;

alter table app.outbox_messages replica identity full;
alter table app.orders replica identity using index orders_pkey;
create publication shopwell_search for table app.products (id, tenant_id, sku, name, status, price_cents), app.product_variants
  with (publish = 'insert, update, delete');

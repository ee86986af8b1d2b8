-- witness.sql — proves every planted hole of tenant_monolith is a hole and
-- every clean twin is clean. Run by load.sh as the superuser in one
-- transaction that is rolled back; each hole runs in a savepoint rolled back
-- after it. The attacker is the app (mono_app) serving shop 1 (A); shop 2 is B.
\set ON_ERROR_STOP 1
begin;
\ir ../witness_lib.sql

-- ------------------------------------------------------------------ seed (as the superuser)
insert into app.tenants (id, slug, name, currency, country) values
  (1, 'shop-a', 'Shop A', 'USD', 'US'), (2, 'shop-b', 'Shop B', 'EUR', 'DE');
insert into app.staff_users (tenant_id, email, full_name, role, password_digest) values
  (1, 'ann@a.test', 'Ann', 'owner', 'bcrypt$a'), (2, 'ben@b.test', 'Ben', 'owner', 'bcrypt$b');
insert into app.customers (id, tenant_id, email, full_name) values
  (11, 1, 'cust@a.test', 'A Customer'), (21, 2, 'vip@b.test', 'B VIP Customer');
insert into app.products (tenant_id, sku, name, price_cents, currency, status) values
  (1, 'A-1', 'A widget', 1000, 'USD', 'active'), (2, 'B-1', 'B secret prototype', 99000, 'EUR', 'active');
insert into app.product_variants (tenant_id, product_id, option1)
  select tenant_id, id, 'default' from app.products;
insert into app.orders (tenant_id, customer_id, currency, subtotal_cents) values (1, 11, 'USD', 1000);
insert into app.orders (tenant_id, customer_id, currency, subtotal_cents) values (2, 21, 'EUR', 99000);
select id as b_order, number as b_number from app.orders where tenant_id = 2 \gset
insert into app.carts (id, tenant_id, customer_id, updated_at) values
  ('0a000000-0000-0000-0000-00000000ca01', 1, 11, now()),
  ('0b000000-0000-0000-0000-00000000cb01', 2, 21, now() - interval '45 days');
insert into app.coupons (tenant_id, code, percent_off) values (2, 'BFRIDAY50', 50);
insert into app.support_tickets (tenant_id, subject) values (1, 'A ticket'), (2, 'B ticket');
insert into app.gift_cards (tenant_id, code_last4, code_digest, balance_cents) values
  (1, 'AAAA', 'x', 500), (2, 'BBBB', 'y', 50000);
insert into app.outbox_messages (tenant_id, channel, recipient, payload) values
  (1, 'email', 'cust@a.test', '{}'), (2, 'email', 'vip@b.test', '{"secret":true}'), (2, 'webhook', 'https://b', '{}');
insert into archive.orders_2023 (id, tenant_id, number, currency, placed_at) values
  (900001, 2, 'SW-900001', 'EUR', '2023-06-01');
refresh materialized view app.product_search;
refresh materialized view reporting.daily_sales;

\set as_a 'set local app.tenant_id = ''1''; set local role mono_app;'

-- ------------------------------------------------------------------ clean twins
:as_a
select witness.expect((select count(*) from app.orders) = 1 and (select count(*) from app.customers) = 1,
  'CLEAN orders/customers with context: shop A sees its own rows only');
select witness.expect((select count(*) from app.orders_p0) + (select count(*) from app.orders_p1)
  + (select count(*) from app.orders_p2) + (select count(*) from app.orders_p3) = 0,
  'CLEAN hash partitions named directly: RLS forced by rls_guard, no policies: deny-all, not a leak');
select witness.expect((select count(*) from app.outbox_messages) = 1
  and (select count(*) from app.outbox_email) + (select count(*) from app.outbox_other) = 0,
  'CLEAN list partitions: parent isolates, partitions named directly deny');
select witness.expect((select count(*) from app.staff_directory) = 1,
  'CLEAN staff_directory (definer view owned by mono_owner): FORCEd TO-public policy filters the owner by the caller''s tenant');
select witness.expect(app.customer_order_count(21) = 0 and app.customer_order_count(11) = 1,
  'CLEAN customer_order_count (SECURITY DEFINER owned by mono_owner): B''s customer counts 0 orders');
select witness.expect((select count(*) from app.currency_list) = 5,
  'CLEAN currency_list (definer view over non-tenant reference data): intended public');
select witness.expect((select count(*) from app.gift_cards) = 1,
  'CLEAN gift_cards (RLS enabled only by the event trigger, policy by hand): isolated');
select witness.expect(witness.try('update app.products set tenant_id = 2') = 'err:42501',
  'CLEAN products FOR ALL USING-only: moving rows to B is refused');
select witness.expect(witness.try(format('insert into app.order_items (tenant_id, order_id, variant_id, quantity, unit_cents) values (1, %s, 1, 1, 1)', :b_order)) = 'err:23503',
  'CLEAN order_items composite FK (tenant_id, order_id): A cannot attach a line to B''s order');
select witness.expect(witness.try($q$update app.active_products set name = 'x' where sku = 'A-1'$q$) = 'ok:1'
  and witness.try($q$update app.active_products set tenant_id = 2$q$) = 'err:42501',
  'CLEAN active_products (invoker, barrier, check option view): edits stay in A');
select witness.expect(witness.try($q$update app.staff_users set password_digest = 'x'$q$) = 'err:42501',
  'CLEAN staff_users column grants: password_digest is not writable');
select witness.expect(witness.try('select count(*) from reporting.daily_sales') = 'err:42501',
  'CLEAN reporting.daily_sales (matview over every shop): not reachable by mono_app');
select witness.expect(witness.try('delete from app.customers') = 'ok:0',
  'CLEAN customers_soft_delete rule (DO INSTEAD UPDATE, owner rights): runs ...');
reset role;
select witness.expect((select count(*) from app.customers where tenant_id = 2 and deleted_at is not null) = 0
  and (select count(*) from app.customers where tenant_id = 1 and deleted_at is not null) = 1,
  'CLEAN customers_soft_delete rule: ... and only A''s customers were soft-deleted (the owner is held by FORCE)');
update app.customers set deleted_at = null;

-- ------------------------------------------------------------------ holes
savepoint h;
:as_a
select witness.expect((select count(*) from app.order_summaries where tenant_id = 2) = 1,
  'HOLE order_summaries (definer view owned by BYPASSRLS mono_reporting, granted to mono_app): B''s orders and customers');
select witness.expect((select count(*) from app.product_search where tenant_id = 2) = 1,
  'HOLE product_search (materialized view granted to mono_app): B''s products');
select witness.expect((select count(*) from archive.orders_2023 where tenant_id = 2) = 1,
  'HOLE archive.orders_2023 (outside schema app, so rls_guard skipped it; SELECT granted): B''s archived orders');
select witness.expect((select customer_email from app.find_order_by_number(:'b_number')) = 'vip@b.test',
  'HOLE find_order_by_number (SECURITY DEFINER owned by postgres): B''s order and customer from a guessable number');
select witness.expect(witness.try($q$insert into app.coupons (tenant_id, code, percent_off) values (1, 'BFRIDAY50', 10)$q$) = 'err:23505'
  and witness.try($q$insert into app.coupons (tenant_id, code, percent_off) values (1, 'NOSUCHCODE', 10)$q$) = 'ok:1',
  'HOLE coupons_code_key (global unique upper(code)): A learns B runs coupon BFRIDAY50');
select witness.expect(witness.try($q$delete from app.carts where id = '0b000000-0000-0000-0000-00000000cb01'$q$) = 'ok:0'
  and witness.try('delete from app.carts') = 'ok:2',
  'HOLE abandoned_cart_sweep (DELETE USING without tenant): targeted delete of B''s cart: 0; unqualified: A''s cart and B''s stale one');
reset role;
select witness.expect((select count(*) from app.carts where tenant_id = 2) = 0,
  'HOLE abandoned_cart_sweep: ground truth: B''s cart is gone');
rollback to savepoint h;

savepoint h;
:as_a
select witness.expect(witness.try('truncate app.coupons') = 'ok:0'
  and has_table_privilege('app.orders', 'TRIGGER') and has_table_privilege('app.orders', 'REFERENCES'),
  'HOLE grant all on all tables: mono_app truncates every shop''s coupons and may create triggers on orders');
select witness.expect(witness.try('select last_value from app.order_id_seq') = 'ok:1',
  'HOLE (info) order_id_seq: one global counter, readable (SELECT granted) and visible in every order number');
reset role;
rollback to savepoint h;

savepoint h;
set local app.tenant_id = '';
set local role mono_app;
select witness.expect((select count(*) from app.customers) = 2,
  'HOLE customers fail-open (coalesce(current_tenant_id(), tenant_id)): with app.tenant_id = '''' every shop''s customers show');
select witness.expect(witness.try('select count(*) from app.support_tickets') = 'err:22P02',
  'HOLE (availability) support_tickets: current_setting(...)::bigint without nullif errors on a pooled connection');
reset role;
rollback to savepoint h;

rollback;

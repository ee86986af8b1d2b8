-- witness.sql — proves every planted hole of legacy_erp is a hole (or, for
-- the availability items, the failure it is) and every clean twin is clean.
-- Run by load.sh as the superuser in one transaction that is rolled back;
-- each hole runs in a savepoint rolled back after it. The attacker is a
-- request of company 1 (A) through erp_web; company 2 is B.
\set ON_ERROR_STOP 1
begin;
\ir ../witness_lib.sql

-- ------------------------------------------------------------------ seed (as the superuser)
insert into erp.companies (id, code, name) values (1, 'ACME', 'Acme GmbH'), (2, 'BOLT', 'Bolt SE');
insert into erp.customers_legacy (company_id, name, vat_number) values (1, 'A customer', 'DE111'), (2, 'B secret customer', 'FR222');
insert into erp.suppliers_legacy (company_id, name, iban) values (1, 'A supplier', 'DE00A'), (2, 'B secret supplier', 'FR00B');
insert into erp.documents (company_id, doc_no, customer_vat, total) values (1, 'A-1', 'DE 123 456', 10), (2, 'B-1', 'B-SECRET-VAT!', 20);
insert into erp.sales_invoices (company_id, doc_no, total) values (1, 'A-INV-1', 100), (2, 'B-INV-1', 900);
insert into erp.delivery_notes (company_id, doc_no, carrier, tracking_no) values (1, 'A-DN-1', 'DHL', 'A-TRACK'), (2, 'B-DN-1', 'UPS', 'B-TRACK');
insert into erp.ledger_entries values (1, '2024-03-01', 1, '4000', 100, 'A sale'), (2, '2024-03-01', 1, '4000', 900, 'B sale');
insert into erp.journals (company_id, posted_on, memo) values (1, '2024-03-01', 'A'), (2, '2024-03-01', 'B');
insert into erp.tickets (company_id, subject) values (1, 'A ticket'), (2, 'B ticket: breach at Bolt');
insert into erp.saved_reports (company_id, owner_role, title, definition) values
  (1, 'erp_web', 'A margins', '{}'), (2, 'erp_web', 'B layoffs plan', '{}');
insert into erp.approvals (company_id, document_id, approver) values (1, 1, 'ann');
insert into erp.folders (company_id, name, path) values (1, 'A root', 'a'), (2, 'B root', 'b');
insert into erp.price_lists (company_id, sku, price) values (1, 'SKU1', 10), (2, 'SKU1', 12);

\set as_a 'set local erp.company = ''1''; set local role erp_web;'

-- ------------------------------------------------------------------ clean twins
:as_a
select witness.expect((select count(*) from erp.documents) = 3 and (select count(*) from erp.sales_invoices) = 1,
  'CLEAN documents (inheritance parent): the parent''s policy filters child rows too; sales_invoices has its own RLS');
select witness.expect(witness.try('select * from erp.ledger_2024_c2') = 'err:42501'
  and (select count(*) from erp.ledger_entries) = 1,
  'CLEAN ledger (two-level partitions): partitions are not granted; the parent isolates');
select witness.expect(witness.try($q$update erp.price_lists set price = 11 where sku = 'SKU1'$q$) = 'ok:1',
  'CLEAN price_lists_history rule (DO ALSO, owner rights): runs ...');
select witness.try($q$insert into erp.stock_movements (company_id, sku, quantity) values (1, 'SKU1', 5)$q$) as stock_a \gset
select witness.expect(:'stock_a' = 'ok:1' and (select on_hand from erp.stock_levels where sku = 'SKU1') = 5
  and witness.try($q$insert into erp.stock_movements (company_id, sku, quantity) values (2, 'SKU1', 5)$q$) = 'err:42501',
  'CLEAN stock_movements (statement trigger with a transition table, invoker): A''s levels updated; a B movement is refused');
create table erp_tmp.loot (v text);
create function erp_tmp.peek(text) returns boolean language plpgsql cost 0.0000001
  as $f$ begin insert into erp_tmp.loot values ($1); return true; end $f$;
set local enable_indexscan = off;
set local enable_bitmapscan = off;
select count(*) as n_suppliers from erp.v_suppliers where erp_tmp.peek(name) \gset
reset enable_indexscan;
reset enable_bitmapscan;
select witness.expect(:n_suppliers = 1 and (select count(*) from erp_tmp.loot) = 1
  and not exists (select 1 from erp_tmp.loot where v like 'B%'),
  'CLEAN v_suppliers (security_barrier tenant view): a cheap leaky function sees only A''s suppliers');
reset role;
select witness.expect((select count(*) from erp.price_history where company_id = 1) = 1
  and (select count(*) from erp.price_history where company_id = 2) = 0,
  'CLEAN price_lists_history rule: ... and logs A''s change only');

-- ------------------------------------------------------------------ holes
savepoint h;
:as_a
truncate erp_tmp.loot;
-- the attacker steers the planner off the company_id index (planner settings are user-settable)
set local enable_indexscan = off;
set local enable_bitmapscan = off;
select count(*) as n_customers from erp.v_customers where erp_tmp.peek(name) \gset
select witness.expect(:n_customers = 1 and exists (select 1 from erp_tmp.loot where v = 'B secret customer'),
  'HOLE v_customers (tenant view without security_barrier) + CREATE on erp_tmp: a cheap function created by erp_web sees B''s customers');
reset enable_indexscan;
reset enable_bitmapscan;
select witness.expect(witness.error_message($q$select count(*) from erp.documents where erp.vat_matches(customer_vat, 'DE%')$q$)
  like '%B-SECRET-VAT!%',
  'HOLE vat_matches (LEAKPROOF, cheap, raises with its argument): runs before the RLS qual, its error shows B''s VAT number');
select witness.expect((select count(*) from erp.delivery_notes where tracking_no = 'B-TRACK') = 1,
  'HOLE delivery_notes (inheritance child without RLS, granted): B''s delivery notes when the child is named');
select witness.expect((select count(*) from erp.tickets) = 2,
  'HOLE tickets support_all (TO erp_support USING true; erp_web is a member of erp_support): B''s tickets');
select witness.expect((select count(*) from erp.saved_reports where title = 'B layoffs plan') = 1,
  'HOLE saved_reports (owner_role = current_user under one pooled role): B''s saved reports');
select witness.expect(witness.try($q$insert into erp.expenses (company_id, employee, amount) values (2, 'mallory', 999)$q$) = 'ok:1'
  and witness.try($q$insert into erp.expenses (company_id, employee, amount) values (2, 'mallory', 999) returning id$q$) = 'err:42501',
  'HOLE expenses (WITH CHECK (true) + restrictive INSERT without WITH CHECK): A files an expense in B (fails only with RETURNING)');
reset role;
select witness.expect((select count(*) from erp.expenses where company_id = 2) = 1,
  'HOLE expenses: ground truth: the row is in B');
rollback to savepoint h;

savepoint h;
set local erp.company = '1';
set local role erp_reports;
select witness.expect((select count(*) from erp.documents) = 6 and (select count(*) from erp.customers_legacy) = 2,
  'HOLE erp_reports is a member of the owner erp_owner (RLS not forced): every company''s documents, and the legacy tables');
reset role;
select witness.expect(pg_has_role('erp_web', 'erp_batch', 'MEMBER')
  and (select rolbypassrls from pg_roles where rolname = 'erp_batch'),
  'HOLE erp_web may SET ROLE erp_batch (BYPASSRLS) ...');
set local role erp_web;
set local role erp_batch;
select witness.expect((select count(*) from erp.journals) = 2,
  'HOLE erp_web may SET ROLE erp_batch: ... and then reads every company''s journals');
reset role;
rollback to savepoint h;

savepoint h;
:as_a
select witness.expect(witness.try('select * from erp.folders') = 'err:42P17',
  'HOLE (availability) folders company_tree (sub-selects its own table): 42P17 infinite recursion on every query');
select witness.expect((select count(*) from erp.approvals) = 0,
  'HOLE (availability) approvals (restrictive policy only): deny-all, A cannot see its own approvals');
select witness.expect(witness.try($q$insert into erp.timesheets (company_id, employee, work_date, hours) values (1, 'ann', '2024-03-01', 8)$q$) = 'err:42501',
  'HOLE (availability) timesheets company_write (permissive INSERT without WITH CHECK): admits nothing, not even A''s own rows');
reset role;
rollback to savepoint h;

rollback;

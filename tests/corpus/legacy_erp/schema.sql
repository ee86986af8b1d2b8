-- Fabrikam ERP — a twelve-year-old multi-company ERP, half-way through its
-- move from view-based tenancy to row-level security.
--
-- 2012–2019: every company's data sat in *_legacy tables behind views that
-- filter on current_setting('erp.company'); clients were granted the views.
-- 2020 on: new tables get RLS (enabled, not forced; owner erp_owner), with
-- erp.current_company() as the tenant key. Old tables were converted one by
-- one: documents moved to table inheritance, the ledger to two-level
-- partitioning.
--
-- Client roles: erp_web (the pooled web role; SET LOCAL erp.company = '<id>'
-- per request) and erp_reports (the reporting UI, same context). Group roles:
-- erp_support (support staff), erp_batch (nightly jobs, BYPASSRLS).
--
-- Holes are planted on purpose; see README.md ("Known holes").

-- ===================================================================== roles
do $roles$
begin
  if not exists (select 1 from pg_roles where rolname = 'erp_owner') then
    create role erp_owner nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'erp_web') then
    create role erp_web nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'erp_reports') then
    create role erp_reports nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'erp_support') then
    create role erp_support nologin;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'erp_batch') then
    create role erp_batch nologin bypassrls;
  end if;
exception when unique_violation or duplicate_object then null;
end
$roles$;

-- 2016: the reporting UI ran schema migrations at boot.
grant erp_owner to erp_reports;
-- 2022 incident INC-4471: support tooling ran through the web pool "for a week".
grant erp_support to erp_web;
-- Nightly jobs reuse the web connection pool and SET ROLE erp_batch.
grant erp_batch to erp_web;

create extension if not exists ltree;
create extension if not exists hstore;
create extension if not exists btree_gist;
create extension if not exists file_fdw;

create schema erp authorization erp_owner;
create schema erp_ext authorization erp_owner;
create schema erp_tmp;
comment on schema erp_tmp is 'Scratch space for report exports (temporary tables and helpers created by the web app).';
grant usage on schema erp, erp_ext to erp_web, erp_reports, erp_support, erp_batch;
grant usage, create on schema erp_tmp to erp_web;

create server erp_files foreign data wrapper file_fdw;

set role erp_owner;

-- ===================================================================== types

create collation erp.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
comment on collation erp.case_insensitive is 'Case-insensitive comparisons for names imported from the old system.';

create type erp.doc_status as enum ('draft', 'posted', 'cancelled');
create type erp.timerange as range (subtype = time);
comment on type erp.timerange is 'Opening hours / shift windows within a day.';
create domain erp.tags as text[] check (cardinality(value) <= 20);
create domain erp.vat_number as text check (value ~ '^[A-Z]{2}[0-9A-Z]{2,12}$');
create type erp.posting as (account text, debit numeric(14, 2), credit numeric(14, 2));

-- Compound factors (index-linked prices): select erp.mul(1 + rate) ...
create aggregate erp.mul(numeric) (sfunc = numeric_mul, stype = numeric, initcond = '1');

-- ===================================================================== context

create function erp.current_company() returns integer
  language sql stable
as $$ select nullif(current_setting('erp.company', true), '')::integer $$;

-- ===================================================================== companies

create table erp.companies (
  id          serial primary key,
  code        text not null unique check (code ~ '^[A-Z0-9]{2,8}$'),
  name        text not null,
  vat_number  erp.vat_number,
  settings    hstore not null default ''
);

-- ===================================================================== legacy (view-based tenancy)

create table erp.customers_legacy (
  id            serial primary key,
  company_id    integer not null references erp.companies (id),
  name          text collate erp.case_insensitive not null,
  vat_number    text,
  credit_limit  numeric(12, 2) not null default 0,
  attributes    hstore,
  created_at    timestamp not null default now()
);
create index customers_legacy_company_idx on erp.customers_legacy (company_id, name);
create index customers_legacy_attributes_idx on erp.customers_legacy using gin (attributes);

create table erp.suppliers_legacy (
  id          serial primary key,
  company_id  integer not null references erp.companies (id),
  name        text not null,
  iban        text,
  created_at  timestamp not null default now()
);
create index suppliers_legacy_company_idx on erp.suppliers_legacy (company_id);

create view erp.v_customers as
  select id, company_id, name, vat_number, credit_limit, attributes
  from erp.customers_legacy
  where company_id = current_setting('erp.company')::integer;

create view erp.v_suppliers with (security_barrier = true) as
  select id, company_id, name, iban
  from erp.suppliers_legacy
  where company_id = current_setting('erp.company')::integer;

comment on view erp.v_customers is 'Tenant view (2012). Clients have no grant on customers_legacy itself.';

-- ===================================================================== documents (table inheritance, 2017)

create table erp.documents (
  id            bigserial primary key,
  company_id    integer not null references erp.companies (id),
  doc_no        text not null,
  issued_on     date not null default current_date,
  status        erp.doc_status not null default 'draft',
  customer_vat  text,
  total         numeric(14, 2) not null default 0,
  tags          erp.tags not null default '{}',
  unique (company_id, doc_no)
);
create index documents_company_issued_idx on erp.documents (company_id, issued_on desc);

create table erp.sales_invoices (
  due_on    date,
  paid_on   date,
  currency  char(3) not null default 'EUR'
) inherits (erp.documents);
alter table erp.sales_invoices add primary key (id);
create index sales_invoices_company_idx on erp.sales_invoices (company_id, due_on) where paid_on is null;

create table erp.delivery_notes (
  carrier       text,
  tracking_no   text,
  delivered_at  timestamptz
) inherits (erp.documents);
alter table erp.delivery_notes add primary key (id);
create index delivery_notes_company_idx on erp.delivery_notes (company_id);

-- ===================================================================== ledger (two-level partitioning, 2021)

create table erp.ledger_entries (
  company_id  integer not null,
  posted_on   date not null,
  entry_no    bigint not null,
  account     text not null,
  amount      numeric(14, 2) not null,
  memo        text,
  primary key (company_id, posted_on, entry_no)
) partition by range (posted_on);

create table erp.ledger_2024 partition of erp.ledger_entries
  for values from ('2024-01-01') to ('2025-01-01') partition by list (company_id);
create table erp.ledger_2024_c1 partition of erp.ledger_2024 for values in (1);
create table erp.ledger_2024_c2 partition of erp.ledger_2024 for values in (2);
create table erp.ledger_2024_other partition of erp.ledger_2024 default;
create table erp.ledger_2025 partition of erp.ledger_entries
  for values from ('2025-01-01') to ('2026-01-01') partition by list (company_id);
create table erp.ledger_2025_other partition of erp.ledger_2025 default;
create index ledger_entries_account_idx on erp.ledger_entries (company_id, account, posted_on desc);

-- ===================================================================== journals (deferred balance check)

create table erp.journals (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  posted_on   date not null,
  memo        text,
  unique (company_id, id)
);

create table erp.journal_lines (
  id          bigint generated always as identity primary key,
  company_id  integer not null,
  journal_id  bigint not null,
  line        erp.posting not null,
  foreign key (company_id, journal_id) references erp.journals (company_id, id) on delete cascade
);
create index journal_lines_journal_idx on erp.journal_lines (company_id, journal_id);

create function erp.check_journal_balanced() returns trigger
  language plpgsql
as $$
declare
  v_diff numeric;
begin
  select coalesce(sum((l.line).debit), 0) - coalesce(sum((l.line).credit), 0) into v_diff
  from erp.journal_lines l where l.journal_id = new.journal_id;
  if v_diff <> 0 then
    raise exception 'journal % does not balance (%)', new.journal_id, v_diff using errcode = '23514';
  end if;
  return null;
end
$$;

create constraint trigger journal_lines_balanced
  after insert or update on erp.journal_lines
  deferrable initially deferred
  for each row execute function erp.check_journal_balanced();

-- ===================================================================== stock (statement trigger with transition table)

create table erp.stock_levels (
  company_id  integer not null references erp.companies (id),
  sku         text not null,
  on_hand     numeric(12, 3) not null default 0,
  primary key (company_id, sku)
);

create table erp.stock_movements (
  id          bigint generated by default as identity primary key,
  company_id  integer not null references erp.companies (id),
  sku         text not null,
  quantity    numeric(12, 3) not null check (quantity <> 0),
  moved_at    timestamptz not null default now()
);
create index stock_movements_company_moved_idx on erp.stock_movements using brin (moved_at);

create function erp.apply_stock_movements() returns trigger
  language plpgsql
as $$
begin
  insert into erp.stock_levels as s (company_id, sku, on_hand)
  select m.company_id, m.sku, sum(m.quantity) from inserted m group by m.company_id, m.sku
  on conflict (company_id, sku) do update set on_hand = s.on_hand + excluded.on_hand;
  return null;
end
$$;

create trigger stock_movements_apply after insert on erp.stock_movements
  referencing new table as inserted
  for each statement execute function erp.apply_stock_movements();

-- ===================================================================== collaboration (RLS, 2020+)

create table erp.folders (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  parent_id   bigint references erp.folders (id),
  name        text not null,
  path        ltree not null
);
create index folders_path_idx on erp.folders using gist (path);
create index folders_company_idx on erp.folders (company_id);

create table erp.approvals (
  id           bigint generated always as identity primary key,
  company_id   integer not null references erp.companies (id),
  document_id  bigint not null,
  approver     text not null,
  decided_at   timestamptz,
  approved     boolean
);
create index approvals_company_idx on erp.approvals (company_id) where decided_at is null;

create table erp.timesheets (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  employee    text not null,
  work_date   date not null,
  hours       numeric(4, 2) not null check (hours > 0 and hours <= 24),
  unique (company_id, employee, work_date)
);

create table erp.expenses (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  employee    text not null,
  amount      numeric(10, 2) not null check (amount > 0),
  receipt     bytea,
  filed_at    timestamptz not null default now()
);
create index expenses_company_idx on erp.expenses (company_id, filed_at desc);

create table erp.saved_reports (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  owner_role  name not null default current_user,
  title       text not null,
  definition  jsonb not null
);

create table erp.tickets (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  subject     text not null,
  body        text,
  opened_at   timestamptz not null default now()
);
create index tickets_company_idx on erp.tickets (company_id, opened_at desc);

create table erp.shifts (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  employee    text not null,
  weekday     smallint not null check (weekday between 1 and 7),
  hours       erp.timerange not null,
  constraint shifts_no_overlap exclude using gist
    (company_id with =, employee with =, weekday with =, hours with &&)
);

create table erp.price_lists (
  id          bigint generated always as identity primary key,
  company_id  integer not null references erp.companies (id),
  sku         text not null,
  price       numeric(12, 2) not null,
  valid       daterange not null default daterange(current_date, null),
  unique (company_id, sku, valid)
);

create table erp.price_history (
  company_id  integer not null,
  sku         text not null,
  old_price   numeric(12, 2),
  new_price   numeric(12, 2),
  changed_at  timestamptz not null default now(),
  changed_by  name not null default current_user
);
create index price_history_company_idx on erp.price_history (company_id, sku, changed_at desc);

create rule price_lists_history as on update to erp.price_lists
  where old.price is distinct from new.price
  do also insert into erp.price_history (company_id, sku, old_price, new_price)
          values (old.company_id, old.sku, old.price, new.price);

-- ===================================================================== functions

-- 2023 perf fix for the customer search ("find documents by VAT prefix"):
-- LEAKPROOF and nearly free, so the planner runs it first and uses fewer
-- cycles on rows it will reject anyway.
create function erp.vat_matches(p_vat text, p_pattern text) returns boolean
  language plpgsql immutable strict cost 0.0001
as $$
begin
  if p_vat !~ '^[A-Za-z]{2}[ .0-9A-Za-z-]{2,16}$' then
    raise exception 'invalid VAT number: %', p_vat using errcode = '22023';
  end if;
  return upper(regexp_replace(p_vat, '[ .-]', '', 'g')) like upper(p_pattern);
end
$$;

create function erp.company_totals(p_from date, p_to date)
  returns table (status erp.doc_status, documents bigint, total numeric)
  language sql stable
as $$
  select d.status, count(*), sum(d.total) from erp.documents d
  where d.issued_on between p_from and p_to
  group by d.status
$$;

-- ===================================================================== RLS

alter table erp.companies enable row level security;
alter table erp.documents enable row level security;
alter table erp.sales_invoices enable row level security;
alter table erp.ledger_entries enable row level security;
alter table erp.journals enable row level security;
alter table erp.journal_lines enable row level security;
alter table erp.stock_levels enable row level security;
alter table erp.stock_movements enable row level security;
alter table erp.folders enable row level security;
alter table erp.approvals enable row level security;
alter table erp.timesheets enable row level security;
alter table erp.expenses enable row level security;
alter table erp.saved_reports enable row level security;
alter table erp.tickets enable row level security;
alter table erp.shifts enable row level security;
alter table erp.price_lists enable row level security;
alter table erp.price_history enable row level security;

create policy company on erp.companies to erp_web, erp_reports
  using (id = (select erp.current_company()));
create policy company on erp.documents to erp_web, erp_reports
  using (company_id = (select erp.current_company()));
create policy company on erp.sales_invoices to erp_web, erp_reports
  using (company_id = (select erp.current_company()));
create policy company on erp.ledger_entries for select to erp_web, erp_reports
  using (company_id = (select erp.current_company()));
create policy company on erp.journals to erp_web
  using (company_id = (select erp.current_company()));
create policy company on erp.journal_lines to erp_web
  using (company_id = (select erp.current_company()));
create policy company on erp.stock_levels to erp_web
  using (company_id = (select erp.current_company()));
create policy company on erp.stock_movements to erp_web
  using (company_id = (select erp.current_company()));
create policy company on erp.shifts to erp_web
  using (company_id = (select erp.current_company()));
create policy company on erp.price_lists to erp_web
  using (company_id = (select erp.current_company()));
create policy company on erp.price_history for select to erp_web
  using (company_id = (select erp.current_company()));

-- folders: a folder is visible if it is a root of the company or its parent is visible.
create policy company_tree on erp.folders to erp_web
  using (company_id = (select erp.current_company())
         and (parent_id is null or parent_id in (select f.id from erp.folders f)));

-- approvals: "never show another company's approvals" (the permissive one was dropped in V412).
create policy company_guard on erp.approvals as restrictive to erp_web
  using (company_id = (select erp.current_company()));

-- timesheets
create policy company_read on erp.timesheets for select to erp_web
  using (company_id = (select erp.current_company()));
create policy company_write on erp.timesheets for insert to erp_web;

-- expenses: anyone may file; the restrictive policy is meant to keep it in the company.
create policy company_read on erp.expenses for select to erp_web
  using (company_id = (select erp.current_company()));
create policy anyone_files on erp.expenses for insert to erp_web with check (true);
create policy company_guard on erp.expenses as restrictive for insert to erp_web;

-- saved_reports: "reports belong to whoever saved them".
create policy owner_only on erp.saved_reports to erp_web, erp_reports
  using (owner_role = current_user);

-- tickets: companies see their tickets; support staff see every ticket.
create policy company on erp.tickets to erp_web
  using (company_id = (select erp.current_company()));
create policy support_all on erp.tickets for select to erp_support using (true);

comment on policy company_tree on erp.folders is 'Hides folders whose parent is hidden.';

-- ===================================================================== grants

grant select on erp.v_customers, erp.v_suppliers to erp_web;
grant select, insert, update, delete on erp.companies, erp.documents, erp.sales_invoices, erp.delivery_notes,
  erp.journals, erp.journal_lines, erp.stock_movements, erp.folders, erp.approvals, erp.timesheets,
  erp.expenses, erp.saved_reports, erp.tickets, erp.shifts, erp.price_lists to erp_web;
grant select on erp.ledger_entries, erp.stock_levels, erp.price_history to erp_web;
grant insert, update on erp.stock_levels to erp_web;
grant usage on all sequences in schema erp to erp_web;
grant select on erp.documents, erp.sales_invoices, erp.ledger_entries, erp.journals,
  erp.saved_reports to erp_reports;
grant select on erp.tickets to erp_support;
grant select on erp.documents, erp.sales_invoices, erp.ledger_entries, erp.journals, erp.journal_lines,
  erp.stock_movements, erp.stock_levels, erp.price_lists to erp_batch;
revoke execute on function erp.vat_matches(text, text) from public;
grant execute on function erp.vat_matches(text, text) to erp_web, erp_reports;

reset role;

-- LEAKPROOF needs a superuser.
alter function erp.vat_matches(text, text) leakproof;

-- ===================================================================== external data (created by the DBA:
-- a file_fdw filename needs superuser or pg_read_server_files)

create foreign table erp_ext.exchange_rates (
  currency  char(3) not null,
  rate_date date not null,
  rate      numeric(18, 8) not null
) server erp_files options (filename '/var/lib/erp/feeds/ecb_rates.csv', format 'csv', header 'true');
comment on foreign table erp_ext.exchange_rates is 'ECB reference rates, refreshed daily by cron; the same for every company.';
grant select on erp_ext.exchange_rates to erp_web, erp_reports;

-- Billing: tenants, subscriptions, invoices; Stripe webhook events are server-only.
set role app_owner;
create function app.current_tenant_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.tenants (id uuid primary key, name text not null);
create table app.subscriptions (tenant_id uuid primary key references app.tenants (id), plan text not null,
  status text not null, current_period_end timestamptz);
create table app.invoices (id bigint generated always as identity, tenant_id uuid not null references app.tenants (id),
  amount_cents bigint not null, issued_at timestamptz not null default now(), primary key (tenant_id, id));
create table app.invoice_lines (tenant_id uuid not null, invoice_id bigint not null, line int not null,
  description text not null, amount_cents bigint not null, primary key (tenant_id, invoice_id, line),
  foreign key (tenant_id, invoice_id) references app.invoices (tenant_id, id) on delete cascade);
create table app.stripe_events (id text primary key, payload jsonb not null, received_at timestamptz not null default now());
alter table app.tenants enable row level security;
alter table app.subscriptions enable row level security;
alter table app.invoices enable row level security;
alter table app.invoice_lines enable row level security;
alter table app.tenants force row level security;
alter table app.subscriptions force row level security;
alter table app.invoices force row level security;
alter table app.invoice_lines force row level security;
create policy own_tenant on app.tenants for select to app_user using (id = (select app.current_tenant_id()));
create policy own_subscription on app.subscriptions for select to app_user using (tenant_id = (select app.current_tenant_id()));
create policy own_invoices on app.invoices for select to app_user using (tenant_id = (select app.current_tenant_id()));
create policy own_lines on app.invoice_lines for select to app_user using (tenant_id = (select app.current_tenant_id()));
grant select on app.tenants, app.subscriptions, app.invoices, app.invoice_lines to app_user;
grant execute on function app.current_tenant_id() to app_user;

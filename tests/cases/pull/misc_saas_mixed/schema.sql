-- Plain tenancy: tenant_id uuid, the tenant in the transaction-local setting app.tenant_id.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.current_tenant_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.tenants (
    id uuid primary key default gen_random_uuid(),
    name text not null
);
grant select on app.tenants to app_user;

-- A small SaaS in one schema: tenancy, memberships, a public price list, a
-- definer helper, an updated_at trigger, a view, an enum and a sequence.
create function app.current_user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create type app.member_role as enum ('owner', 'admin', 'member');
create table app.plans (id text primary key, name text not null, cents int not null check (cents >= 0));
grant select on app.plans to app_user;
alter table app.tenants add column plan_id text references app.plans (id);
create table app.users (id uuid primary key default gen_random_uuid(), email text not null unique);
grant select on app.users to app_user;
create table app.memberships (
    tenant_id uuid not null,
    user_id uuid not null references app.users (id) on delete cascade,
    role app.member_role not null default 'member',
    primary key (tenant_id, user_id)
);
alter table app.memberships add constraint memberships_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
alter table app.memberships enable row level security;
alter table app.memberships force row level security;
create policy tenant_isolation on app.memberships as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
create sequence app.invoice_numbers start 1000;
create table app.invoices (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null,
    number bigint not null default nextval('app.invoice_numbers'),
    amount_cents bigint not null check (amount_cents >= 0),
    updated_at timestamptz not null default now(),
    unique (tenant_id, number)
);
alter table app.invoices add constraint invoices_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
alter table app.invoices enable row level security;
alter table app.invoices force row level security;
create policy tenant_isolation on app.invoices as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
create policy invoices_admins_write on app.invoices as restrictive for update to app_user
    using (exists (select 1 from app.memberships m where m.tenant_id = invoices.tenant_id and m.user_id = (select app.current_user_id()) and m.role in ('owner', 'admin')));
create function app.set_updated_at() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
create trigger invoices_updated_at before update on app.invoices for each row execute function app.set_updated_at();
create view app.invoice_totals with (security_invoker = true) as
    select tenant_id, count(*) as invoices, sum(amount_cents) as total_cents from app.invoices group by tenant_id;
grant select, insert, update on app.invoices to app_user;
grant select on app.memberships, app.invoice_totals to app_user;
grant usage on sequence app.invoice_numbers to app_user;

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

-- Policies without TO: they apply to PUBLIC, every role.
create table app.messages (
    id bigserial primary key,
    tenant_id uuid not null references app.tenants (id),
    body text not null
);
alter table app.messages enable row level security;
alter table app.messages force row level security;
create policy messages_tenant on app.messages
    using (tenant_id = (select app.current_tenant_id()));
create policy messages_insert on app.messages for insert
    with check (tenant_id = (select app.current_tenant_id()) and length(body) < 10000);
grant select, insert on app.messages to app_user;
grant usage on sequence app.messages_id_seq to app_user;

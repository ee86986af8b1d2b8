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

-- Isolation plus per-command permissive and restrictive policies.
create function app.current_user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.documents (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null,
    owner_id uuid not null default app.current_user_id(),
    title text not null,
    archived boolean not null default false
);
alter table app.documents add constraint documents_tenant_id_fkey foreign key (tenant_id) references app.tenants (id);
create index documents_tenant_id_idx on app.documents (tenant_id);
alter table app.documents enable row level security;
alter table app.documents force row level security;
create policy tenant_isolation on app.documents as permissive for all to app_user
    using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));

create policy documents_owner_delete on app.documents as restrictive for delete to app_user
    using (owner_id = (select app.current_user_id()));
create policy documents_not_archived on app.documents as restrictive for update to app_user
    using (not archived) with check (not archived);
create policy documents_insert_own on app.documents as restrictive for insert to app_user
    with check (owner_id = (select app.current_user_id()));
grant select, insert, update, delete on app.documents to app_user;

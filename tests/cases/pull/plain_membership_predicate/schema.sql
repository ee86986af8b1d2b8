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

-- Membership style without Supabase: a row is visible to members of its tenant,
-- the user in app.user_id; the helper is SECURITY DEFINER to avoid recursion.
create function app.current_user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.memberships (
    tenant_id uuid not null references app.tenants (id),
    user_id uuid not null,
    role text not null default 'member' check (role in ('owner', 'member')),
    primary key (tenant_id, user_id)
);
create function app.my_tenant_ids() returns setof uuid language sql stable security definer
    set search_path = ''
    as $$ select m.tenant_id from app.memberships m where m.user_id = (select app.current_user_id()) $$;
alter table app.memberships enable row level security;
alter table app.memberships force row level security;
create policy tenant_isolation on app.memberships as permissive for all to app_user
    using (tenant_id in (select app.my_tenant_ids())) with check (tenant_id in (select app.my_tenant_ids()));
create table app.boards (
    id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null references app.tenants (id),
    title text not null
);
create index boards_tenant_id_idx on app.boards (tenant_id);
alter table app.boards enable row level security;
alter table app.boards force row level security;
create policy tenant_isolation on app.boards as permissive for all to app_user
    using (tenant_id in (select app.my_tenant_ids())) with check (tenant_id in (select app.my_tenant_ids()));
grant select on app.memberships to app_user;
grant select, insert, update, delete on app.boards to app_user;

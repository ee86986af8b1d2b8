create table app.memberships (user_id text not null, tenant_id text not null, primary key (user_id, tenant_id));
alter table app.memberships enable row level security; alter table app.memberships force row level security;
grant select on app.memberships to app_user;
reset role;
-- The twin scopes by the caller: the definer helper that keeps the policy from recursing.
create function app.my_tenants() returns setof text language sql stable security definer
  set search_path = '' as $$ select m.tenant_id from app.memberships m where m.user_id = (select current_setting('app.user_id', true)) $$;
create policy teammates on app.memberships for select to app_user
  using (tenant_id in (select app.my_tenants()));

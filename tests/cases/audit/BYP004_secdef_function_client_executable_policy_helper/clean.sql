create table app.memberships (user_id text not null, tenant_id text not null, primary key (user_id, tenant_id));
alter table app.memberships enable row level security; alter table app.memberships force row level security;
create policy own on app.memberships for select to app_user using (user_id = (select current_setting('app.user_id', true)));
grant select on app.memberships to app_user;
create table app.docs (id int primary key, tenant_id text not null);
create index on app.docs (tenant_id);
alter table app.docs enable row level security; alter table app.docs force row level security;
grant select on app.docs to app_user;
reset role;
-- The twin scopes its body by the caller: the policy helper pattern, EXECUTE kept for app_user.
create function app.my_tenants() returns setof text language sql stable security definer
  set search_path = '' as $$ select m.tenant_id from app.memberships m where m.user_id = (select current_setting('app.user_id', true)) $$;
create policy member on app.docs for select to app_user
  using (tenant_id in (select app.my_tenants()));

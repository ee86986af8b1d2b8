create table app.memberships (user_id text not null, tenant_id text not null, primary key (user_id, tenant_id));
alter table app.memberships enable row level security; alter table app.memberships force row level security;
grant select on app.memberships to app_user;
reset role;
-- The membership table's own policy calls the definer helper: as SECURITY INVOKER it would recurse.
create function app.tenants_of(uid text) returns setof text language sql stable security definer
  set search_path = '' as $$ select m.tenant_id from app.memberships m where m.user_id = uid $$;
create policy teammates on app.memberships for select to app_user
  using (tenant_id in (select app.tenants_of((select current_setting('app.user_id', true)))));
create view app.all_tenants with (security_invoker = true) as select app.tenants_of('u2') as tenant_id;
grant select on app.all_tenants to app_user;

-- Per-tenant roles: members read, admins write (restrictive role policy), settings per tenant.
set role app_owner;
create function app.current_tenant_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.current_user_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.members (tenant_id uuid not null, user_id uuid not null, role text not null,
  primary key (tenant_id, user_id));
create table app.settings (tenant_id uuid primary key, data jsonb not null default '{}');
alter table app.members enable row level security;
alter table app.settings enable row level security;
alter table app.members force row level security;
alter table app.settings force row level security;
create policy tenant_members on app.members for select to app_user using (tenant_id = (select app.current_tenant_id()));
create policy tenant_settings on app.settings to app_user
  using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
create policy admins_write on app.settings as restrictive for update to app_user
  using (exists (select 1 from app.members m where m.tenant_id = settings.tenant_id
                  and m.user_id = (select app.current_user_id()) and m.role = 'admin'));
grant select on app.members to app_user;
grant select, update on app.settings to app_user;
grant execute on function app.current_tenant_id(), app.current_user_id() to app_user;

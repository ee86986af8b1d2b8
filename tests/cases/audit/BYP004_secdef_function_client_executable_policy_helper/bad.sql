create table app.memberships (user_id text not null, tenant_id text not null, primary key (user_id, tenant_id));
alter table app.memberships enable row level security; alter table app.memberships force row level security;
create policy own on app.memberships for select to app_user using (user_id = (select current_setting('app.user_id', true)));
grant select on app.memberships to app_user;
create table app.docs (id int primary key, tenant_id text not null);
create index on app.docs (tenant_id);
alter table app.docs enable row level security; alter table app.docs force row level security;
grant select on app.docs to app_user;
reset role;
insert into app.memberships values ('u1', 'A'), ('u2', 'B');
insert into app.docs values (1, 'A'), (2, 'A'), (3, 'B');
-- The policy's helper takes the user as an argument: any caller asks for anyone's tenants.
create function app.tenants_of(uid text) returns setof text language sql stable security definer
  set search_path = '' as $$ select m.tenant_id from app.memberships m where m.user_id = uid $$;
create policy member on app.docs for select to app_user
  using (tenant_id in (select app.tenants_of((select current_setting('app.user_id', true)))));

create table app.members (user_id text not null, tenant_id text not null);
alter table app.members enable row level security;
create policy own on app.members for select to app_user using (user_id = (select current_setting('app.user_id', true)));
create table app.docs (id int primary key, tenant_id text not null);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user
  using (tenant_id in (select m.tenant_id from app.members m where m.user_id = (select current_setting('app.user_id', true))));
grant select on app.docs, app.members to app_user;

create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
-- Functions on the context that stay closed without it: lower(NULL) is NULL,
-- string_to_array('', ',') is empty, so `= ANY` admits nothing.
create policy sel on app.docs for select to app_user
  using (tenant_id = any (string_to_array(current_setting('app.tenants', true), ',')));
create policy sel2 on app.docs for select to app_user
  using (tenant_id = lower(current_setting('app.tenant_id', true)));
grant select, insert, update, delete on app.docs to app_user;

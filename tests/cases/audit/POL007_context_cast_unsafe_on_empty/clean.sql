create table app.docs (id int primary key, tenant_id uuid not null);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on app.docs to app_user;

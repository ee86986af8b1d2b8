reset role; select public.ensure_role('pol017_bypass'); alter role pol017_bypass bypassrls;
create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
create policy svc on app.docs to pol017_bypass using (true);
grant select, insert, update, delete on app.docs to app_user;

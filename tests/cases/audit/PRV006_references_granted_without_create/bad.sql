create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select, insert, update, delete on app.docs to app_user;
grant references on app.docs to app_user;
grant create on schema app to app_user;

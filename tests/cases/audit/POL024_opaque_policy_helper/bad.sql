create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
create function app.can_see(t text) returns boolean language sql stable as $$ select t = current_setting('app.tenant_id', true) $$;
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user using (app.can_see(tenant_id));
grant select, insert, update, delete on app.docs to app_user;

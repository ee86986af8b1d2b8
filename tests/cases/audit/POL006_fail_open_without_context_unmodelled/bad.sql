create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
grant select, insert, update, delete on app.docs to app_user;
-- The tenant arrives base64-encoded; decode_tenant('') is whatever its body says.
create function app.decode_tenant(t text) returns text language sql immutable
  set search_path = '' as $$ select convert_from(decode(t, 'base64'), 'UTF8') $$;
create policy sel on app.docs for select to app_user
  using (tenant_id = app.decode_tenant(current_setting('app.tenant_b64', true)));

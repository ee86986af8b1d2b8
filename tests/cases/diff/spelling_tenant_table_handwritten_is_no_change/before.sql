create schema app;
create table app.docs (tenant_id uuid not null, id uuid not null default gen_random_uuid() primary key, title text not null);
create index docs_tenant_id_idx on app.docs (tenant_id);
alter table app.docs enable row level security, force row level security;
create policy tenant_isolation on app.docs to app_user
  using ((tenant_id = ( SELECT NULLIF(current_setting('app.tenant_id'::text, TRUE), ''::text)::uuid AS "nullif" )))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
grant insert, select on app.docs to app_user;

create schema app;
create table app.docs (tenant_id uuid not null, id uuid not null, title text not null, constraint docs_pkey primary key (id));
create index docs_tenant_id_idx on app.docs using btree (tenant_id);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy tenant_isolation on app.docs as permissive for all to app_user using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
grant select on app.docs to app_user;
grant update (title) on app.docs to app_user;

create schema app;
create table app.docs (tenant_id uuid not null, id uuid primary key, owner_id uuid);
create index docs_tenant_id_idx on app.docs (tenant_id);
alter table app.docs enable row level security;
create policy tenant_isolation on app.docs to app_user using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
create policy docs_owner_deletes on app.docs as restrictive for delete to app_user using (owner_id = (select nullif(current_setting('app.user_id', true), '')::uuid));

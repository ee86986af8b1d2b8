-- Known holes of a plain multi-tenant schema, each a true finding.
set role app_owner;
create table app.docs (id bigint generated always as identity primary key, tenant_id text not null, body text);
create index on app.docs (tenant_id);
create table app.attachments (id bigint generated always as identity primary key, tenant_id text not null,
  doc_id bigint not null references app.docs (id) on delete cascade, path text not null);
create index on app.attachments (tenant_id);
alter table app.docs enable row level security;
alter table app.attachments enable row level security;
alter table app.docs force row level security;
alter table app.attachments force row level security;
-- Fails open when no tenant is set (coalesce to the row's own value).
create policy tenant_docs on app.docs to app_user
  using (tenant_id = coalesce(nullif(current_setting('app.tenant_id', true), ''), tenant_id));
create policy tenant_attachments on app.attachments to app_user
  using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select, insert, update, delete, truncate on app.docs to app_user;
grant select, insert, update, delete on app.attachments to app_user;
reset role;
-- Definer function reading every tenant's docs.
create function app.search_docs(q text) returns setof text language sql stable security definer
  set search_path = '' as $$ select d.body from app.docs d where d.body ilike '%' || q || '%' $$;

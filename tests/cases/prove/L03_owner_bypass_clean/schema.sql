do $$ begin create role l03_owner; exception when duplicate_object or unique_violation then null; end $$;
create schema app authorization l03_owner;
set role l03_owner;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, title text not null);
alter table app.docs enable row level security;
alter table app.docs force row level security;
revoke truncate on app.docs from l03_owner;
create policy docs_tenant on app.docs using (tenant_id = app.tenant());
reset role;

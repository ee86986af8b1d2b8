do $$ begin create role app_user; exception when duplicate_object OR unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
do $$ begin create role l05_support_clean; exception when duplicate_object or unique_violation then null; end $$;
-- app_user is not a member of l05_support_clean
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, title text not null);
alter table app.docs enable row level security;
create policy docs_tenant on app.docs to app_user using (tenant_id = app.tenant());
-- meant for a support tool, but app_user inherits l05_support_clean (E33)
create policy docs_support on app.docs for select to l05_support_clean using (true);
grant select, insert, update, delete on app.docs to app_user;

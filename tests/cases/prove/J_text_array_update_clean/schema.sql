do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    tags text[] not null default '{}', title text not null);
alter table app.docs enable row level security;
create policy docs_tenant on app.docs to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.docs to app_user;

do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.events (id uuid not null default gen_random_uuid(), tenant_id uuid not null, payload text not null) partition by list (tenant_id);
create table app.events_rest partition of app.events default;
alter table app.events enable row level security;
create policy events_tenant on app.events to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.events, app.events_rest to app_user;

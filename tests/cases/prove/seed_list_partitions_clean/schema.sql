do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.events (id uuid not null default gen_random_uuid(), tenant_id uuid not null,
    region text not null check (region ~ '^[a-z]{2}$'), payload text not null) partition by list (region);
create table app.events_eu partition of app.events for values in ('eu', 'ch');
create table app.events_us partition of app.events for values in ('us');
create table app.events_other partition of app.events default;
alter table app.events enable row level security;
create policy events_tenant on app.events to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.events, app.events_eu, app.events_us, app.events_other to app_user;
alter table app.events_eu enable row level security;
create policy events_tenant on app.events_eu to app_user using (tenant_id = app.tenant());
alter table app.events_us enable row level security;
create policy events_tenant on app.events_us to app_user using (tenant_id = app.tenant());
alter table app.events_other enable row level security;
create policy events_tenant on app.events_other to app_user using (tenant_id = app.tenant());

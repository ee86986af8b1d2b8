do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
-- The default partition takes rows outside every range: seeding must write a day
-- before 2030 or from 2032 on, not the column's default (today, inside no range
-- only by accident) nor a day inside a range.
create table app.events (id uuid not null default gen_random_uuid(), tenant_id uuid not null,
    at date not null check (at >= '2000-01-01'), payload text not null) partition by range (at);
create table app.events_2030 partition of app.events for values from ('2030-01-01') to ('2031-01-01');
create table app.events_2031 partition of app.events for values from ('2031-01-01') to ('2032-01-01');
create table app.events_rest partition of app.events default;
alter table app.events enable row level security;
create policy events_tenant on app.events to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.events, app.events_2030, app.events_2031, app.events_rest to app_user;
alter table app.events_2030 enable row level security;
create policy events_tenant on app.events_2030 to app_user using (tenant_id = app.tenant());
alter table app.events_2031 enable row level security;
create policy events_tenant on app.events_2031 to app_user using (tenant_id = app.tenant());

do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.events (id bigint not null, tenant_id uuid not null, payload text not null) partition by hash (id);
create table app.events_h0 partition of app.events for values with (modulus 3, remainder 0);
create table app.events_h1 partition of app.events for values with (modulus 3, remainder 1);
create table app.events_h2 partition of app.events for values with (modulus 3, remainder 2);
alter table app.events enable row level security;
create policy events_tenant on app.events to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.events, app.events_h0, app.events_h1, app.events_h2 to app_user;
alter table app.events_h0 enable row level security;
create policy events_tenant on app.events_h0 to app_user using (tenant_id = app.tenant());
alter table app.events_h1 enable row level security;
create policy events_tenant on app.events_h1 to app_user using (tenant_id = app.tenant());

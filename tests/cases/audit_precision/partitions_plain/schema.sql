-- Events partitioned by month: RLS on the parent, partitions not granted to clients.
set role app_owner;
create function app.current_tenant_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.events (tenant_id uuid not null, at timestamptz not null, kind text not null, payload jsonb)
  partition by range (at);
create table app.events_2026_11 partition of app.events for values from ('2026-11-01') to ('2026-12-01');
create table app.events_2026_12 partition of app.events for values from ('2026-12-01') to ('2027-01-01');
create index on app.events (tenant_id, at);
alter table app.events enable row level security;
alter table app.events force row level security;
create policy tenant_events on app.events to app_user
  using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
grant select, insert on app.events to app_user;
grant execute on function app.current_tenant_id() to app_user;
